"""The validate command: exit statuses, text and JSON output, loud 'not run', no writes, no tracebacks."""

from __future__ import annotations

import json

import pytest

from helpers import copy_package, snapshot
from iraq_war_facts.cli import main


def test_real_package_is_valid_and_citations_are_reported_not_run(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "citations     NOT RUN" in out
    assert "VALID" in out and "NOT RUN: pass --sources DIR" in out


def test_real_package_is_valid_with_sources(seeds_dir, capsys) -> None:
    assert main(["validate", "--sources", str(seeds_dir)]) == 0
    out = capsys.readouterr().out
    assert "NOT RUN" not in out
    assert "citations     passed" in out and "completeness  passed" in out


def test_invalid_copy_exits_1_with_file_line_column(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    troops = descriptor.parent / "data" / "troops.csv"
    lines = troops.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",100000,150000,range,", ",abc,150000,range,", 1)
    troops.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(descriptor.parent)
    assert main(["validate", str(descriptor)]) == 1
    out = capsys.readouterr().out
    assert "data/troops.csv:3:5: type error: 'abc' is not a valid number" in out
    assert "INVALID" in out
    assert snapshot(descriptor.parent) == before, "validation wrote into the package"


def test_json_output_lists_problems_as_records(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    costs = descriptor.parent / "data" / "costs.csv"
    costs.write_text(costs.read_text(encoding="utf-8").replace(",861000000,", ",-861000000,"), encoding="utf-8")
    assert main(["validate", str(descriptor), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] is False
    assert doc["not_run"].keys() == {"citations", "completeness"}
    hit = [p for p in doc["problems"] if p["path"] == "data/costs.csv" and p["field"] == "value"]
    assert hit and hit[0]["line"] == 7 and hit[0]["column"] == 4
    assert {s["check"] for s in doc["summary"]} >= {"schema", "hygiene", "rules", "relations", "citations"}


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "no/such/datapackage.json"],
        ["validate", "--sources", "no/such/folder"],
        ["validate", "--format", "xml"],
        ["frobnicate"],
    ],
)
def test_unreadable_input_or_wrong_call_exits_2(argv, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_malformed_descriptor_exits_2_naming_the_place(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    descriptor.write_text('{"resources": [', encoding="utf-8")
    assert main(["validate", str(descriptor)]) == 2
    assert "datapackage.json:1:" in capsys.readouterr().err


def test_a_check_that_cannot_run_is_a_problem_not_a_traceback(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    schema = descriptor.parent / "schemas" / "costs.json"
    doc = json.loads(schema.read_text(encoding="utf-8"))
    for field in doc["fields"]:
        if field["name"] == "value":
            field["type"] = "string"
    schema.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["validate", str(descriptor)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "datapackage.json: the rules check could not run (" in captured.out
