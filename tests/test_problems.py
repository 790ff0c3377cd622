"""The catalogue of problem types: every problem the validator reports carries a code of the catalogue, each with a
family, a title and a fix; the JSON output carries the code; CONTRIBUTING's table of problem types is current."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from fixtures.content.package_copy import PackageCopy
from helpers import copy_package
from iraq_war_facts import problems
from iraq_war_facts.checks import citations
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.cli import main
from iraq_war_facts.docs import PROBLEMS_END, PROBLEMS_START, render_contributing
from iraq_war_facts.validate import validate

SOURCE = ROOT / "scripts" / "iraq_war_facts"
TESTS = Path(__file__).parent
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _modules(folder: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(folder.rglob("*.py")):
        if path.name != "problems.py":
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _named_codes(tree: ast.Module) -> set[str]:
    """Literal codes a module names: ``code="..."`` arguments, values assigned to ``code`` (alone or in a tuple), and
    the values of tables named ``*CODES``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
            found.add(node.value.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "code" and isinstance(node.value, ast.Constant):
                    found.add(node.value.value)
                elif isinstance(target, ast.Name) and target.id.endswith("CODES") and isinstance(node.value, ast.Dict):
                    found.update(v.value for v in node.value.values if isinstance(v, ast.Constant))
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for name, value in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(name, ast.Name) and name.id == "code" and isinstance(value, ast.Constant):
                            found.add(value.value)
    return found


def _problem_codes(found: list[Problem]) -> set[str]:
    """The codes of ``found``, once each is checked: in the catalogue, of the family that reported it."""
    for p in found:
        assert p.code, f"a problem without a code: {p.text()}"
        kind = problems.problem_type(p.code)
        assert kind.family in (p.check, "any"), f"{p.code} is of family {kind.family}, reported by {p.check}"
    return {p.code for p in found}


# -- the catalogue --------------------------------------------------------------------------------------------


def test_every_type_has_a_stable_code_a_family_a_title_and_a_fix() -> None:
    families = {f.name for f in problems.FAMILIES}
    codes = [t.code for t in problems.CATALOGUE]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    for kind in problems.CATALOGUE:
        assert KEBAB.match(kind.code), kind.code
        assert kind.family in families, kind
        assert kind.title.strip() and kind.fix.strip(), kind
        assert "\n" not in kind.title + kind.fix and len(kind.fix) <= 120, kind
        assert problems.problem_type(kind.code) is kind
    assert problems.codes() == set(codes)
    with pytest.raises(KeyError, match="no-such-problem"):
        problems.problem_type("no-such-problem")


def test_every_code_named_in_the_validator_is_in_the_catalogue() -> None:
    named = {path.relative_to(ROOT).as_posix(): _named_codes(tree) for path, tree in _modules(SOURCE)}
    unknown = {path: sorted(codes - problems.codes()) for path, codes in named.items() if codes - problems.codes()}
    assert not unknown, f"codes missing from the catalogue: {unknown}"
    # Every family's module names its codes (relations names them in its findings, found by the runs below).
    for module in ("reading.py", "validate.py", "checks/schema.py", "checks/hygiene.py", "checks/rules.py"):
        assert named[f"scripts/iraq_war_facts/{module}"], module


def test_every_code_of_the_catalogue_is_named_in_the_validator() -> None:
    literals = {
        node.value
        for _, tree in _modules(SOURCE)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert problems.codes() - literals == set(), "catalogue entries no check reports"


def test_every_code_the_tests_expect_is_in_the_catalogue() -> None:
    expected = set().union(*(_named_codes(tree) for _, tree in _modules(TESTS)))
    assert expected - problems.codes() == set()
    assert len(expected) > 40, "the check tests assert the codes of the problems they expect"


# -- codes of real runs -------------------------------------------------------------------------------------


def test_a_broken_copy_reports_every_problem_with_its_code(tmp_path: Path) -> None:
    copy = PackageCopy(tmp_path)
    copy.set("troops", "TRP-0001", value_low="200000", party="martians")
    copy.set("costs", "CST-0002", value="abc")
    copy.set("displacement", "DSP-0002", value="0")
    copy.append("displacement", "DSP-0002", fact_id="DSP-0099", value="120")
    copy.set("events", "EVT-0001", date="1985-03-20", note="Dated by the article ")
    copy.set("relations", "REL-0001", fact_id="CAS-9999")
    copy.set("derived", "DRV-0001", formula="CAS-0004 + CAS-9999")
    copy.set("derived", "DRV-0002", formula="CAS-0006 +")
    copy.set("derived", "DRV-0003", formula="CAS-0002 + CAS-0004")
    copy.append("chart_items", "troops", position="99", ref="no_such_event")
    corrections = copy.root / "data" / "corrections.csv"
    with corrections.open("a", encoding="utf-8") as fh:
        fh.write("COR-0001,TRP-9999,value,1,2,0.2.0,2024-01-01,Misread.\n")
    codes = _problem_codes(validate(copy.descriptor).problems)
    assert codes >= {
        "qualifier-fields",
        "bounds-order",
        "foreign-key",
        "type-error",
        "percent-out-of-range",
        "date-out-of-frame",
        "correction-unknown-row",
        "stray-space",
        "hash-mismatch",
        "bytes-mismatch",
        "relation-unknown-fact",
        "relation-share-zero",
        "derived-unknown-fact",
        "derived-formula-syntax",
        "derived-not-computable",
        "chart-unknown-ref",
    }


def test_files_and_schemas_that_cannot_be_read_as_declared(tmp_path: Path) -> None:
    fields = [{"name": n, "type": "integer"} for n in "abc"]
    tables: dict[str, bytes] = {
        "empty": b"",
        "unparseable": b'a,b,c\n"1,2,3\n',
        "headers": b"a,,a\n1,2,3\n",
        "ragged": b"a,b,c\n1,2,3,4\n1\n,,\n",
        "renamed": b"a,x,c\n1,2,3\n",
        "wider": b"a,b,c,d\n1,2,3,4\n",
        "narrower": b"a,b\n1,2\n",
        "latin1": b"a,b,c\n1,2,\xe9\n",
        "bom": b"\xef\xbb\xbfa,b,c\n1,2,3\n",
        "keyed": b"a,b,c\n1,2,3\n",
    }
    resources = []
    for name, data in tables.items():
        (tmp_path / f"{name}.csv").write_bytes(data)
        resources.append({"name": name, "path": f"{name}.csv", "schema": {"fields": fields}})
    keyed = resources[-1]
    keyed["hash"] = "crc32:00000000"
    keyed["schema"] = {
        "fields": [{"name": "a", "type": "integer", "constraints": {"maximum": "lots"}}, *fields[1:]],
        "foreignKeys": [
            {"fields": ["a"], "reference": {"resource": "keyed", "fields": ["z"]}},
            {"fields": ["a", "b"], "reference": {"resource": "keyed", "fields": ["a"]}},
        ],
    }
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "unreadable", "resources": resources}), encoding="utf-8")
    codes = _problem_codes(validate(descriptor).problems)
    assert codes == {
        "empty-file",
        "csv-unparseable",
        "unsupported-hash",
        "invalid-constraint",
        "foreign-key-not-checked",
        "invalid-foreign-key",
        "blank-header",
        "duplicate-header",
        "extra-cell",
        "missing-cell",
        "blank-row",
        "header-mismatch",
        "extra-header",
        "missing-header",
        "not-utf8",
        "bom",
    }


