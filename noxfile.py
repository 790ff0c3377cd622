"""Automation for iraq-war-facts. Sessions only orchestrate: the work lives in ``iraq_war_facts``.

Run it through ``python3 tools/bootstrap.py [nox arguments]``, which needs nothing but Python 3.11+: it makes nox's
own environment in ``.nox/tools`` and nox from there.

All sessions share one environment, ``.venv``, built from ``requirements.lock`` (with uv when it is
available) and rebuilt only when the lock file changes, so running several sessions installs once. Installed code is
compiled to bytecode once, at install (as pip does), so that no command recompiles its libraries on start-up where
``PYTHONDONTWRITEBYTECODE`` is set.
Every command is given its paths (the descriptor, ``--out``, ``--dist``): nothing depends on the folder nox runs in.
``ci`` is what CI runs, the same session in ``.ci/run`` and in the GitHub workflow, both through the bootstrap.
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
DESCRIPTOR = ROOT / "datapackage.json"
REPORTS = ROOT / "reports"
DIST = ROOT / "dist"
SCREENSHOTS = ROOT / "build" / "screenshots"  # the browser test's, kept by CI as an artifact
SEEDS = ROOT.parent / "shared" / "seeds"  # the source texts, beside the checkout when present
LINTED = ("scripts", "tests", "tools", "noxfile.py")
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
        uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))  # nox's own, if any
        if uv:
            session.run(uv, "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(VENV), external=True)
            install = [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(BIN / "python")]
        else:
            session.run(sys.executable, "-m", "venv", str(VENV), external=True)
            install = [str(BIN / "python"), "-m", "pip", "install", "--quiet"]
        session.run(*install, "-r", str(LOCK), external=True)
        session.run(*install, "--no-deps", "-e", str(ROOT), external=True)
        STAMP.write_text(digest)
    return {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "VIRTUAL_ENV": str(VENV)}


def _run(session: nox.Session, program: str, *args: str, env: dict[str, str] | None = None) -> None:
    """Run ``program`` from the shared environment (the outer environment, IWF_REQUIRE_SOURCES included, is kept),
    with the variables ``env`` besides."""
    session.run(str(BIN / program), *args, env={**_env(session), **(env or {})}, external=True)


def _iwf(session: nox.Session, command: str, *args: str, outputs: dict[str, Path] | None = None) -> None:
    """``python -m iraq_war_facts COMMAND DESCRIPTOR ARGS`` with this package's descriptor and ``outputs`` (option:
    folder) unless ``args`` give them; a descriptor first in ``args`` (``nox -s validate -- other/datapackage.json``)
    replaces this package's, and its outputs are left to the command (beside that descriptor)."""
    rest = list(args)
    if rest and not rest[0].startswith("-"):
        descriptor = rest.pop(0)
    else:
        descriptor = str(DESCRIPTOR)
        for option, folder in (outputs or {}).items():
            rest = _with(rest, option, folder)
    _run(session, "python", "-m", "iraq_war_facts", command, descriptor, *rest)


def _sources(args: list[str]) -> list[str]:
    """``args`` plus ``--sources ../shared/seeds`` when the source texts sit beside the checkout and none was given."""
    if "--sources" not in args and SEEDS.is_dir():
        return [*args, "--sources", str(SEEDS)]
    return args


def _with(args: list[str], option: str, value: Path) -> list[str]:
    """``args`` plus ``option value`` unless ``args`` already give that option."""
    return args if option in args else [*args, option, str(value)]


# --- steps: each defined once, used by the sessions below ------------------------------------------------------------


def _tests(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    _run(session, "python", "-m", "pytest", *args, env=env)


def _browser(session: nox.Session, *args: str) -> None:
    """The browser test of the web edition (marked ``browser``, left out of a bare pytest: it costs half a minute)."""
    env = {"IWF_SCREENSHOTS": os.environ.get("IWF_SCREENSHOTS", str(SCREENSHOTS))}
    _tests(session, "-m", "browser", "-n", "0", str(ROOT / "tests" / "test_browser.py"), *args, env=env)


def _validate(session: nox.Session, *args: str) -> None:
    _iwf(session, "validate", *_sources(list(args)))


def _conformance(session: nox.Session) -> None:
    _run(session, "frictionless", "validate", str(DESCRIPTOR))


def _lint(session: nox.Session) -> None:
    _run(session, "ruff", "check", *LINTED)
    _run(session, "ruff", "format", "--check", *LINTED)


def _report(session: nox.Session, *args: str) -> None:
    _iwf(session, "report", *args, outputs={"--out": REPORTS})


# --- sessions --------------------------------------------------------------------------------------------------------


@nox.session
def ci(session: nox.Session) -> None:
    """What CI runs, in order: tests, the browser test, validate, conformance, lint, and a check that reports/ is
    current.

    validate checks the citations too when ../shared/seeds is present; IWF_REQUIRE_SOURCES=1 in the environment makes
    the source texts mandatory for the tests. The browser test keeps its screenshots in build/screenshots (unless
    IWF_SCREENSHOTS names another folder), which the GitHub workflow publishes. ``.ci/run`` and the GitHub workflow
    both call this session.
    """
    _tests(session)
    _browser(session)
    _validate(session)
    _conformance(session)
    _lint(session)
    _report(session, "--check")


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the package (citations too when ../shared/seeds is present); arguments go to the command."""
    _validate(session, *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """The main job, validating once: charts and report into reports/, then the release into dist/."""
    _iwf(session, "build", *_sources([*session.posargs, "--with-reports"]), outputs={"--dist": DIST})


@nox.session
def report(session: nox.Session) -> None:
    """Build the charts and reports into reports/ (``nox -s report -- --check`` verifies they are current)."""
    _report(session, *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time the validator, with and without the source texts, against frictionless and a bare polars read on
    synthetic packages (docs/benchmark.md)."""
    args = _with(_with(list(session.posargs), "--descriptor", DESCRIPTOR), "--out", ROOT / "docs" / "benchmark.md")
    args = _sources(args)
    _run(session, "python", "-m", "iraq_war_facts.bench", *args)


@nox.session
def conformance(session: nox.Session) -> None:
    """The official check: ``frictionless validate datapackage.json``."""
    _conformance(session)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite; arguments go to pytest."""
    _tests(session, *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """The browser test of the web edition in Debian's Chromium (screenshots in build/screenshots); arguments go to
    pytest."""
    _browser(session, *session.posargs)


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation testing (mutmut) of the checks, the number parser, the evaluator, the analysis and the exports, each
    module against its own test files (``tools/mutation.py``), then docs/mutation.md from the results; arguments name
    the modules (all by default). A full run costs hours (docs/mutation.md gives each module's), so it is not part of
    ``ci``: a scheduled job's, a few modules at a time."""
    _run(session, "python", str(ROOT / "tools" / "mutation.py"), "run", *session.posargs)
    _run(session, "python", str(ROOT / "tools" / "mutation.py"), "doc")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    _lint(session)


@nox.session
def rehash(session: nox.Session) -> None:
    """Recompute the descriptor's hashes and sizes after editing data, and regenerate the data dictionary."""
    _iwf(session, "rehash", *session.posargs)
