"""Shared fixtures: the repository, the loaded package and the source texts beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
