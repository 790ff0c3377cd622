"""Derived figures and chart items are data: each reference is checked, and renaming a fact follows through."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from fixtures.content.package_copy import PackageCopy
from helpers import rows
from iraq_war_facts.analysis import analyse
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.cli import main
from iraq_war_facts.report import document, sections
from iraq_war_facts.validate import validate


def problem(path: str, line: int, column: int, field: str, message: str, code: str) -> Problem:
    return Problem(path, line, column, "relations", message, field, path.split("/")[1][:-4], code=code)


@pytest.fixture
def copy(tmp_path: Path) -> PackageCopy:
    return PackageCopy(tmp_path)


def test_the_real_derived_figures_and_chart_items_are_clean(copy: PackageCopy) -> None:
    assert copy.run("relations") == []


@pytest.mark.parametrize(
    ("formula", "message", "code"),
    [
        (
            "CAS-0004 +",
            "formula 'CAS-0004 +' cannot be read: the formula ends where a fact id, a number or '(' is "
            "expected (at character 11)",
            "derived-formula-syntax",
        ),
        (
            "CAS-0004 % 2",
            "formula 'CAS-0004 % 2' cannot be read: unexpected '%' (at character 10)",
            "derived-formula-syntax",
        ),
        ("CAS-0004 + CAS-9999", "formula names CAS-9999, which is not a fact", "derived-unknown-fact"),
        (
            "CAS-0004 / (CAS-0011 - CAS-0011)",
            "formula 'CAS-0004 / (CAS-0011 - CAS-0011)' cannot be computed: it divides by zero",
            "derived-not-computable",
        ),
        (
            "CAS-0004 + CAS-0002",
            "formula 'CAS-0004 + CAS-0002' cannot be computed: no value for CAS-0002 (indefinite)",
            "derived-not-computable",
        ),
    ],
)
def test_a_bad_formula_is_reported_at_its_line(copy: PackageCopy, formula: str, message: str, code: str) -> None:
    copy.set("derived", "DRV-0002", formula=formula)
    assert copy.run("relations") == [problem("data/derived.csv", 3, 2, "formula", message, code)]


def test_a_formula_of_numbers_and_parentheses_is_fine(copy: PackageCopy) -> None:
    copy.set("derived", "DRV-0002", formula="100 * (CAS-0006 + CAS-0009) / CAS-0004")
    assert copy.run("relations") == []


def test_chart_items_must_name_facts_derived_figures_or_event_codes(copy: PackageCopy) -> None:
    items = copy.root / "data" / "chart_items.csv"
    items.write_text(
        items.read_text(encoding="utf-8").replace(",event,invasion_start", ",event,no_such_event"), "utf-8"
    )
    header_rows = rows(copy.root / "data" / "chart_items.csv")
    line = next(i for i, r in enumerate(header_rows, start=2) if r["role"] == "bar" and r["ref"] == "CAS-0013")
    text = (
        (copy.root / "data" / "chart_items.csv").read_text(encoding="utf-8").replace(",bar,CAS-0013", ",bar,DRV-9999")
    )
    (copy.root / "data" / "chart_items.csv").write_text(text, encoding="utf-8")
    assert copy.run("relations") == [
        problem(
            "data/chart_items.csv",
            2,
            4,
            "ref",
            "ref no_such_event is not the event code of any row of events",
            "chart-unknown-ref",
        ),
        problem(
            "data/chart_items.csv",
            line,
            4,
            "ref",
            "ref DRV-9999 is neither a fact nor a derived figure",
            "chart-unknown-ref",
        ),
    ]


def _rename(root: Path, old: str, new: str, only: str | None = None) -> None:
    for path in sorted((root / "data").glob("*.csv")):
        if only is None or path.name == only:
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert main(["rehash", str(root / "datapackage.json")]) == 0


def test_renaming_a_fact_everywhere_keeps_the_package_valid_and_the_report_follows(copy: PackageCopy) -> None:
    _rename(copy.root, "CAS-0013", "CAS-10013")
    report = validate(copy.descriptor)
    assert report.ok, [p.text() for p in report.errors]
    a = analyse(report)
    assert a.derived_by_id["DRV-0001"]["fact_ids"] == "CAS-0004 CAS-0011 CAS-10013"
    assert a.derived_by_id["DRV-0001"]["value"] == 4487 + 179 + 139
    assert a.charts["deaths"].refs("bar")[2] == "CAS-10013"
    md = document.render_markdown(sections.document(a, []))
    assert "`CAS-10013`" in md and "CAS-0013" not in md
    assert list(a.facts.filter(a.facts["topic"] == "casualties")["fact_id"])[-1] == "CAS-10013"  # numeric order


def test_renaming_a_fact_in_one_file_only_names_each_dangling_reference(copy: PackageCopy) -> None:
    _rename(copy.root, "CAS-0013", "CAS-10013", only="casualties.csv")
    report = validate(copy.descriptor)
    assert not report.ok
    dangling = {(p.path, p.line, p.code) for p in report.errors}
    derived_line = next(
        i for i, r in enumerate(rows(copy.root / "data" / "derived.csv"), 2) if "CAS-0013" in r["formula"]
    )
    items_line = next(
        i for i, r in enumerate(rows(copy.root / "data" / "chart_items.csv"), 2) if r["ref"] == "CAS-0013"
    )
    assert dangling == {
        ("data/derived.csv", derived_line, "derived-unknown-fact"),
        ("data/chart_items.csv", items_line, "chart-unknown-ref"),
    }


def test_a_sixth_topic_is_validated_summarised_reported_and_exported(tmp_path: Path) -> None:
    """A topic is a resource with x-facts, its schema and its codebook entries: no code."""
    root = PackageCopy(tmp_path).root
    schema = json.loads((root / "schemas" / "operations.json").read_text(encoding="utf-8"))
    schema["fields"][0]["constraints"]["pattern"] = "^DET-[0-9]{4,}$"
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "counterparty"]
    schema["foreignKeys"] = [fk for fk in schema["foreignKeys"] if fk["fields"] != ["counterparty"]]
    (root / "schemas" / "detentions.json").write_text(json.dumps(schema, indent=2), encoding="utf-8")
    operations = rows(root / "data" / "operations.csv")[2]  # "three bases", src-002 paragraph 8
    header = [f["name"] for f in schema["fields"]]
    row = {**operations, "fact_id": "DET-0001", "metric": "people_detained", "party": "iraqis"}
    with (root / "data" / "detentions.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    with (root / "data" / "codebook.csv").open("a", encoding="utf-8") as fh:
        fh.write("detentions,topic,,Detentions,الاحتجاز,People held by the forces.,\n")
        fh.write(
            f"people_detained,metric,detentions,People detained,المحتجزون,People held in detention.,{row['unit']}\n"
        )
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    ops = next(r for r in descriptor["resources"] if r["name"] == "operations")
    descriptor["resources"].append(
        {
            **ops,
            "name": "detentions",
            "path": "data/detentions.csv",
            "schema": "schemas/detentions.json",
            "title": "Detentions",
            "x-facts": {},
        }
    )
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    assert main(["rehash", str(root / "datapackage.json")]) == 0

    report = validate(root / "datapackage.json")
    assert report.ok, [p.text() for p in report.errors]
    a = analyse(report)
    assert a.model.topic_codes[-1] == "detentions"
    summary = a.summary.filter(a.summary["topic"] == "detentions").row(0, named=True)
    assert (summary["metric"], summary["claims"], summary["fact_ids"]) == ("people_detained", 1, "DET-0001")
    md = document.render_markdown(sections.document(a, []))
    assert "## Detentions" in md and "`DET-0001`" in md and "People detained · Iraqis" in md
    dist = tmp_path / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    from iraq_war_facts import exports

    tables = [report.context.tables[name] for name in report.context.package.resources]
    [written] = [p for p in exports.write_json(tables, dist) if p.name == "detentions.json"]
    assert json.loads(written.read_text(encoding="utf-8"))[0]["fact_id"] == "DET-0001"


def test_a_fact_table_without_the_core_is_named(copy: PackageCopy) -> None:
    schema = copy.schema("operations")
    schema["fields"] = [f for f in schema["fields"] if f["name"] not in ("quote", "quote_en")]
    copy.save_schema("operations", schema)
    path = copy.root / "data" / "operations.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    keep = [i for i, h in enumerate(records[0]) if h not in ("quote", "quote_en")]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([[r[i] for i in keep] for r in records])
    found = [p for p in copy.run("rules") if p.code == "fact-table-core"]
    assert [(p.path, p.message) for p in found] == [
        (
            "schemas/operations.json",
            "fact table operations lacks the core field(s) every other fact table has: quote, quote_en",
        )
    ]


@pytest.mark.parametrize("field", ["value", "value_low", "value_high", "literal_value"])
@pytest.mark.parametrize("kind", ["string", "date", "integer"])
def test_a_fact_table_s_figures_are_numbers(copy: PackageCopy, field: str, kind: str) -> None:
    """A figure field typed as text (or a date) is a problem of that schema, not a rules check that could not run."""
    schema = copy.schema("costs")
    for f in schema["fields"]:
        if f["name"] == field:
            f["type"] = kind
            f.pop("constraints", None)
    copy.save_schema("costs", schema)
    found = copy.run("rules")
    assert not [p for p in found if p.code == "check-not-run"], [p.message for p in found]
    core = [(p.path, p.field, p.message) for p in found if p.code == "fact-table-core"]
    if kind == "integer":  # a whole number is a number: nothing to say about the figure's type
        assert core == []
    else:
        assert core == [
            (
                "schemas/costs.json",
                field,
                f"{field} of fact table costs is typed {kind}; figures are numbers (number or integer)",
            )
        ]
