"""Small readers for tests: CSV rows as dicts and paragraphs of a text."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


ROOT = Path(__file__).resolve().parents[1]


def copy_package(dest: Path, extra: tuple[str, ...] = ()) -> Path:
    """A writable copy of the package (descriptor, data/, schemas/ and any ``extra`` top-level files) under ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("datapackage.json", *extra):
        shutil.copyfile(ROOT / name, dest / name)
    for folder in ("data", "schemas"):
        shutil.copytree(ROOT / folder, dest / folder, copy_function=shutil.copyfile)
    return dest / "datapackage.json"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to show that nothing was written."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edited_copy(base: Path, dest: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of the fixture package ``base`` under ``dest`` with each ``old`` text (found exactly once) replaced."""
    shutil.copytree(base, dest)
    for rel, subs in edits.items():
        path = dest / rel
        text = path.read_text(encoding="utf-8")
        for old, new in subs:
            assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return dest / "datapackage.json"