def test_citation_and_completeness_problems_carry_their_codes(tmp_path: Path, seeds_dir: Path) -> None:
    copy = PackageCopy(tmp_path, seeds_dir)
    copy.set("troops", "TRP-0001", value="160000")
    copy.set("troops", "TRP-0002", paragraph="7")
    text = copy.text("001_73c791b717c232b2.txt").read_text(encoding="utf-8")
    end = text.index("\n", text.index("\n") + 1)  # a line break inside the text, between two paragraphs
    copy.set("troops", "TRP-0003", source_id="src-001", quote=text[end - 6 : end + 7])
    copy.drop("not_tabulated", "NTB-0003")
    latin1 = copy.text("004_37928d65db08ec21.txt")
    latin1.write_bytes(latin1.read_bytes() + b"\xe9")
    found = validate(copy.descriptor, copy.seeds).problems
    codes = _problem_codes([p for p in found if p.check in ("citations", "completeness")])
    assert codes == {
        "value-not-in-quote",
        "quote-wrong-paragraph",
        "quote-spans-paragraphs",
        "uncovered-mention",
        "source-text-mismatch",
        "source-not-utf8",
    }


def test_a_source_text_over_the_size_limit(tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = PackageCopy(tmp_path, seeds_dir)
    monkeypatch.setattr(citations, "MAX_TEXT_BYTES", 100)
    texts, found = citations.read_sources(copy.context())
    assert not texts and len(found) == 5
    assert _problem_codes(found) == {"source-file-too-large"}


def test_a_check_that_cannot_run_has_its_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug inside a check family (here: the rules raise) is reported as that family's ``check-not-run``."""
    from iraq_war_facts.checks import rules

    def broken(ctx):
        raise TypeError("a bug")

    monkeypatch.setattr(rules, "check", broken)
    copy = PackageCopy(tmp_path)
    [failed] = [p for p in validate(copy.descriptor).problems if "could not run" in p.message]
    assert (failed.check, failed.code) == ("rules", "check-not-run")
    assert _problem_codes([failed]) == {"check-not-run"}


def test_json_output_carries_each_problem_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    troops = descriptor.parent / "data" / "troops.csv"
    troops.write_text(troops.read_text(encoding="utf-8").replace(",100000,150000,range,", ",abc,150000,range,", 1))
    assert main(["validate", str(descriptor), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)["problems"]
    assert records and all(problems.problem_type(r["code"]).family in (r["check"], "any") for r in records)
    [typed] = [r for r in records if r["path"] == "data/troops.csv" and r["line"] == 3]
    assert (typed["code"], typed["column"], typed["message"]) == (
        "type-error",
        5,
        "type error: 'abc' is not a valid number",
    )
    assert {r["code"] for r in records if r["path"] == "datapackage.json"} == {"hash-mismatch", "bytes-mismatch"}


# -- CONTRIBUTING ------------------------------------------------------------------------------------------------


def test_contributing_lists_every_problem_type_and_is_current() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert render_contributing(text) == text, "run: python -m iraq_war_facts readme"
    section = text.split(PROBLEMS_START, 1)[1].split(PROBLEMS_END, 1)[0]
    for kind in problems.CATALOGUE:
        assert f"| `{kind.code}` | {kind.title} |" in section, kind.code


def test_a_stale_contributing_is_rewritten_by_the_readme_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = copy_package(tmp_path / "pkg", extra=("README.md", "CONTRIBUTING.md"))
    contributing = descriptor.parent / "CONTRIBUTING.md"
    current = contributing.read_text(encoding="utf-8")
    contributing.write_text(current.replace("| `bom` |", "| `byte-order-mark` |"), encoding="utf-8")
    assert render_contributing(contributing.read_text(encoding="utf-8")) == current
    assert main(["readme", str(descriptor)]) == 0
    assert "CONTRIBUTING.md problem types updated" in capsys.readouterr().out
    assert contributing.read_text(encoding="utf-8") == current
    assert main(["readme", str(descriptor)]) == 0
    assert "CONTRIBUTING.md problem types already current" in capsys.readouterr().out
