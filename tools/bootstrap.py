#!/usr/bin/env python3
"""Run this project's nox sessions with any Python 3.11+, installing nothing outside the checkout.

    python3 tools/bootstrap.py            # the main job: validate, reports, release (nox's default session)
    python3 tools/bootstrap.py -s ci      # the tests, and every other check CI runs

The arguments go to nox. The first run makes ``.nox/tools`` inside the checkout, holding nox and uv (at the versions
``requirements.lock`` pins, where it pins them); nox then builds the project's environment, ``.venv``. The tool
environment is made with ``python -m venv``, or with virtualenv or uv when this Python lacks ``ensurepip`` (Debian and
Ubuntu ship it apart, in ``python3-venv``), and remade when the lock file or the Python running this script changes.
Nothing is installed into the Python running this script, so an externally managed one (PEP 668) is fine.
Standard library only, and readable by older Pythons, so that they are told what they lack.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".nox" / "tools"
LOCK = ROOT / "requirements.lock"
STAMP = ".bootstrap-sha256"
REQUIREMENTS = ("nox", "uv")
MINIMUM = (3, 11)


class BootstrapError(Exception):
    """A reason the tool environment cannot be made, worded for the person who ran the script."""


def bin_dir(venv: Path) -> Path:
    """The folder of a virtual environment's programs."""
    return venv / ("Scripts" if os.name == "nt" else "bin")


def check_python(version: tuple[int, ...] = tuple(sys.version_info)) -> None:
    """Refuse a Python older than the project needs."""
    if tuple(version[:2]) < MINIMUM:
        have, need = ".".join(map(str, version[:3])), ".".join(map(str, MINIMUM))
        raise BootstrapError(f"iraq-war-facts needs Python {need} or newer; {sys.executable} is {have}")


def creators(python: str, venv: Path, find_spec=importlib.util.find_spec, which=shutil.which) -> list[list[str]]:
    """The commands that can make the virtual environment ``venv`` for ``python``, best first; none raises
    :class:`BootstrapError` naming the package to install."""
    found = []
    if find_spec("ensurepip") is not None:
        found.append([python, "-m", "venv", str(venv)])
    if find_spec("virtualenv") is not None:
        found.append([python, "-m", "virtualenv", "--quiet", "--python", python, str(venv)])
    elif which("virtualenv"):
        found.append([which("virtualenv"), "--quiet", "--python", python, str(venv)])
    if which("uv"):
        found.append([which("uv"), "venv", "--quiet", "--seed", "--python", python, str(venv)])
    if not found:
        minor = f"python3.{sys.version_info[1]}-venv"
        raise BootstrapError(
            f"{python} cannot make a virtual environment: it lacks ensurepip, which Debian and Ubuntu ship in the "
            f"package python3-venv ({minor}). Install it (sudo apt install python3-venv) and run this again, "
            "or install virtualenv or uv."
        )
    return found


def digest(python: str) -> str:
    """What the tool environment is made from: this script's requirements, the lock file and the Python."""
    parts = [" ".join(REQUIREMENTS), os.path.realpath(python), sys.version, LOCK.read_text(encoding="utf-8")]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def run(command: list[str]) -> None:
    """Run a step of the set-up, failing with its command line."""
    if subprocess.call(command) != 0:
        raise BootstrapError(f"this step failed: {' '.join(command)}")


def ensure_tools(python: str = sys.executable, venv: Path = TOOLS, runner=run, **lookups) -> Path:
    """Make (or reuse) the tool environment ``venv``; return its Python."""
    stamp, tool_python = venv / STAMP, bin_dir(venv) / ("python.exe" if os.name == "nt" else "python")
    wanted = digest(python)
    if venv.is_symlink() or (venv.exists() and not (venv / "pyvenv.cfg").is_file()):
        raise BootstrapError(f"{venv} is in the way and is not a virtual environment this script made; remove it")
    if tool_python.exists() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return tool_python
    ways = creators(python, venv, **lookups)
    print(f"bootstrap: making the tool environment {venv} (nox, uv) with {python}", flush=True)
    errors = []
    for command in ways:
        shutil.rmtree(venv, ignore_errors=True)
        try:
            runner(command)
            break
        except BootstrapError as exc:
            errors.append(str(exc))
    else:
        raise BootstrapError("cannot make the tool environment:\n  " + "\n  ".join(errors))
    runner(
        [
            str(tool_python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(LOCK),
            *REQUIREMENTS,
        ]
    )
    stamp.write_text(wanted, encoding="utf-8")
    return tool_python


def main(argv: list[str] | None = None) -> int:
    """Make the tool environment if needed, then run nox with ``argv``; return nox's exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        check_python()
        tool_python = ensure_tools()
    except BootstrapError as exc:
        print(f"bootstrap: {exc}", file=sys.stderr)
        return 1
    env = dict(os.environ, PATH=os.pathsep.join([str(tool_python.parent), os.environ.get("PATH", "")]))
    try:
        return subprocess.call([str(tool_python), "-m", "nox", "-f", str(ROOT / "noxfile.py"), *args], env=env)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
