"""The schema check family: each Table Schema constraint fires on a small broken package, at the right place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fixtures.content.package_copy import PackageCopy
from helpers import edited_copy
from iraq_war_facts import tableschema
from iraq_war_facts.checks import schema as schema_check
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.validate import validate

BASE = Path(__file__).parent / "fixtures" / "schema" / "base"
Edits = dict[str, list[tuple[str, str]]]


def broken(tmp_path: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of the base fixture package with each ``old`` text (found exactly once) replaced by ``new``."""
    return edited_copy(BASE, tmp_path / "pkg", edits)


def tiny(tmp_path: Path, tables: dict[str, tuple[dict[str, Any], str]]) -> Path:
    """A package of inline-schema resources: ``{name: (table schema, csv text)}``."""
    resources = []
    for name, (schema, text) in tables.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
        resources.append({"name": name, "path": f"{name}.csv", "schema": schema})
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "tiny", "resources": resources}), encoding="utf-8")
    return descriptor


def found(descriptor: Path) -> list[Problem]:
    return [p for p in validate(descriptor).problems if p.check == "schema"]


def at(resource: str, line: int | None, column: int | None, field: str | None, message: str, *, code: str) -> Problem:
    path = f"data/{resource}.csv" if (BASE / "data" / f"{resource}.csv").exists() else f"{resource}.csv"
    return Problem(path, line, column, "schema", message, field, resource, code=code)


def test_the_base_fixture_and_the_real_package_have_no_schema_problems() -> None:
    assert found(BASE / "datapackage.json") == []
    assert found(ROOT / "datapackage.json") == []


def test_large_files_read_beside_the_small_ones_give_the_same_report(tmp_path: Path, monkeypatch) -> None:
    from iraq_war_facts import validate as validate_module

    descriptor = broken(tmp_path, {"data/troops.csv": [(",reported,src-001,7,", ",,src-001,7,")]})
    small = validate(descriptor)
    monkeypatch.setattr(validate_module, "LARGE", 0)  # every file large: read in a thread of its own
    large = validate(descriptor)
    assert large.problems == small.problems and len(small.problems) == 4
    assert list(large.context.tables) == list(small.context.tables)


