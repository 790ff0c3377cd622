"""CI is defined once: the nox session ``ci``, reached through ``tools/bootstrap.py`` by ``.ci/run`` and by the GitHub
workflow alike, with the machine's system Python; the bootstrap makes its own tool environment and nothing else."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import ROOT

BOOTSTRAP = "tools/bootstrap.py"


def bootstrap_calls(text: str) -> list[tuple[str, str]]:
    """Each ``PYTHON tools/bootstrap.py ARGS`` line of ``text``, as (python, args)."""
    pattern = rf"^\s*(\S+) {re.escape(BOOTSTRAP)}(.*?)\s*$"
    return [(m.group(1), m.group(2).strip()) for m in re.finditer(pattern, text, flags=re.M)]


def test_ci_run_runs_both_readme_commands_with_the_system_python() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert bootstrap_calls(script) == [("python3", "-s ci"), ("python3", "")]  # the tests, then the main job
    assert 'export PATH="/usr/bin:$PATH"' in script, "python3 is the system Python where the machine has one"
    assert "export IWF_REQUIRE_SOURCES=1" in script and "../shared/seeds" in script
    assert "pip install" not in script, "nothing is installed into the Python that runs the bootstrap"


def test_the_workflow_runs_the_same_commands_with_the_runner_s_system_python() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert bootstrap_calls(runs) == [("/usr/bin/python3", "-s ci"), ("/usr/bin/python3", "")]
    assert not any(s.get("uses", "").startswith("actions/setup-python") for s in steps)
    assert "pip install" not in runs and "IWF_REQUIRE_SOURCES" not in runs


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
        ["python", "-m", "pytest", "-m", "browser", "-n", "0", str(ROOT / "tests" / "test_browser.py")],
        ["python", "-m", "iraq_war_facts", "validate", descriptor, *sources],
        ["frictionless", "validate", descriptor],
        ["ruff", "check", "scripts", "tests", "tools", "noxfile.py"],
        ["ruff", "format", "--check", "scripts", "tests", "tools", "noxfile.py"],
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


# --- the bootstrap: a tool environment inside the checkout, whatever python3 is ---------------------------------------


@pytest.fixture(scope="module")
def bootstrap() -> ModuleType:
    """tools/bootstrap.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / BOOTSTRAP)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("version", "ok"), [((3, 10, 14), False), ((3, 11, 0), True), ((3, 13, 1), True)])
def test_the_bootstrap_needs_python_3_11(bootstrap: ModuleType, version: tuple[int, ...], ok: bool) -> None:
    if ok:
        bootstrap.check_python(version)
    else:
        with pytest.raises(bootstrap.BootstrapError, match=r"needs Python 3\.11 or newer; .* is 3\.10\.14"):
            bootstrap.check_python(version)


def lookups(*present: str) -> dict[str, Any]:
    """Stand-ins for find_spec and which, finding only the modules and programs named in ``present``."""
    return {
        "find_spec": lambda name: object() if name in present else None,
        "which": lambda name: f"/opt/{name}" if name in present else None,
    }


@pytest.mark.parametrize(
    ("present", "first"),
    [
        (("ensurepip", "virtualenv", "uv"), ["py", "-m", "venv", "VENV"]),
        (("virtualenv", "uv"), ["py", "-m", "virtualenv", "--quiet", "--python", "py", "VENV"]),
        (("uv",), ["/opt/uv", "venv", "--quiet", "--seed", "--python", "py", "VENV"]),
    ],
)
def test_the_tool_environment_is_made_with_venv_else_virtualenv_else_uv(
    bootstrap: ModuleType, present: tuple[str, ...], first: list[str]
) -> None:
    commands = bootstrap.creators("py", Path("VENV"), **lookups(*present))
    assert commands[0] == first and len(commands) == len(present)


def test_a_python_without_ensurepip_nor_any_other_way_names_the_package_to_install(bootstrap: ModuleType) -> None:
    with pytest.raises(bootstrap.BootstrapError, match=r"lacks ensurepip.*python3-venv.*sudo apt install python3-venv"):
        bootstrap.creators("py", Path("VENV"), **lookups())


