"""Conformance with frictionless: on broken copies of a small package, we find every row and cell it finds.

Each frictionless error becomes (file, line, field): its rowNumber counts the header as row 1, so it is the editor
line for rows that span one line. Row-level errors (primary or foreign key, blank row, extra or missing cell) have
no field; a problem of ours on the same line covers them. Frictionless ignores ``uniqueKeys`` and ``categories``;
we check them, so our set may be larger.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import edited_copy
from iraq_war_facts.validate import validate

frictionless = pytest.importorskip("frictionless")

BASE = Path(__file__).parent / "fixtures" / "schema" / "base"
ROW_LEVEL_CELL_ERRORS = {"extra-cell", "missing-cell"}
Place = tuple[str, int | None, str | None]

CASES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "wrong type": {"data/troops.csv": [("us,160000,", "us,16O000,"), (",src-000,3,", ",src-000,3.5,")]},
    "wrong date": {"data/sources.csv": [("ar,2021-12-09", "ar,2021-13-09")]},
    "missing required": {"data/troops.csv": [(",reported,src-001,7,", ",,src-001,7,")]},
    "duplicate primary key": {"data/troops.csv": [("TRP-0004", "TRP-0002")]},
    "duplicate composite primary key": {"data/paragraphs.csv": [("src-002,2,40\n", "src-002,2,40\nsrc-001,6,99\n")]},
    "foreign key miss": {"data/troops.csv": [("TRP-0004,troops_deployed,us", "TRP-0004,troops_deployed,usa")]},
    "self foreign key miss": {"data/codebook.csv": [("killed,metric,casualties", "killed,metric,casualtiesX")]},
    "composite foreign key miss": {"data/troops.csv": [("src-002,2,", "src-002,9,")]},
    "pattern": {"data/troops.csv": [("TRP-0003", "TRPX-1")], "data/sources.csv": [("src-002", "xsrc-002")]},
    "enum": {"data/sources.csv": [("txt,ar,\n", "txt,fr,\n")], "data/troops.csv": [(",planned,", ",guessed,")]},
    "minimum and maximum": {
        "data/troops.csv": [("us,2500,", "us,-3,"), ("us,160000,", "us,20000000,"), (",src-000,3,", ",src-000,0,")],
        "data/paragraphs.csv": [("src-000,3,120", "src-000,3,0")],
    },
    "length": {"data/troops.csv": [("2500 جندي أمريكي", "x")]},
    "extra cell": {"data/sources.csv": [("2021-12-09\n", "2021-12-09,x\n")]},
    "missing cell": {"data/sources.csv": [("001_73c791b717c232b2.txt,ar,\n", "001_73c791b717c232b2.txt\n")]},
    "blank row": {"data/sources.csv": [("src-001,", ",,,\nsrc-001,")]},
    "several at once": {
        "data/codebook.csv": [("persons,unit", "persons,Unit"), ("us,party,,United States", "us,party,,")],
        "data/troops.csv": [
            ("TRP-0001,troops_deployed,coalition,150000", "TRP-0001,troops_deployed,coalitionX,-150000"),
            ("TRP-0004", "TRP-0001"),
            ("2007-09-01,month", "2007-9-1,month"),
        ],
        "data/paragraphs.csv": [("src-001,7,64", "src-009,7,64")],
    },
}


def broken(tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of the base fixture package with each ``old`` text (found exactly once) replaced by ``new``."""
    return edited_copy(BASE, tmp_path / "pkg", edits)


def frictionless_places(descriptor: Path) -> set[Place]:
    report = frictionless.validate(str(descriptor))
    assert not report.errors, report.errors  # package-level errors would mean a broken fixture, not broken data
    places: set[Place] = set()
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None) or None
            if not isinstance(error, frictionless.errors.CellError) or error.type in ROW_LEVEL_CELL_ERRORS:
                field = None
            places.add((task.place, line, field))
    return places


def our_places(descriptor: Path) -> set[Place]:
    places: set[Place] = set()
    for problem in validate(descriptor).errors:
        if problem.check != "schema":
            continue
        places.add((problem.path, problem.line, problem.field))
        places.add((problem.path, problem.line, None))
    return places


def test_the_base_fixture_is_valid_for_both() -> None:
    descriptor = BASE / "datapackage.json"
    assert frictionless_places(descriptor) == set()
    assert [p for p in validate(descriptor).errors if p.check == "schema"] == []


@pytest.mark.parametrize("case", list(CASES))
def test_we_find_everything_frictionless_finds(tmp_path: Path, case: str) -> None:
    descriptor = broken(tmp_path, CASES[case])
    theirs = frictionless_places(descriptor)
    assert theirs, f"frictionless finds nothing wrong in {case!r}: the fixture does not test anything"
    ours = our_places(descriptor)
    assert theirs <= ours, f"missed: {sorted(theirs - ours, key=str)}"