def test_required(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/troops.csv": [(",reported,src-001,7,", ",,src-001,7,")]})
    assert found(descriptor) == [
        at("troops", 4, 11, "claim_type", 'constraint "required" violated: empty', code="required")
    ]


def test_required_is_not_repeated_for_a_cell_that_failed_to_cast(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/troops.csv": [(",src-001,7,", ",src-001,seven,")]})
    problems = found(descriptor)
    assert [(p.line, p.field) for p in problems] == [(4, "paragraph")]
    assert "type error" in problems[0].message


def test_blank_row_cells_are_not_reported_as_missing(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/sources.csv": [("src-001,", ",,,\nsrc-001,")]})
    assert [p.message for p in found(descriptor)] == ["blank row"]


def test_unique(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/sources.csv": [("002_5e1f0c3a9b7d4e21.txt", "000_de2bcf38c8cc421b.txt")]})
    message = "constraint \"unique\" violated: '000_de2bcf38c8cc421b.txt' also on line 2"
    assert found(descriptor) == [at("sources", 4, 2, "file", message, code="unique")]


def test_enum(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/sources.csv": [("txt,ar,\n", "txt,fr,\n")]})
    message = "constraint \"enum\" violated: 'fr' is not one of 'ar', 'en'"
    assert found(descriptor) == [at("sources", 3, 3, "language", message, code="enum")]


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        ("us,2500,", "us,-3,", "minimum", 'constraint "minimum" violated: -3 is less than 0'),
        ("us,2500,", "us,20000000,", "maximum", 'constraint "maximum" violated: 20000000 is greater than 10000000'),
    ],
)
def test_minimum_and_maximum(tmp_path: Path, old: str, new: str, code: str, message: str) -> None:
    descriptor = broken(tmp_path, {"data/troops.csv": [(old, new)]})
    assert found(descriptor) == [at("troops", 5, 4, "value", message, code=code)]


@pytest.mark.parametrize(
    ("ftype", "constraint", "bound", "value", "message"),
    [
        ("number", "exclusiveMinimum", 0, "0", 'constraint "exclusiveMinimum" violated: 0 is not greater than 0'),
        (
            "number",
            "exclusiveMaximum",
            100,
            "100.0",
            'constraint "exclusiveMaximum" violated: 100.0 is not less than 100',
        ),
        (
            "date",
            "minimum",
            "2003-03-20",
            "2003-03-19",
            'constraint "minimum" violated: 2003-03-19 is less than 2003-03-20',
        ),
        ("year", "maximum", 2021, "2022", 'constraint "maximum" violated: 2022 is greater than 2021'),
        (
            "datetime",
            "maximum",
            "2011-12-18T12:00:00Z",
            "2011-12-18T12:00:01",
            'constraint "maximum" violated: 2011-12-18T12:00:01 is greater than 2011-12-18T12:00:00Z',
        ),
    ],
)
def test_exclusive_bounds_and_bounds_of_other_types(
    tmp_path: Path, ftype: str, constraint: str, bound: Any, value: str, message: str
) -> None:
    schema = {"fields": [{"name": "x", "type": ftype, "constraints": {constraint: bound}}]}
    descriptor = tiny(tmp_path, {"t": (schema, f"x\n{value}\n")})
    code = {"exclusiveMinimum": "exclusive-minimum", "exclusiveMaximum": "exclusive-maximum"}.get(
        constraint, constraint
    )
    assert found(descriptor) == [at("t", 2, 1, "x", message, code=code)]


def test_min_length_and_max_length(tmp_path: Path) -> None:
    long = "Coalition members other than the United States"
    descriptor = broken(
        tmp_path,
        {
            "data/troops.csv": [("2500 جندي أمريكي", "x")],
            "data/codebook.csv": [("Coalition (all members)", long)],
        },
    )
    assert found(descriptor) == [
        at(
            "codebook",
            7,
            4,
            "label_en",
            f'constraint "maxLength" violated: {long!r} has 46 characters, more than 40',
            code="max-length",
        ),
        at(
            "troops",
            5,
            14,
            "quote",
            "constraint \"minLength\" violated: 'x' has 1 character, fewer than 2",
            code="min-length",
        ),
    ]


@pytest.mark.parametrize("bad", ["TRPX-1", "xTRP-0001", "TRP-00012", "trp-0001"])
def test_pattern_matches_the_whole_value(tmp_path: Path, bad: str) -> None:
    descriptor = broken(tmp_path, {"data/troops.csv": [("TRP-0003", bad)]})
    message = f'constraint "pattern" violated: {bad!r} does not match ^TRP-[0-9]{{4}}$'
    assert found(descriptor) == [at("troops", 4, 1, "fact_id", message, code="pattern")]


def test_categories(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/troops.csv": [("2007-09-01,month", "2007-09-01,week")]})
    message = "constraint \"categories\" violated: 'week' is not one of the categories 'day', 'month', 'year'"
    assert found(descriptor) == [at("troops", 4, 10, "as_of_precision", message, code="categories")]


def test_categories_as_value_label_objects(tmp_path: Path) -> None:
    categories = [{"value": 1, "label": "stated"}, {"value": 2, "label": "inferred"}]
    schema = {"fields": [{"name": "basis", "type": "integer", "categories": categories}]}
    descriptor = tiny(tmp_path, {"t": (schema, "basis\n1\n3\n2\n")})
    message = 'constraint "categories" violated: 3 is not one of the categories 1, 2'
    assert found(descriptor) == [at("t", 3, 1, "basis", message, code="categories")]


def test_composite_primary_key(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/paragraphs.csv": [("src-002,2,40\n", "src-002,2,40\nsrc-001,6,99\n")]})
    message = "primary key violated: ('src-001', 6) duplicates line 3"
    assert found(descriptor) == [at("paragraphs", 6, None, None, message, code="primary-key")]


def test_single_primary_key_without_unique_constraint(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}], "primaryKey": "id"}
    descriptor = tiny(tmp_path, {"t": (schema, "id,n\na,1\nb,2\na,3\n,4\n")})
    assert found(descriptor) == [
        at("t", 4, 1, "id", "primary key violated: ('a',) duplicates line 2", code="primary-key"),
        at("t", 5, 1, "id", "primary key violated: empty", code="required"),
    ]


def test_unique_keys_skip_rows_with_a_null_key_field(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/codebook.csv": [("Range,نطاق", "Exact,نطاق")]})
    message = "unique key (list, label_en) violated: ('qualifier', 'Exact') duplicates line 8"
    assert found(descriptor) == [at("codebook", 10, None, None, message, code="unique-key")]
    schema = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}], "uniqueKeys": [["a", "b"]]}
    assert found(tiny(tmp_path, {"t": (schema, "a,b\nx,\nx,\nx,y\n")})) == []


def test_foreign_key_to_another_resource(tmp_path: Path) -> None:
    descriptor = broken(
        tmp_path, {"data/troops.csv": [("TRP-0004,troops_deployed,us", "TRP-0004,troops_deployed,usa")]}
    )
    message = "foreign key violated: 'usa' not found in codebook.code; did you mean 'us'?"
    assert found(descriptor) == [at("troops", 5, 3, "party", message, code="foreign-key")]


def test_the_suggestion_comes_from_the_field_s_own_code_list(tmp_path: Path) -> None:
    """'killd' is near the metric 'killed', but party takes codes of the party list: no suggestion there."""
    copy = PackageCopy(tmp_path)
    copy.set("troops", "TRP-0004", metric="troops_deployd", party="killd")
    messages = sorted(p.message for p in copy.run("schema"))
    assert messages == [
        "foreign key violated: 'killd' not found in codebook.code",
        "foreign key violated: 'troops_deployd' not found in codebook.code; did you mean 'troops_deployed'?",
    ]


def test_self_referencing_foreign_key(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/codebook.csv": [("killed,metric,casualties", "killed,metric,casualtiesX")]})
    message = "foreign key violated: 'casualtiesX' not found in codebook.code; did you mean 'casualties'?"
    assert found(descriptor) == [at("codebook", 5, 3, "parent", message, code="foreign-key")]


def test_composite_foreign_key(tmp_path: Path) -> None:
    descriptor = broken(tmp_path, {"data/troops.csv": [("src-002,2,", "src-002,9,")]})
    message = "foreign key violated: ('src-002', 9) not found in paragraphs.(source_id, paragraph)"
    assert found(descriptor) == [at("troops", 5, None, None, message, code="foreign-key")]


def test_foreign_key_to_an_absent_resource_is_one_problem(tmp_path: Path) -> None:
    fk = [{"fields": "code", "reference": {"resource": "nowhere", "fields": "code"}}]
    schema = {"fields": [{"name": "code", "type": "string"}], "foreignKeys": fk}
    descriptor = tiny(tmp_path, {"t": (schema, "code\na\nb\nc\n")})
    message = "foreign key violated: the package has no resource 'nowhere'"
    assert found(descriptor) == [at("t", None, None, "code", message, code="foreign-key")]


def test_multi_line_cells_shift_the_editor_lines(tmp_path: Path) -> None:
    descriptor = broken(
        tmp_path,
        {
            "data/troops.csv": [
                ("between 100 and 150 thousand troops", '"between 100\nand 150\nthousand troops"'),
                ("us,2500,", "us,-1,"),
                ("TRP-0002,troops_deployed,us,", "TRP-0002,troops_deployed,usa,"),
            ]
        },
    )
    assert found(descriptor) == [
        at(
            "troops",
            3,
            3,
            "party",
            "foreign key violated: 'usa' not found in codebook.code; did you mean 'us'?",
            code="foreign-key",
        ),
        at("troops", 7, 4, "value", 'constraint "minimum" violated: -1 is less than 0', code="minimum"),
    ]


def test_problems_are_capped_per_field_and_constraint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_check, "CAP", 2)
    schema = {"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 0, "unique": True}}]}
    descriptor = tiny(tmp_path, {"t": (schema, "n\n-1\n-2\n-3\n-4\n5\n5\n")})
    assert found(descriptor) == [
        at("t", None, None, "n", 'constraint "minimum" violated: … and 2 more rows', code="minimum"),
        at("t", 2, 1, "n", 'constraint "minimum" violated: -1 is less than 0', code="minimum"),
        at("t", 3, 1, "n", 'constraint "minimum" violated: -2 is less than 0', code="minimum"),
        at("t", 7, 1, "n", 'constraint "unique" violated: 5 also on line 6', code="unique"),
    ]


@pytest.mark.parametrize("sample", [4, 1000])
def test_unique_finds_a_repeat_after_the_first_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample) -> None:
    monkeypatch.setattr(tableschema, "SAMPLE", sample)  # 4: the first values differ, a later one repeats
    fields = [{"name": n, "type": t, "constraints": {"unique": True}} for n, t in (("n", "integer"), ("s", "string"))]
    rows = "".join(f"{i},s{i}\n" for i in range(10))
    assert found(tiny(tmp_path, {"t": ({"fields": fields}, "n,s\n" + rows + "10,\n")})) == []
    descriptor = tiny(tmp_path, {"t": ({"fields": fields}, "n,s\n" + rows + "3,s3\n")})
    assert found(descriptor) == [
        at("t", 12, 1, "n", 'constraint "unique" violated: 3 also on line 5', code="unique"),
        at("t", 12, 2, "s", "constraint \"unique\" violated: 's3' also on line 5", code="unique"),
    ]


def test_dates_python_cannot_hold_are_found_at_both_ends() -> None:
    days = pl.Series(["0000-12-31", "0001-01-01", "9999-12-31", "+10000-01-01"]).str.to_date("%Y-%m-%d")
    moments = days.cast(pl.Datetime("us", "UTC"))
    found = tableschema.outside_python_dates(pl.DataFrame({"day": days, "moment": moments, "n": [1, 2, 3, 4]}))
    assert {name: rows.to_list() for name, rows in found.items()} == {"day": [0, 3], "moment": [0, 3]}


def test_invalid_constraints_are_reported_against_the_schema(tmp_path: Path) -> None:
    fields = [
        {"name": "a", "type": "string", "constraints": {"pattern": "(unclosed"}},
        {"name": "b", "type": "string", "constraints": {"minimum": 3}},
        {"name": "c", "type": "integer", "constraints": {"maximum": "lots"}},
    ]
    descriptor = tiny(tmp_path, {"t": ({"fields": fields}, "a,b,c\nx,y,1\n")})
    problems = found(descriptor)
    assert [(p.path, p.line, p.field) for p in problems] == [("datapackage.json", None, f) for f in "abc"]
    assert {p.code for p in problems} == {"invalid-constraint"}
    assert problems[0].message.startswith("field 'a': constraint \"pattern\" '(unclosed' is not a regular expression")
    assert problems[1].message == "field 'b': constraint \"minimum\" does not apply to a field of type string"
    assert problems[2].message == "field 'c': constraint \"maximum\" 'lots' is not a valid integer"


def test_to_pandera_derives_dtypes_nullability_and_checks() -> None:
    schema = json.loads((BASE / "schemas" / "troops.json").read_text(encoding="utf-8"))
    pandera_schema = tableschema.to_pandera(schema)
    columns = pandera_schema.columns
    assert list(columns) == [f["name"] for f in schema["fields"]]
    assert str(columns["paragraph"].dtype) == "Int64" and str(columns["value"].dtype) == "Float64"
    assert str(columns["as_of"].dtype) == "Date"
    assert not columns["fact_id"].nullable and columns["fact_id"].unique
    assert columns["value"].nullable
    assert [c.name for c in columns["paragraph"].checks] == ["minimum", "maximum"]
    assert [c.name for c in columns["as_of_precision"].checks] == ["categories"]
    frame = pl.DataFrame({"paragraph": [1, 0, None, 201]}, schema={"paragraph": pl.Int64})
    cases = tableschema.failure_cases(tableschema.to_pandera(schema, columns=["paragraph"]), frame)
    assert sorted(cases.select("check", "index").rows()) == [("maximum", 3), ("minimum", 1), ("not_nullable", 2)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="TRP-0123x\n", max_size=10), min_size=1, max_size=20))
def test_pattern_check_agrees_with_a_python_full_match(values: list[str]) -> None:
    pattern = "TRP-[0-9]{4}"
    schema = {"fields": [{"name": "id", "type": "string", "constraints": {"pattern": pattern}}]}
    cases = tableschema.failure_cases(tableschema.to_pandera(schema), pl.DataFrame({"id": values}))
    expected = [i for i, v in enumerate(values) if not re.fullmatch(pattern, v)]
    assert sorted(cases["index"].to_list()) == expected
