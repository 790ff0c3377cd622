"""Reports: reproducible, complete, citing their facts, refused on invalid data, and readable in a browser."""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import copy_package, rows
from iraq_war_facts import report
from iraq_war_facts.cli import main
from iraq_war_facts.errors import InvalidPackage
from iraq_war_facts.outputs import MARKER, marker_text
from iraq_war_facts.validate import validate

pytestmark = pytest.mark.slow(12)  # seconds, roughly: the order in which workers take the slow files

ID = re.compile(r"\b(?:[A-Z]{3}-\d{4}|DRV-(?:REL-)?\d{4}|src-\d{3})\b")


@functools.cache
def built_reports() -> Path:
    """One build of the reports from the repository's package, shared by the report and chart tests."""
    root = Path(tempfile.mkdtemp(prefix="iwf-reports-"))
    atexit.register(shutil.rmtree, root, True)
    out = root / "reports"
    report.build_reports(out, ROOT / "datapackage.json")
    return out


@pytest.fixture(scope="module")
def reports() -> Path:
    return built_reports()


def fact_ids() -> list[str]:
    topics = [r["code"] for r in rows(ROOT / "data" / "codebook.csv") if r["list"] == "topic"]
    return [r["fact_id"] for topic in topics for r in rows(ROOT / "data" / f"{topic}.csv")]


def package_copy(tmp_path: Path) -> Path:
    return copy_package(tmp_path)


def test_a_fresh_build_is_byte_identical_to_the_committed_reports(reports: Path) -> None:
    """Two builds in two processes at two times (the committed one and this one) give the same bytes."""
    assert report.compare_reports(ROOT / "reports", reports) == {}


def test_outputs_and_manifest(reports: Path) -> None:
    names = set(report._files(reports))
    assert {"summary.md", "manifest.json", "charts/index.json", "assets/site.css", "assets/facts.js"} <= names
    assert {f"{edition}{page}" for edition in ("", "ar/") for page in ("index.html", "facts.html")} <= names
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for name, entry in listed.items():
        data = (reports / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)


def test_no_timestamps_or_local_paths(reports: Path) -> None:
    for name in report._files(reports):
        if name.endswith((".md", ".html", ".json", ".csv", ".svg")):
            text = (reports / name).read_text(encoding="utf-8")
            assert str(reports.parent) not in text and "/tmp/" not in text and "file://" not in text, name
            assert "<dc:date>" not in text, name


def test_check_reports_names_stale_missing_and_extra_files(reports: Path, tmp_path: Path) -> None:
    copy = tmp_path / "reports"
    shutil.copytree(reports, copy)
    (copy / "summary.md").write_text("stale\n", encoding="utf-8")
    (copy / "charts" / "costs-ar.png").unlink()
    (copy / "notes.txt").write_text("not generated\n", encoding="utf-8")
    assert report.compare_reports(reports, copy) == {
        "charts/costs-ar.png": "missing",
        "notes.txt": "extra",
        "summary.md": "stale",
    }
    assert report.compare_reports(reports, tmp_path / "nowhere") == {n: "missing" for n in report._files(reports)}


def test_report_has_every_section_and_the_attribution(reports: Path) -> None:
    md = (reports / "summary.md").read_text(encoding="utf-8")
    page = (reports / "index.html").read_text(encoding="utf-8")
    for heading in (
        "Overview",
        *(r["label_en"] for r in rows(ROOT / "data" / "codebook.csv") if r["list"] == "topic"),
        "Discrepancies",
        "Consistency checks",
        "Data quality",
        "How to cite",
    ):
        assert f"\n## {heading}\n" in md, heading
    for heading in ("Key numbers", "Where the sources disagree", "Charts", "Downloads", "Licence and how to cite"):
        assert f">{heading}</h2>" in page, heading
    attribution = (
        "Data: iraq-war-facts (CC BY 4.0), compiled from five Arabic news articles; "
        "figures are claims as stated by their sources."
    )
    assert attribution in md and attribution in page


def test_report_names_every_fact_and_figures_name_their_ids(reports: Path) -> None:
    md = (reports / "summary.md").read_text(encoding="utf-8")
    table = (reports / "facts.html").read_text(encoding="utf-8")
    for fid in fact_ids():
        assert f"[`{fid}`](fact/{fid}.html)" in md and f'<a class="fid" href="fact/{fid}.html">{fid}</a>' in table, fid
    for rel in rows(ROOT / "data" / "relations.csv"):
        assert f"`{rel['relation_id']}`" in md and f"`DRV-{rel['relation_id']}`" in md
    for line in md.splitlines():
        is_row = line.startswith("| ") and not line.startswith("| ---")
        if (is_row or line.startswith("- ")) and re.search(r"\d", ID.sub("", line)) and "| count |" not in line:
            assert ID.search(line), f"a number without the id behind it: {line[:120]}"


def test_quotes_are_right_to_left_in_the_facts_table(reports: Path) -> None:
    page = (reports / "facts.html").read_text(encoding="utf-8")
    quotes = [q for q in re.findall(r'<td dir="rtl" lang="ar">(.*?)</td>', page) if q]
    events = rows(ROOT / "data" / "events.csv")
    assert len(quotes) == len(fact_ids()) + len(events)
    assert all(re.search(r"[\u0600-\u06FF]", q) for q in quotes)


def test_invalid_package_is_refused_with_the_validator_s_messages(tmp_path: Path, capsys) -> None:
    descriptor = package_copy(tmp_path / "pkg")
    troops = tmp_path / "pkg" / "data" / "troops.csv"
    troops.write_text(troops.read_text(encoding="utf-8").replace(",160000,", ",lots,", 1), encoding="utf-8")
    problems = [p.text() for p in validate(descriptor).errors]
    assert problems and any("lots" in p for p in problems)
    out = tmp_path / "reports"
    with pytest.raises(InvalidPackage) as refused:
        report.build_reports(out, descriptor)
    for problem in problems:
        assert problem in str(refused.value)
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["pkg"]
    assert main(["report", str(descriptor), "--out", str(out)]) == 1
    assert problems[0] in capsys.readouterr().err


def test_an_interrupted_build_leaves_the_previous_reports(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / MARKER).write_text(marker_text("reports"), encoding="utf-8")
    (out / "summary.md").write_text("previous\n", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr("iraq_war_facts.charts.build_charts", broken)
    with pytest.raises(RuntimeError, match="interrupted"):
        report.build_reports(out, ROOT / "datapackage.json")
    assert (out / "summary.md").read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".reports.lock", "reports"]


def test_check_command_exits_1_naming_each_stale_file(reports: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    copy = tmp_path / "reports"
    shutil.copytree(reports, copy)
    (copy / "index.html").write_text("stale\n", encoding="utf-8")
    monkeypatch.setattr(report, "write", lambda analysis, out: shutil.copytree(reports, out, dirs_exist_ok=True))
    descriptor = str(ROOT / "datapackage.json")
    assert main(["report", descriptor, "--out", str(copy), "--check"]) == 1
    assert "stale: " in capsys.readouterr().out
    assert main(["report", descriptor, "--out", str(reports), "--check"]) == 0
