"""The released wheel works on its own: installed in a fresh virtual environment, with no source checkout, its
``iraq-war-facts`` command finds the package of the current folder (an unzipped release bundle), validates it and
writes beside it. Slow-ish (a build, one venv for the session, an install)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow(20),  # seconds, roughly
    pytest.mark.skipif(os.name == "nt", reason="the venv layout below is POSIX (bin/)"),
]

TIMEOUT = 600
EXTRAS = "charts,release"


def _env() -> dict[str, str]:
    """The environment without anything that would let the repository's code leak into the venv."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}  # bytecode: written once, reused
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _make_venv(target: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel, its charts and release extras and their dependencies (uv when available)."""
    python = target / "bin" / "python"
    requirement = f"{wheel}[{EXTRAS}]"
    uv = shutil.which("uv")
    if uv:
        steps = [
            [uv, "venv", "--quiet", "--python", sys.executable, str(target)],
            [uv, "pip", "install", "--quiet", "--python", str(python), requirement],
        ]
    else:
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        steps = [[str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement]]
    for cmd in steps:
        proc = _run(cmd)
        assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    return target / "bin"


def _files(folder: Path) -> set[str]:
    """The files under ``folder`` (bytecode caches aside, which Python may write on import)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="session")
def release(releases: tuple[Path, Path, list[Path], bool]) -> Path:
    return releases[0]


@pytest.fixture(scope="session")
def installed(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin/`` of one fresh venv per session holding the released wheel; its code is the code under test."""
    wheels = sorted(release.glob("iraq_war_facts-*.whl"))
    assert len(wheels) == 1, wheels
    target = tmp_path_factory.mktemp("venv") / "venv"
    bin_dir = _make_venv(target, wheels[0])
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    where = _run([str(bin_dir / "python"), "-c", "import iraq_war_facts; print(iraq_war_facts.__file__)"], elsewhere)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(target), "the installed wheel is the code under test"
    return bin_dir


@pytest.fixture
def bundle(release: Path, tmp_path: Path) -> Path:
    """The release's zipped data package, unzipped: its one top-level folder, with no code and no pyproject.toml."""
    [archive] = release.glob("iraq-war-facts-*.zip")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path / "bundle")
    folder = tmp_path / "bundle" / archive.stem
    assert list((tmp_path / "bundle").iterdir()) == [folder]
    assert not (folder / "pyproject.toml").exists() and not (folder / "scripts").exists()
    return folder


def test_installed_wheel_validates_the_package_of_the_current_folder(installed: Path, bundle: Path) -> None:
    command = str(installed / "iraq-war-facts")
    proc = _run([command, "validate"], bundle)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0] == "checking ./datapackage.json"
    assert "VALID" in proc.stdout and "INVALID" not in proc.stdout

    broken = bundle.parent / "broken"
    shutil.copytree(bundle, broken)
    troops = broken / "data" / "troops.csv"
    lines = troops.read_text(encoding="utf-8").split("\n")
    troops.write_text("\n".join([lines[0], lines[1].replace(",src-", ",nope-", 1), *lines[2:]]), encoding="utf-8")
    proc = _run([command, "validate"], broken / "data")
    assert proc.returncode == 1, "the installed validator checks the broken copy it runs in"
    assert proc.stdout.splitlines()[0] == f"checking {broken / 'datapackage.json'}"
    assert "INVALID" in proc.stdout and "data/troops.csv:2:" in proc.stdout

    proc = _run([command, "validate"], bundle.parent)
    assert proc.returncode == 2 and "no datapackage.json here or in any folder above" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_installed_report_and_build_write_beside_the_package(installed: Path, bundle: Path) -> None:
    command = str(installed / "iraq-war-facts")
    venv_before = _files(installed.parent)
    proc = _run([command, "report"], bundle)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("written to ./reports")
    assert (bundle / "reports" / "index.html").is_file() and (bundle / "reports" / "charts").is_dir()

    proc = _run([command, "build"], bundle)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no wheel: no pyproject.toml and scripts/ beside ./datapackage.json" in proc.stdout
    assert proc.stdout.strip().endswith("into ./dist")
    built = _files(bundle / "dist")
    assert {"SHA256SUMS", "iraq-war-facts-0.1.0.zip", "iraq-war-facts.sqlite", "iraq-war-facts.xlsx"} <= built
    assert not [name for name in built if name.endswith(".whl")]
    with zipfile.ZipFile(bundle / "dist" / "iraq-war-facts-0.1.0.zip") as zf:
        names = zf.namelist()
        assert any(name.startswith("iraq-war-facts-0.1.0/reports/charts/") for name in names), "fresh charts bundled"
    assert _files(installed.parent) == venv_before, "a command wrote into the virtual environment"