class FakeSetup:
    """Stands in for the set-up steps: a creation makes a venv's files, and each command is recorded; commands that
    start with a program in ``failing`` fail."""

    def __init__(self, bootstrap: ModuleType, failing: tuple[str, ...] = ()) -> None:
        self.bootstrap, self.failing, self.commands = bootstrap, failing, []

    def __call__(self, command: list[str]) -> None:
        self.commands.append(command)
        if command[0] in self.failing:
            raise self.bootstrap.BootstrapError(f"this step failed: {command[0]}")
        if "pip" not in command:
            venv = Path(command[-1])
            (venv / "bin").mkdir(parents=True)
            (venv / "bin" / "python").write_text("", encoding="utf-8")
            (venv / "pyvenv.cfg").write_text("", encoding="utf-8")


@pytest.fixture
def lock(bootstrap: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "requirements.lock"
    path.write_text("nox==2026.10.20\n", encoding="utf-8")
    monkeypatch.setattr(bootstrap, "LOCK", path)
    return path


def test_the_tool_environment_is_made_once_and_remade_when_the_lock_changes(
    bootstrap: ModuleType, lock: Path, tmp_path: Path
) -> None:
    venv, setup = tmp_path / "tools", FakeSetup(bootstrap)
    python = bootstrap.ensure_tools("py", venv, setup, **lookups("ensurepip"))
    assert python == venv / "bin" / "python"
    assert setup.commands == [
        ["py", "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(lock), "nox", "uv"],
    ]
    bootstrap.ensure_tools("py", venv, setup, **lookups("ensurepip"))
    assert len(setup.commands) == 2, "an environment that is current is reused"
    lock.write_text("nox==2026.10.21\n", encoding="utf-8")
    bootstrap.ensure_tools("py", venv, setup, **lookups("ensurepip"))
    assert len(setup.commands) == 4, "a new lock file remakes it"
    bootstrap.ensure_tools("other-python", venv, setup, **lookups("ensurepip"))
    assert len(setup.commands) == 6, "another Python remakes it"


def test_a_way_that_fails_gives_way_to_the_next_and_all_failing_are_reported(
    bootstrap: ModuleType, lock: Path, tmp_path: Path
) -> None:
    setup = FakeSetup(bootstrap, failing=("py",))
    bootstrap.ensure_tools("py", tmp_path / "a", setup, **lookups("ensurepip", "uv"))
    assert [c[0] for c in setup.commands] == ["py", "/opt/uv", str(tmp_path / "a" / "bin" / "python")]
    setup = FakeSetup(bootstrap, failing=("py", "/opt/uv"))
    with pytest.raises(bootstrap.BootstrapError, match=r"(?s)cannot make the tool environment:.*py.*/opt/uv"):
        bootstrap.ensure_tools("py", tmp_path / "b", setup, **lookups("ensurepip", "uv"))


def test_a_folder_in_the_way_of_the_tool_environment_is_left_alone(
    bootstrap: ModuleType, lock: Path, tmp_path: Path
) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "notes.txt").write_text("mine", encoding="utf-8")
    bootstrap.ensure_tools("py", tmp_path / "elsewhere", FakeSetup(bootstrap), **lookups("ensurepip"))
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")  # a virtual environment, but reached through a symlink
    for venv in (tmp_path / "tools", tmp_path / "link"):
        with pytest.raises(bootstrap.BootstrapError, match="not a virtual environment this script made"):
            bootstrap.ensure_tools("py", venv, FakeSetup(bootstrap), **lookups("ensurepip"))
    assert (tmp_path / "tools" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "elsewhere" / "pyvenv.cfg").is_file()


def test_the_bootstrap_reports_what_stops_it_in_one_line_and_runs_nox_with_the_arguments(
    bootstrap: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def refuse(version: tuple[int, ...] = (3, 9, 0)) -> None:
        raise bootstrap.BootstrapError("needs Python 3.11 or newer")

    monkeypatch.setattr(bootstrap, "check_python", refuse)
    assert bootstrap.main(["-s", "ci"]) == 1
    assert capsys.readouterr().err == "bootstrap: needs Python 3.11 or newer\n"
    monkeypatch.setattr(bootstrap, "check_python", lambda: None)
    monkeypatch.setattr(bootstrap, "ensure_tools", lambda: tmp_path / "bin" / "python")
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(bootstrap.subprocess, "call", lambda cmd, env: calls.append((cmd, env)) or 3)
    assert bootstrap.main(["-s", "ci"]) == 3, "nox's exit status is the script's"
    [(command, env)] = calls
    assert command == [str(tmp_path / "bin" / "python"), "-m", "nox", "-f", str(ROOT / "noxfile.py"), "-s", "ci"]
    assert env["PATH"].split(os.pathsep)[0] == str(tmp_path / "bin"), "the sessions find the tool environment's uv"


# --- for other projects' CI: the GitHub Action and the pre-commit hook --------------------------------------------


def console_scripts() -> dict[str, str]:
    """The console scripts pyproject.toml declares, name: module:function."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]


def entry_point(name: str) -> Any:
    """The function a declared console script runs."""
    module, _, function = console_scripts()[name].partition(":")
    return getattr(importlib.import_module(module), function)


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_installs_this_repository_apart_and_takes_its_inputs_through_the_environment(
    action: dict[str, Any],
) -> None:
    assert action["runs"]["using"] == "composite" and action["name"] and action["description"]
    assert action["inputs"]["descriptor"]["default"] == "datapackage.json"
    assert action["inputs"]["sources"]["default"] == "" and action["inputs"]["format"]["default"] == "text"
    steps = action["runs"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["update-environment"] is False, "the job's own Python is left as it was"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '-m venv "$VENV"' in install["run"]
    assert 'pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"' in install["run"]
    for step in steps:
        assert "${{" not in step.get("run", ""), f"{step['name']}: inputs are pasted into the script"


def run_validate_step(action: dict[str, Any], tmp_path: Path, **inputs: str) -> list[str]:
    """Run the action's validate step with bash, its command replaced by one that prints its arguments; return them."""
    step = next(s for s in action["runs"]["steps"] if s["name"] == "iraq-war-facts validate")
    fake = tmp_path / "bin" / "iraq-war-facts"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    defaults = {k.upper(): str(v["default"]) for k, v in action["inputs"].items() if k != "python-version"}
    env = {**os.environ, **defaults, **{k.upper(): v for k, v in inputs.items()}, "IWF_BIN": str(fake.parent)}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps are bash")
def test_the_action_runs_the_declared_command_with_the_descriptor_and_sources_it_is_given(
    action: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step = next(s for s in action["runs"]["steps"] if s["name"] == "iraq-war-facts validate")
    assert '"$IWF_BIN/iraq-war-facts" validate' in step["run"] and "iraq-war-facts" in console_scripts()
    assert run_validate_step(action, tmp_path) == ["validate", "datapackage.json", "--format", "text"]
    args = run_validate_step(action, tmp_path, descriptor="a b/datapackage.json", sources="texts; rm -rf /")
    assert args == ["validate", "a b/datapackage.json", "--format", "text", "--sources", "texts; rm -rf /"]
    args = run_validate_step(action, tmp_path, descriptor=str(ROOT / "datapackage.json"), format="json")
    assert entry_point("iraq-war-facts")(args) == 0, "the real command accepts what the step gives it"
    assert json.loads(capsys.readouterr().out)["valid"] is True


def test_the_pre_commit_hook_runs_the_validator_when_package_files_change(capsys: pytest.CaptureFixture[str]) -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "iraq-war-facts-validate" and hook["language"] == "python" and hook["pass_filenames"] is False
    program, *args = hook["entry"].split()
    assert program in console_scripts()
    assert entry_point(program)([*args, str(ROOT / "datapackage.json")]) == 0
    assert "VALID" in capsys.readouterr().out
    files = re.compile(hook["files"])
    for path in ("datapackage.json", "data/troops.csv", "schemas/troops.json", "pkg/datapackage.json", "tables/a.csv"):
        assert files.search(path), path
    for path in ("README.md", "scripts/iraq_war_facts/cli.py", "datapackage.json.bak", "docs/schemas.md"):
        assert not files.search(path), path


BLOCK_EXTRAS = """
import sys

class Extras:
    '''Finds no module of the extras, as in an install without them.'''

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

sys.meta_path.insert(0, Extras())
from iraq_war_facts.cli import main

sys.exit(main(["validate", {descriptor!r}]))
"""


def test_the_validator_as_the_action_and_the_hook_install_it_needs_no_extra() -> None:
    """The Action and the hook install the package without extras: validation must not import any of theirs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower() for r in project["dependencies"]}
    extras = {
        re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("-", "_")
        for name in ("charts", "conformance", "release")
        for r in project["optional-dependencies"][name]
    }
    blocked = sorted(extras - base)
    assert "pyarrow" in blocked and "matplotlib" in blocked
    code = BLOCK_EXTRAS.format(blocked=blocked, descriptor=str(ROOT / "datapackage.json"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "VALID" in proc.stdout
