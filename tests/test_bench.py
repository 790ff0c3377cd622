"""The benchmark's generator writes valid packages, and its timing harness measures whole processes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from helpers import rows
from iraq_war_facts import bench
from iraq_war_facts.cli import main
from iraq_war_facts.package import load


def fact_ids(descriptor: Path) -> list[str]:
    return [r["fact_id"] for res in load(descriptor).fact_resources for r in rows(res.path)]


def test_generated_package_of_200_facts_is_valid(tmp_path, capsys) -> None:
    synth = bench.make_package(200, tmp_path / "p")
    ids = fact_ids(synth.descriptor)
    assert synth.facts == len(ids) == 200 and len(set(ids)) == 200
    assert synth.widened == []
    assert main(["validate", str(synth.descriptor)]) == 0, capsys.readouterr().out
    assert "VALID" in capsys.readouterr().out


def test_large_tables_get_a_widened_fact_id_pattern_that_their_ids_match(tmp_path) -> None:
    synth = bench.make_package(5 * 10_050, tmp_path / "p")
    assert len(synth.widened) == 5 and "casualties: ^CAS-[0-9]{4}$ -> ^CAS-[0-9]{4,7}$" in synth.widened
    for res in load(synth.descriptor).fact_resources:
        pattern = res.field("fact_id")["constraints"]["pattern"]
        assert pattern.endswith("-[0-9]{4,7}$")
        ids = [r["fact_id"] for r in rows(res.path)]
        assert len(ids) == len(set(ids)) == 10_050 and all(re.fullmatch(pattern, i) for i in ids)
    assert "CAS-10050" in fact_ids(synth.descriptor)
    assert bench.count_rows(synth.descriptor.parent / "data" / "casualties.csv") == 10_050


def test_frictionless_finds_the_generated_package_valid(tmp_path) -> None:
    frictionless = pytest.importorskip("frictionless")
    synth = bench.make_package(200, tmp_path / "p")
    report = frictionless.validate(str(synth.descriptor))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_measure_times_a_fresh_child_process() -> None:
    run = bench.measure("sleep", [sys.executable, "-c", "import time; b = bytearray(64 << 20); time.sleep(0.2)"])
    assert run.returncode == 0
    assert 0.2 <= run.seconds < 30
    assert run.peak_mib >= 64


def test_benchmark_writes_a_markdown_table(tmp_path) -> None:
    out = tmp_path / "reports" / "benchmark.md"
    assert bench.main(["--sizes", "200", "--out", str(out), "--no-frictionless"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "| size (facts) | tool | seconds | rows/s | peak MiB | ratio to floor | ratio frictionless/ours |" in text
    assert "| 200 | iraq_war_facts |" in text and "| 200 | floor (polars read) |" in text
    assert "exit 1" not in text and "Non-zero exits" not in text
