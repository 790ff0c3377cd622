"""Automation for iraq-war-facts. Sessions only orchestrate: the work lives in ``iraq_war_facts``.

All sessions share one environment, ``.venv``, built from ``requirements.lock`` (with uv when it is
available) and rebuilt only when the lock file changes, so running several sessions installs once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".lock-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")

nox.options.default_venv_backend = "none"
nox.options.sessions = ["build"]  # the main job


def _lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _env(session: nox.Session) -> dict[str, str]:
    """Create or refresh the shared environment; return the variables that put it first on PATH."""
    digest = _lock_digest()
    if not (STAMP.is_file() and STAMP.read_text() == digest):
        uv = shutil.which("uv")
        if uv:
            session.run(uv, "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(VENV), external=True)
            install = [uv, "pip", "install", "--quiet", "--python", str(BIN / "python")]
        else:
            session.run(sys.executable, "-m", "venv", str(VENV), external=True)
            install = [str(BIN / "python"), "-m", "pip", "install", "--quiet"]
        session.run(*install, "-r", str(LOCK), external=True)
        session.run(*install, "--no-deps", "-e", str(ROOT), external=True)
        STAMP.write_text(digest)
    return {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "VIRTUAL_ENV": str(VENV)}


def _py(session: nox.Session, *args: str) -> None:
    session.run(str(BIN / "python"), *args, env=_env(session), external=True)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the package (citations too when ../shared/seeds is present)."""
    _py(session, "-m", "iraq_war_facts", "validate", *_sources_args(list(session.posargs)))


def _sources_args(args: list[str]) -> list[str]:
    """Add ``--sources ../shared/seeds`` when the source texts sit beside the checkout and none was given."""
    seeds = ROOT.parent / "shared" / "seeds"
    if "--sources" not in args and seeds.is_dir():
        args = [*args, "--sources", str(seeds)]
    return args


@nox.session
def build(session: nox.Session) -> None:
    """The main job: validate, then statistics, charts and report, then the release in dist/."""
    _py(session, "-m", "iraq_war_facts", "validate", *_sources_args([]))
    _py(session, "-m", "iraq_war_facts", "report")
    _py(session, "-m", "iraq_war_facts", "build", *_sources_args(list(session.posargs)))


@nox.session
def report(session: nox.Session) -> None:
    """Build the charts and reports into reports/ (``nox -s report -- --check`` verifies they are current)."""
    _py(session, "-m", "iraq_war_facts", "report", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time the validator against frictionless and a bare polars read on synthetic packages (docs/benchmark.md)."""
    _py(session, "-m", "iraq_war_facts.bench", *session.posargs)


@nox.session
def conformance(session: nox.Session) -> None:
    """The official check: ``frictionless validate datapackage.json``."""
    env = _env(session)
    session.run(str(BIN / "frictionless"), "validate", str(ROOT / "datapackage.json"), env=env, external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    _py(session, "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    env = _env(session)
    session.run(str(BIN / "ruff"), "check", "scripts", "tests", "noxfile.py", env=env, external=True)
    session.run(str(BIN / "ruff"), "format", "--check", "scripts", "tests", "noxfile.py", env=env, external=True)


@nox.session
def rehash(session: nox.Session) -> None:
    """Recompute the descriptor's hashes and sizes after editing data, and regenerate the README's data dictionary."""
    _py(session, "-m", "iraq_war_facts", "rehash")
