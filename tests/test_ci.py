"""CI is defined once: the nox session ``ci``, called by ``.ci/run`` and by the GitHub workflow alike."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import ROOT


def nox_calls(text: str) -> list[str]:
    """The sessions named by every ``nox -s ...`` in ``text``."""
    return [s for m in re.finditer(r"\bnox -s ([\w ]+?)(?: --|$)", text, flags=re.M) for s in m.group(1).split()]


def test_ci_run_and_the_workflow_call_the_same_session() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert nox_calls(script) == ["ci"]
    assert "export IWF_REQUIRE_SOURCES=1" in script and "../shared/seeds" in script
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert nox_calls("\n".join(s.get("run", "") for s in steps)) == ["ci", "build"]


class Recorder:
    """Stands in for a nox session: records each command instead of running it."""

    def __init__(self) -> None:
        self.posargs: list[str] = []
        self.commands: list[list[str]] = []

    def run(self, *args: Any, **kwargs: Any) -> None:
        assert kwargs.get("include_outer_env", True), "the outer environment (IWF_REQUIRE_SOURCES) must reach the step"
        self.commands.append([Path(a).name if "/" in str(a) and Path(a).parent.name == "bin" else str(a) for a in args])


@pytest.fixture(scope="module")
def loaded_noxfile() -> ModuleType:
    """noxfile.py, imported once (nox registers its sessions at import)."""
    pytest.importorskip("nox")
    spec = importlib.util.spec_from_file_location("noxfile_under_test", ROOT / "noxfile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def noxfile(loaded_noxfile: ModuleType, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The noxfile with its environment builder stubbed: nothing is installed."""
    monkeypatch.setattr(loaded_noxfile, "_env", lambda session: {})
    return loaded_noxfile


@pytest.mark.parametrize("with_seeds", [True, False])
def test_the_ci_session_runs_every_check_in_order_with_explicit_paths(
    noxfile: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, with_seeds: bool
) -> None:
    seeds = tmp_path / "seeds"
    if with_seeds:
        seeds.mkdir()
    monkeypatch.setattr(noxfile, "SEEDS", seeds)
    session = Recorder()
    noxfile.ci(session)
    descriptor = str(ROOT / "datapackage.json")
    sources = ["--sources", str(seeds)] if with_seeds else []
    assert session.commands == [
        ["python", "-m", "pytest"],
        ["python", "-m", "iraq_war_facts", "validate", descriptor, *sources],
        ["frictionless", "validate", descriptor],
        ["ruff", "check", "scripts", "tests", "noxfile.py"],
        ["ruff", "format", "--check", "scripts", "tests", "noxfile.py"],
        ["python", "-m", "iraq_war_facts", "report", descriptor, "--check", "--out", str(ROOT / "reports")],
    ]


def test_the_build_session_names_its_descriptor_and_output_folder(noxfile: ModuleType) -> None:
    session = Recorder()
    noxfile.build(session)
    [command] = session.commands
    assert command[:5] == ["python", "-m", "iraq_war_facts", "build", str(ROOT / "datapackage.json")]
    assert "--with-reports" in command and command[command.index("--dist") + 1] == str(ROOT / "dist")


def test_a_descriptor_given_to_a_session_replaces_the_package_and_its_output_folders(noxfile: ModuleType) -> None:
    session = Recorder()
    session.posargs = ["other/datapackage.json", "--check"]
    noxfile.report(session)
    assert session.commands == [["python", "-m", "iraq_war_facts", "report", "other/datapackage.json", "--check"]]
