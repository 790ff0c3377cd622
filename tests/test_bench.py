"""The benchmark's generator writes valid packages, and its timing harness measures whole processes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import ROOT
from helpers import rows, snapshot
from iraq_war_facts import bench
from iraq_war_facts.package import load

DESCRIPTOR = ROOT / "datapackage.json"


def fact_ids(descriptor: Path) -> list[str]:
    return [r["fact_id"] for res in load(descriptor).fact_resources for r in rows(res.path)]


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> bench.Synthetic:
    """One generated package of 200 facts, shared by the tests that only read it."""
    return bench.make_package(200, tmp_path_factory.mktemp("bench") / "p", DESCRIPTOR)


def test_generated_package_of_200_facts_is_valid_as_the_timed_commands_see_it(synth: bench.Synthetic) -> None:
    ids = fact_ids(synth.descriptor)
    assert synth.facts == len(ids) == 200 and len(set(ids)) == 200
    assert snapshot(synth.descriptor.parent / "schemas") == snapshot(ROOT / "schemas"), "the schemas were changed"
    commands = bench.commands(synth.descriptor)
    for tool in ("iraq_war_facts", "floor (polars read)"):
        run = bench.measure(tool, commands[tool])
        assert run.returncode == 0, run.stderr


def test_frictionless_finds_the_generated_package_valid(synth: bench.Synthetic) -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(synth.descriptor))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_ids_grow_past_four_digits_and_match_the_unchanged_schema_pattern() -> None:
    casualties = load(DESCRIPTOR).resources["casualties"]
    frame = pl.read_csv(casualties.path, infer_schema=False, raise_if_empty=False).head(2)
    frame = frame.with_columns(pl.Series("fact_id", ["CAS-0007", "CAS-9998"]))
    grown = bench.grow(frame, 5, "CAS-")
    assert grown.get_column("fact_id").to_list() == ["CAS-0007", "CAS-9998", "CAS-9999", "CAS-10000", "CAS-10001"]
    pattern = casualties.field("fact_id")["constraints"]["pattern"]
    assert all(re.fullmatch(pattern, i) for i in grown.get_column("fact_id"))
    assert grown.drop("fact_id").slice(2).rows() != [] and grown.columns == frame.columns


def test_measure_times_a_fresh_child_process() -> None:
    run = bench.measure("sleep", [sys.executable, "-c", "import time; b = bytearray(64 << 20); time.sleep(0.2)"])
    assert run.returncode == 0
    assert 0.2 <= run.seconds < 30
    assert run.peak_mib >= 64


def test_benchmark_writes_a_markdown_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timed: list[tuple[str, int]] = []

    def fake_measure(tool: str, command: list[str]) -> bench.Run:
        """Record which package each command names (it must exist while timed) and fail ours on the copy."""
        descriptor = Path(command[-1])
        facts = len(fact_ids(descriptor))
        timed.append((tool, facts))
        failing = tool == "iraq_war_facts" and descriptor != DESCRIPTOR
        return bench.Run(tool, 0.5 if tool == "iraq_war_facts" else 0.25, 100.0, 1 if failing else 0, "boom")

    monkeypatch.setattr(bench, "measure", fake_measure)
    out = tmp_path / "reports" / "benchmark.md"
    argv = ["--descriptor", str(DESCRIPTOR), "--sizes", "200", "--out", str(out), "--no-frictionless"]
    assert bench.main(argv) == 0
    real = len(fact_ids(DESCRIPTOR))
    assert timed == [(tool, n) for n in (real, 200) for tool in ("iraq_war_facts", "floor (polars read)")]
    text = out.read_text(encoding="utf-8")
    assert "| size (facts) | tool | seconds | rows/s | peak MiB | ratio to floor | ratio frictionless/ours |" in text
    assert "| real | iraq_war_facts | 0.50 |" in text and "target < 2 s met." in text
    synthetic_rows = [line for line in text.splitlines() if line.startswith("| 200 |")]
    assert [line.split(" | ")[1:3] for line in synthetic_rows] == [
        ["iraq_war_facts (exit 1)", "0.50"],
        ["floor (polars read)", "0.25"],
    ]
    assert synthetic_rows[0].endswith("| 100 | 2.0 | – |")
    assert "- **Non-zero exits**: 200 facts, iraq_war_facts exit 1: boom" in text
