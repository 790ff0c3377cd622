"""The command line: exit statuses, text and JSON output, loud 'not run', no writes, no tracebacks; the package found
from the current folder upward; outputs beside it; every error through one base class with its exit status."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT
from helpers import copy_package, snapshot
from iraq_war_facts import cli
from iraq_war_facts.cli import main
from iraq_war_facts.errors import (
    BuildError,
    InvalidPackage,
    IWFError,
    MissingDependency,
    PackageError,
    WheelError,
)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository's root, whose datapackage.json is the default descriptor there."""
    monkeypatch.chdir(ROOT)


def break_troops(descriptor) -> None:
    """A type error at data/troops.csv line 3, column 5."""
    troops = descriptor.parent / "data" / "troops.csv"
    lines = troops.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",100000,150000,range,", ",abc,150000,range,", 1)
    troops.write_text("\n".join(lines), encoding="utf-8")


def test_real_package_is_valid_and_citations_are_reported_not_run(in_repo, capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "checking ./datapackage.json"
    assert "citations     NOT RUN" in out
    assert "VALID" in out and "NOT RUN: pass --sources DIR" in out


def test_real_package_is_valid_with_sources(in_repo, seeds_dir, capsys) -> None:
    assert main(["validate", "--sources", str(seeds_dir)]) == 0
    out = capsys.readouterr().out
    assert "NOT RUN" not in out
    assert "citations     passed" in out and "completeness  passed" in out


def test_invalid_copy_exits_1_with_file_line_column(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    break_troops(descriptor)
    before = snapshot(descriptor.parent)
    assert main(["validate", str(descriptor)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"checking {descriptor}"
    assert "data/troops.csv:3:5: type error: 'abc' is not a valid number" in out
    assert "INVALID" in out
    assert snapshot(descriptor.parent) == before, "validation wrote into the package"


def test_json_output_lists_problems_as_records(tmp_path, monkeypatch, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    costs = descriptor.parent / "data" / "costs.csv"
    costs.write_text(costs.read_text(encoding="utf-8").replace(",861000000,", ",-861000000,"), encoding="utf-8")
    monkeypatch.chdir(descriptor.parent)
    assert main(["validate", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] is False and doc["descriptor"] == "./datapackage.json"
    assert doc["not_run"].keys() == {"citations", "claims", "completeness"}
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
def test_unreadable_input_or_wrong_call_exits_2(in_repo, argv, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_malformed_descriptor_exits_2_naming_the_place(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    descriptor.write_text('{"resources": [', encoding="utf-8")
    assert main(["validate", str(descriptor)]) == 2
    assert "datapackage.json:1:" in capsys.readouterr().err


def test_a_check_that_cannot_run_is_a_problem_not_a_traceback(tmp_path, capsys, monkeypatch) -> None:
    from iraq_war_facts.checks import rules

    def broken(ctx):
        raise TypeError("a bug")

    monkeypatch.setattr(rules, "check", broken)
    descriptor = copy_package(tmp_path / "pkg")
    assert main(["validate", str(descriptor)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "datapackage.json: the rules check could not run (TypeError: a bug)" in captured.out


def test_a_figure_typed_as_text_is_a_problem_of_its_schema(tmp_path, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    schema = descriptor.parent / "schemas" / "costs.json"
    doc = json.loads(schema.read_text(encoding="utf-8"))
    for field in doc["fields"]:
        if field["name"] == "value":
            field["type"] = "string"
    schema.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["validate", str(descriptor)]) == 1
    out = capsys.readouterr().out
    assert "schemas/costs.json: value of fact table costs is typed string; figures are numbers" in out
    assert "could not run" not in out


# --- the package of the current folder -------------------------------------------------------------------------


def test_a_broken_copy_is_found_from_a_subfolder_and_an_explicit_argument_wins(tmp_path, monkeypatch, capsys) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    break_troops(descriptor)
    monkeypatch.chdir(descriptor.parent / "data")
    assert main(["validate"]) == 1, "the copy around the current folder is checked, not the repository"
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"checking {descriptor}"
    assert "data/troops.csv:3:5:" in out and "INVALID" in out

    monkeypatch.chdir(descriptor.parent)
    assert main(["validate", str(ROOT / "datapackage.json")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"checking {ROOT / 'datapackage.json'}"


@pytest.mark.parametrize("argv", [["validate"], ["report"], ["build"], ["rehash"], ["readme"]])
def test_no_package_anywhere_exits_2_saying_so(tmp_path, monkeypatch, capsys, argv) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"error: {tmp_path}: no datapackage.json here or in any folder above" in err
    assert list(tmp_path.iterdir()) == []


def test_readme_and_rehash_act_on_the_data_dictionary_beside_the_descriptor(tmp_path, monkeypatch, capsys) -> None:
    from iraq_war_facts.docs import DICTIONARY

    descriptor = copy_package(tmp_path / "pkg", ("README.md",))
    readme = (descriptor.parent / "README.md").read_bytes()
    dictionary = descriptor.parent / DICTIONARY
    ours = (ROOT / DICTIONARY).read_bytes()
    monkeypatch.chdir(descriptor.parent / "schemas")
    assert main(["readme"]) == 0
    assert capsys.readouterr().out == f"{DICTIONARY} updated\n"
    assert "\n### troops\n" in dictionary.read_text(encoding="utf-8")
    assert main(["readme"]) == 0
    assert capsys.readouterr().out == f"{DICTIONARY} already current\n"

    troops = descriptor.parent / "data" / "troops.csv"
    troops.write_bytes(troops.read_bytes() + b"\n")
    dictionary.write_text("STALE-DICTIONARY\n", encoding="utf-8")
    assert main(["rehash"]) == 0
    assert capsys.readouterr().out == f"hashes updated: troops\n{DICTIONARY} updated\n"
    assert (ROOT / DICTIONARY).read_bytes() == ours, "the repository's data dictionary was touched"
    assert (descriptor.parent / "README.md").read_bytes() == readme, "the README is the reader's, never rewritten"

    dictionary.unlink()
    assert main(["rehash"]) == 0
    assert capsys.readouterr().out == "hashes updated: none\n"
    assert not dictionary.exists(), "rehash updates the data dictionary, it does not create one"


def test_build_beside_a_package_without_code_has_no_wheel(tmp_path, monkeypatch, capsys) -> None:
    from iraq_war_facts.build import BUNDLE_FILES

    descriptor = copy_package(tmp_path / "pkg", BUNDLE_FILES)
    monkeypatch.chdir(descriptor.parent / "data")
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "no wheel: no pyproject.toml and scripts/ beside" in out
    last = out.splitlines()[-1]
    assert last.startswith("built ") and last.endswith(f"files into {tmp_path / 'pkg' / 'dist'}")
    built = sorted(p.name for p in (tmp_path / "pkg" / "dist").iterdir())
    assert "iraq-war-facts-0.1.0.zip" in built and not [n for n in built if n.endswith(".whl")]


# --- errors: one base class, one place that maps it to an exit status --------------------------------------------


def test_a_missing_release_library_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails as if it were not installed
    assert main(["build", str(ROOT / "datapackage.json"), "--dist", str(tmp_path / "dist"), "--no-wheel"]) == 2
    captured = capsys.readouterr()
    assert captured.err == 'error: pyarrow is not installed: pip install "iraq-war-facts[release]"\n'
    assert captured.out == "" and list(tmp_path.iterdir()) == []


def test_a_missing_charts_library_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys) -> None:
    for name in [m for m in sys.modules if m == "iraq_war_facts.charts" or m.startswith("iraq_war_facts.charts.")]:
        monkeypatch.delitem(sys.modules, name)  # imported afresh, as in a process without matplotlib
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["report", str(ROOT / "datapackage.json"), "--out", str(tmp_path / "reports")]) == 2
    captured = capsys.readouterr()
    assert captured.err == 'error: matplotlib is not installed: pip install "iraq-war-facts[charts]"\n'
    assert not (tmp_path / "reports").exists()


def test_require_names_the_extra_and_passes_other_import_errors_through(tmp_path, monkeypatch) -> None:
    from iraq_war_facts.errors import require

    assert require("json", "charts") is sys.modules["json"]
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(MissingDependency) as missing:
        require("xlsxwriter", "release")
    assert missing.value.exit_code == 2 and str(missing.value).count("\n") == 0
    (tmp_path / "iwf_half_installed.py").write_text("import iwf_no_such_dependency\n", encoding="utf-8")
    monkeypatch.syspath_prepend(tmp_path)
    with pytest.raises(ModuleNotFoundError, match="iwf_no_such_dependency"):
        require("iwf_half_installed", "charts")  # installed but broken: the real error, not "pip install"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PackageError("data/troops.csv", "file 'data/troops.csv' does not exist"), 2),
        (MissingDependency("matplotlib", "charts"), 2),
        (InvalidPackage(["data/troops.csv:3:5: type error"]), 1),
        (BuildError("the package is not valid; nothing was built:", ["data/troops.csv:3:5: type error"]), 1),
        (WheelError("cannot build the wheel:", ["pip wheel: no network"]), 1),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
def test_every_error_reaches_its_exit_status_through_the_base_class(in_repo, monkeypatch, capsys, error, status):
    assert isinstance(error, IWFError) and error.exit_code == status

    def fail(args: object) -> int:
        raise error

    monkeypatch.setattr(cli, "_validate", fail)
    assert main(["validate"]) == status
    captured = capsys.readouterr()
    assert captured.err == f"error: {error}\n" and captured.out == ""
