"""Shared fixtures: the repository, the loaded package, the source texts beside the checkout and one pair of release
builds (once per test worker)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from iraq_war_facts.build import WheelError, build
from iraq_war_facts.package import Package, load

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REQUIRE = os.environ.get("IWF_REQUIRE_SOURCES") == "1"


def _shared_dir(name: str) -> Path:
    path = SHARED / name
    if not path.is_dir():
        reason = f"../shared/{name} is not beside the checkout"
        if REQUIRE:
            pytest.fail(f"{reason}, and IWF_REQUIRE_SOURCES=1 makes it mandatory")
        pytest.skip(reason)
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow modules first, the slowest (``slow(seconds)``) first of all: the workers, one file each at a time, then
    start on the long files and finish together, instead of one of them starting the slowest file last."""

    def cost(item: pytest.Item) -> float:
        mark = item.get_closest_marker("slow")
        return -(mark.args[0] if mark and mark.args else 1.0) if mark else 0.0

    items.sort(key=cost)


@pytest.fixture(scope="session")
def pkg() -> Package:
    return load(ROOT / "datapackage.json")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of source texts; skips (or fails under IWF_REQUIRE_SOURCES=1) when absent."""
    return _shared_dir("seeds")


@pytest.fixture(scope="session")
def profiles_dir() -> Path:
    """The official Data Package v2 JSON Schema profiles."""
    return _shared_dir("reference/datapackage-v2")


@pytest.fixture(scope="session")
def analysis():
    from iraq_war_facts.analysis import analyse
    from iraq_war_facts.validate import validate

    return analyse(validate(ROOT / "datapackage.json"))


def tree_digest(folder: Path) -> str:
    """SHA-256 over the paths and bytes of the source files under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path], bool]:
    """Two full builds (with the wheel) of the repository's package, back to back, and whether scripts/ stayed
    unchanged meanwhile."""
    for _ in range(3):  # the wheel is built from scripts/: retry if the code was edited between the two builds
        base = tmp_path_factory.mktemp("builds")
        before = tree_digest(ROOT / "scripts")
        try:
            written = build(base / "a" / "dist", ROOT / "datapackage.json", project=ROOT)
            build(base / "b" / "dist", ROOT / "datapackage.json", project=ROOT)
        except WheelError as exc:
            pytest.skip(f"the wheel cannot be built on this machine: {exc}")
        stable = tree_digest(ROOT / "scripts") == before
        if stable:
            break
    return base / "a" / "dist", base / "b" / "dist", written, stable
