"""Ids may grow past four digits: a renamed fact keeps the package valid, a short id is still refused."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import copy_package, rows
from iraq_war_facts.descriptor import rehash
from iraq_war_facts.package import load
from iraq_war_facts.validate import validate


def rename_everywhere(descriptor: Path, old: str, new: str) -> list[str]:
    """Replace the whole id ``old`` by ``new`` in every CSV under data/; return the files changed."""
    changed = []
    for path in sorted((descriptor.parent / "data").glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        renamed = re.sub(rf"\b{re.escape(old)}\b", new, text)
        if renamed != text:
            path.write_text(renamed, encoding="utf-8")
            changed.append(path.name)
    return changed


def referenced_fact(descriptor: Path) -> tuple[str, str]:
    """A fact that another data file names (so renaming it must reach the reference too), and its file."""
    files = sorted((descriptor.parent / "data").glob("*.csv"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in files}
    for res in load(descriptor).fact_resources:
        others = " ".join(text for name, text in texts.items() if name != res.path.name)
        for row in rows(res.path):
            if re.search(rf"\b{row['fact_id']}\b", others):
                return row["fact_id"], res.path.name
    raise AssertionError("no fact is referenced outside its own table")


def test_a_fact_renamed_to_a_five_digit_id_everywhere_keeps_the_package_valid(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    old, table = referenced_fact(descriptor)
    new = old.split("-")[0] + "-12345"
    changed = rename_everywhere(descriptor, old, new)
    assert table in changed and len(changed) >= 2, changed
    rehash(descriptor)
    report = validate(descriptor)
    assert report.errors == [], [p.text() for p in report.errors]
    assert new in [r["fact_id"] for r in rows(descriptor.parent / "data" / table)]


def test_a_three_digit_id_is_refused_with_a_pattern_problem_at_its_line(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    troops = descriptor.parent / "data" / "troops.csv"
    first = rows(troops)[0]["fact_id"]
    assert rename_everywhere(descriptor, first, "TRP-123") == ["troops.csv"]
    rehash(descriptor)
    found = [p for p in validate(descriptor).errors if p.field == "fact_id"]
    assert [(p.path, p.line, p.column, p.check, p.resource) for p in found] == [
        ("data/troops.csv", 2, 1, "schema", "troops")
    ]
    assert found[0].message == "constraint \"pattern\" violated: 'TRP-123' does not match ^TRP-[0-9]{4,}$"
    assert found[0].text().startswith("data/troops.csv:2:1: ")
