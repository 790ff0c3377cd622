"""The main job validates once: reports and release are built from that one result."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from helpers import copy_package
from iraq_war_facts import pipeline
from iraq_war_facts.cli import main
from iraq_war_facts.errors import InvalidPackage


def _stub_charts(analysis, directory: Path) -> list[dict]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "deaths-en.png").write_bytes(b"\x89PNG stub")
    return []


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = pipeline.validate

    def validate(descriptor, sources_dir=None):
        calls.append(str(descriptor))
        return real(descriptor, sources_dir)

    monkeypatch.setattr(pipeline, "validate", validate)
    monkeypatch.setattr("iraq_war_facts.charts.build_charts", _stub_charts)
    return calls


def test_one_validation_feeds_the_reports_and_the_release(tmp_path: Path, counted: list[str], capsys) -> None:
    descriptor = copy_package(
        tmp_path / "pkg", extra=("README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", "CHANGELOG.md")
    )
    assert main(["build", str(descriptor), "--with-reports", "--no-wheel"]) == 0
    assert counted == [str(descriptor)]
    root = descriptor.parent
    assert (root / "reports" / "summary.md").is_file() and (root / "reports" / "manifest.json").is_file()
    [bundle] = (root / "dist").glob("*.zip")
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        assert "iraq-war-facts-0.1.0/reports/charts/deaths-en.png" in names
        assert "iraq-war-facts-0.1.0/reports/summary.md" in names and "iraq-war-facts-0.1.0/data/derived.csv" in names
    assert "report file(s) written to" in capsys.readouterr().out


def test_an_invalid_package_writes_nothing(tmp_path: Path, counted: list[str]) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    derived = descriptor.parent / "data" / "derived.csv"
    derived.write_text(derived.read_text(encoding="utf-8").replace("CAS-0013", "CAS-9999"), encoding="utf-8")
    with pytest.raises(InvalidPackage):
        pipeline.run(descriptor, tmp_path / "reports", tmp_path / "dist")
    assert counted == [str(descriptor)]
    assert not (tmp_path / "reports").exists() and not (tmp_path / "dist").exists()
