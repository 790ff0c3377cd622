"""The released wheel works on its own: installed in a fresh virtual environment with its dependencies, its
``iraq-war-facts`` command validates the unzipped release bundle. Slow-ish (a build, a venv, an install)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from iraq_war_facts.build import WheelError, build

pytestmark = pytest.mark.slow

TIMEOUT = 600


def _env() -> dict[str, str]:
    """The environment without anything that would let the repository's code leak into the venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _make_venv(target: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel and its dependencies installed (uv when available, else venv + pip)."""
    python = target / "bin" / "python"
    uv = shutil.which("uv")
    if uv:
        steps = [
            [uv, "venv", "--quiet", "--python", sys.executable, str(target)],
            [uv, "pip", "install", "--quiet", "--python", str(python), str(wheel)],
        ]
    else:
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        steps = [[str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)]]
    for cmd in steps:
        proc = _run(cmd)
        assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    return target / "bin"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("release") / "dist"
    try:
        build(dist)
    except WheelError as exc:
        pytest.skip(f"building the wheel is impossible here, so it cannot be tested: {exc}")
    return dist


@pytest.mark.skipif(os.name == "nt", reason="the venv layout below is POSIX (bin/)")
def test_installed_wheel_validates_the_unzipped_bundle(release: Path, tmp_path: Path) -> None:
    wheels = sorted(release.glob("iraq_war_facts-*.whl"))
    assert len(wheels) == 1, wheels
    bundle = tmp_path / "bundle"
    with zipfile.ZipFile(next(release.glob("iraq-war-facts-*.zip"))) as zf:
        zf.extractall(bundle)
    bin_dir = _make_venv(tmp_path / "venv", wheels[0])

    where = _run([str(bin_dir / "python"), "-c", "import iraq_war_facts; print(iraq_war_facts.__file__)"], bundle)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv"), "the installed wheel is the code under test"

    proc = _run([str(bin_dir / "iraq-war-facts"), "validate", "datapackage.json"], bundle)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "VALID" in proc.stdout and "INVALID" not in proc.stdout

    broken = bundle / "data" / "troops.csv"
    lines = broken.read_text(encoding="utf-8").split("\n")
    broken.write_text("\n".join([lines[0], lines[1].replace(",src-", ",nope-", 1), *lines[2:]]), encoding="utf-8")
    proc = _run([str(bin_dir / "iraq-war-facts"), "validate", "datapackage.json"], bundle)
    assert proc.returncode == 1, "the installed validator still finds problems"
    assert "INVALID" in proc.stdout
