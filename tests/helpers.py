"""Small readers for tests: CSV rows as dicts and paragraphs of a text."""

from __future__ import annotations

import csv
from pathlib import Path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]
