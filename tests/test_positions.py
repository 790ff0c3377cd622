"""Where a message points: the file, the editor line and the 1-based column of a problem, for every check family.

Each case puts a cell that spans two lines in a row above the broken one, so that the line must come from the rows'
editor lines (a quoted line break moves every later row down one line), not from the row's index.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from fixtures.content.package_copy import ROOT, PackageCopy
from iraq_war_facts import reading
from iraq_war_facts.checks import schema_parts
from iraq_war_facts.checks.base import Context, Problem
from iraq_war_facts.checks.descriptor import metadata_problems
from iraq_war_facts.package import Resource, load

TWO_LINES = "A note written\non two lines."
FACT_TABLES = ("troops", "casualties", "costs", "displacement", "operations")
ALL = tuple(r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"])


def header(resource: str) -> list[str]:
    return (ROOT / "data" / f"{resource}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def col(resource: str, name: str) -> int:
    return header(resource).index(name) + 1


def run(copy: PackageCopy, family: str, *tables: str) -> list[Problem]:
    """Problems of one family over only the named tables of the copy."""
    pkg = load(copy.descriptor)
    ctx = Context(pkg, sources_dir=copy.seeds)
    for name in tables:
        table, _ = reading.read_table(pkg.resources[name])
        assert table is not None, name
        ctx.tables[name] = table
    module = importlib.import_module(f"iraq_war_facts.checks.{family}")
    return list(module.check(ctx))


def read(copy: PackageCopy, resource: str) -> list[Problem]:
    """The problems found while reading one resource of the copy (shapes and types: the schema family)."""
    pkg = load(copy.descriptor)
    _, problems = reading.read_table(pkg.resources[resource])
    return problems


def where(problems: list[Problem], code: str) -> list[tuple[str, int | None, int | None, str | None]]:
    return [(p.path, p.line, p.column, p.field) for p in problems if p.code == code]


@pytest.fixture
def copy(tmp_path: Path) -> PackageCopy:
    return PackageCopy(tmp_path)


@pytest.fixture
def with_texts(tmp_path: Path, seeds_dir: Path) -> PackageCopy:
    return PackageCopy(tmp_path, seeds_dir)


def shorten(copy: PackageCopy, resource: str, key: str, cells: int) -> None:
    """Cut the row whose first cell is ``key`` to its first ``cells`` cells (the row must hold no quoted comma)."""
    path = copy.root / "data" / f"{resource}.csv"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if x.startswith(key + ","))
    assert '"' not in ",".join(line.split(",")[:cells])
    path.write_text(text.replace(line, ",".join(line.split(",")[:cells])), encoding="utf-8")


# -- descriptor ----------------------------------------------------------------------------------------------------


def test_a_descriptor_problem_names_the_file_and_the_json_path_of_the_property() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    k = [r["name"] for r in descriptor["resources"]].index("costs")
    descriptor["resources"][k]["name"] = "Costs"
    [problem] = metadata_problems(descriptor, "datapackage.json")
    assert (problem.path, problem.line, problem.column, problem.resource) == ("datapackage.json", None, None, "Costs")
    assert problem.message.startswith(f"resources[{k}].name: ")


def test_a_schema_problem_names_the_schema_file_and_the_index_of_the_field() -> None:
    schema = json.loads((ROOT / "schemas" / "troops.json").read_text(encoding="utf-8"))
    k = [f["name"] for f in schema["fields"]].index("qualifier")
    schema["fields"][k]["type"] = "numbr"
    _, [problem] = schema_parts.screen(schema, "schemas/troops.json", "", "troops")
    assert (problem.path, problem.line, problem.column, problem.field) == (
        "schemas/troops.json",
        None,
        None,
        "qualifier",
    )
    assert problem.message.startswith(f'fields[{k}].type (field "qualifier"): ')


# -- schema: shapes, types and constraints -------------------------------------------------------------------------


def resource(tmp_path: Path, text: str, names: str) -> Resource:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    schema = {"fields": [{"name": n, "type": "string"} for n in names.split(",")]}
    return Resource("t", path, "data/t.csv", {"name": "t", "path": "data/t.csv"}, schema)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("r,1,2", 4, "row has 3 cells, the header has 4: missing cell(s)"),  # the last cell is the first missing
        ("r,1", 3, "row has 2 cells, the header has 4: missing cell(s)"),
        ("r", 2, "row has 1 cells, the header has 4: missing cell(s)"),
    ],
)
def test_a_short_row_points_at_its_first_missing_cell(tmp_path: Path, row: str, column: int, message: str) -> None:
    text = f"id,a,b,c\nx,1,2,3\n{row}\ny,1,2,3\n"
    _, problems = reading.read_table(resource(tmp_path, text, "id,a,b,c"))
    assert [(p.line, p.column, p.message) for p in problems if p.code == "missing-cell"] == [(3, column, message)]


def test_a_long_row_points_at_its_first_extra_cell(tmp_path: Path) -> None:
    _, problems = reading.read_table(resource(tmp_path, "id,a,b\nx,1,2\nr,1,2,3,4\n", "id,a,b"))
    assert [(p.line, p.column) for p in problems if p.code == "extra-cell"] == [(3, 4)]


def test_a_short_row_below_a_cell_on_two_lines(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0002", note=TWO_LINES)  # line 3, spanning 3 and 4
    shorten(copy, "casualties", "CAS-0004", 9)  # line 6 rather than 5
    assert where(read(copy, "casualties"), "missing-cell") == [("data/casualties.csv", 6, 10, None)]


@pytest.mark.parametrize("row", ["r,1,", "r,,", "r,1,,"], ids=["3-of-4", "3-of-4-empty", "4-of-5"])
def test_a_short_row_ending_in_an_empty_cell_is_reported(tmp_path: Path, row: str) -> None:
    names = "id,a,b,c" if row.count(",") < 3 else "id,a,b,c,d"
    _, problems = reading.read_table(resource(tmp_path, f"{names}\n{row}\ny{',1' * names.count(',')}\n", names))
    cells = row.count(",") + 1
    assert [(p.line, p.column) for p in problems if p.code == "missing-cell"] == [(2, cells + 1)]


@pytest.mark.parametrize("rows", ['r,"1,2",,\n', 'r,"1\n2",,\n', "r,1,,\r\n", "r,1,,\nq,2,,\n"])
def test_full_rows_ending_in_an_empty_cell_are_not_short(tmp_path: Path, rows: str) -> None:
    """A quote, a cell on two lines, a CR: the fields are counted, and no full row is reported short."""
    _, problems = reading.read_table(resource(tmp_path, f"id,a,b,c\n{rows}", "id,a,b,c"))
    assert [p.code for p in problems if p.code in ("missing-cell", "extra-cell")] == []


def test_a_type_error_below_a_cell_on_two_lines(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0002", note=TWO_LINES)
    copy.set("casualties", "CAS-0005", value="4,421")
    assert where(read(copy, "casualties"), "type-error") == [
        ("data/casualties.csv", 7, col("casualties", "value"), "value")
    ]


def test_a_constraint_below_a_cell_on_two_lines(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0002", note=TWO_LINES)
    copy.set("casualties", "CAS-0005", paragraph="0")
    problems = run(copy, "schema", "casualties")
    assert where(problems, "minimum") == [("data/casualties.csv", 7, col("casualties", "paragraph"), "paragraph")]


# -- hygiene -------------------------------------------------------------------------------------------------------


def test_a_hygiene_problem_below_a_cell_on_two_lines(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0002", note=TWO_LINES)
    copy.set("casualties", "CAS-0005", quote_en="the number of US soldiers killed ")
    problems = run(copy, "hygiene", "casualties")
    assert where(problems, "stray-space") == [("data/casualties.csv", 7, col("casualties", "quote_en"), "quote_en")]


# -- rules ---------------------------------------------------------------------------------------------------------


def test_a_rule_problem_below_a_cell_on_two_lines(copy: PackageCopy) -> None:
    copy.set("displacement", "DSP-0001", note=TWO_LINES)
    copy.set("displacement", "DSP-0002", value="101")
    problems = run(copy, "rules", "displacement", "sources")
    assert where(problems, "percent-out-of-range") == [
        ("data/displacement.csv", 4, col("displacement", "value"), "value")
    ]


def test_a_rule_problem_of_a_later_field_points_at_that_field(copy: PackageCopy) -> None:
    copy.set("displacement", "DSP-0001", note=TWO_LINES)
    copy.set("displacement", "DSP-0003", as_of="2010-06-15")  # precision year, not 1 January
    problems = run(copy, "rules", "displacement", "sources")
    assert where(problems, "date-not-first-day") == [
        ("data/displacement.csv", 5, col("displacement", "as_of"), "as_of")
    ]


# -- relations -----------------------------------------------------------------------------------------------------


def test_a_relation_problem_below_a_cell_on_two_lines(copy: PackageCopy) -> None:
    copy.set("relations", "REL-0001", note=TWO_LINES)
    copy.set("relations", "REL-0003", fact_id="CAS-0008", other_fact_ids="CAS-0009")  # 66 is not at most 38
    copy.set("relations", "REL-0004", other_fact_ids="CAS-0011 CAS-9999")
    problems = run(copy, "relations", "relations", *FACT_TABLES)
    assert where(problems, "relation-does-not-hold") == [("data/relations.csv", 5, 3, "fact_id")]
    assert where(problems, "relation-unknown-fact") == [("data/relations.csv", 6, 4, "other_fact_ids")]


def test_a_derived_formula_problem_points_at_its_formula(copy: PackageCopy) -> None:
    copy.set("derived", "DRV-0001", note=TWO_LINES)
    copy.set("derived", "DRV-0003", formula="CAS-0004 - CAS-9999")
    problems = run(copy, "relations", "derived", *FACT_TABLES)
    assert where(problems, "derived-unknown-fact") == [("data/derived.csv", 5, 2, "formula")]


# -- citations, claims and completeness (with the source texts) -----------------------------------------------------


def test_a_citation_problem_below_a_cell_on_two_lines(with_texts: PackageCopy) -> None:
    with_texts.set("casualties", "CAS-0002", note=TWO_LINES)
    with_texts.set("casualties", "CAS-0005", paragraph="7")
    problems = run(with_texts, "citations", "sources", *FACT_TABLES)
    assert where(problems, "quote-wrong-paragraph") == [("data/casualties.csv", 7, col("casualties", "quote"), "quote")]


def test_a_claims_problem_below_a_cell_on_two_lines(with_texts: PackageCopy) -> None:
    with_texts.set("troops", "TRP-0001", note=TWO_LINES)
    with_texts.set("troops", "TRP-0004", qualifier="approximately")  # «160 ألفاً», no hedge
    problems = run(with_texts, "claims", "sources", "cues", "codebook", *FACT_TABLES)
    assert where(problems, "hedge-missing") == [("data/troops.csv", 6, col("troops", "qualifier"), "qualifier")]


def test_a_completeness_problem_points_at_its_sources_row_below_a_cell_on_two_lines(with_texts: PackageCopy) -> None:
    with_texts.set("sources", "src-000", provenance_note=TWO_LINES)
    with_texts.set("troops", "TRP-0004", value="150000")  # «160 ألفاً» of src-002 is left uncovered
    problems = run(with_texts, "completeness", *ALL)
    assert where(problems, "uncovered-mention") == [("data/sources.csv", 5, col("sources", "file"), "file")]
