"""Benchmark: validate synthetic copies of the package of growing size, as whole processes.

``python -m iraq_war_facts.bench [--descriptor FILE] [--sizes 1000,10000,100000,1000000] [--out FILE] [--repeat 1]``
(the descriptor defaults to the nearest ``datapackage.json`` from the current folder upward; the report to
``docs/benchmark.md`` beside it).

Each synthetic package is a copy of ``datapackage.json``, ``schemas/`` and ``data/`` with the fact tables grown to
N rows in total: the real rows are kept (relations name them) and synthetic rows are added, each a real row used as a
template with a new ``fact_id`` (numbered on, with as many digits as it takes: the schemas allow four or more) and,
for plain whole-number figures, a varied ``value``. The descriptor's ``hash`` and ``bytes`` are recomputed, so the
copy is a valid package.

Timed, each run in a fresh child process (wall clock, and peak resident memory from
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read in that child after the command ends):
our validator (``python -m iraq_war_facts validate``, without ``--sources``), ``frictionless validate`` and the floor:
a Python process that imports polars and reads every CSV of the package with ``pl.read_csv(infer_schema=False)``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import polars as pl

from iraq_war_facts.package import PackageError, find_descriptor, load, sha256_file

DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)
FRICTIONLESS_MAX = 100_000
TARGET_SECONDS = 2.0
SCRIPTS_DIR = Path(__file__).resolve().parents[1]

FLOOR = """
import json, sys
from pathlib import Path
import polars as pl
root = Path(sys.argv[1]).parent
for item in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["resources"]:
    pl.read_csv(root / item["path"], infer_schema=False)
"""

# Runs one command in this (fresh) child and prints its wall time, exit status and peak memory as JSON.
PROBE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
err = proc.stderr.decode("utf-8", "replace")[-2000:]
print(json.dumps({"seconds": seconds, "maxrss": usage.ru_maxrss, "returncode": proc.returncode, "stderr": err}))
"""


@dataclass
class Synthetic:
    """A generated package: where it is, how many facts its fact tables hold and how many rows all its tables hold."""

    descriptor: Path
    facts: int
    rows: int


@dataclass
class Run:
    """One timed process."""

    tool: str
    seconds: float
    peak_mib: float
    returncode: int
    stderr: str = ""


def count_rows(path: Path) -> int:
    """Data rows of a CSV file (header excluded)."""
    return int(pl.scan_csv(path, infer_schema=False).select(pl.len()).collect().item())


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def grow(frame: pl.DataFrame, want: int, prefix: str) -> pl.DataFrame:
    """``frame`` (all text) plus synthetic rows up to ``want`` rows; their ``fact_id`` counts on from the highest,
    four digits at least (``CAS-9999``, ``CAS-10000``)."""
    numbers = frame.get_column("fact_id").str.extract(r"-(\d+)$").cast(pl.Int64)
    start = int(numbers.max() or 0) + 1
    extra = want - frame.height
    if extra <= 0 or frame.height == 0:
        return frame
    k = pl.int_range(0, extra, eager=True).alias("k")
    synth = frame.select(pl.all().gather(k % frame.height)).with_columns(k)
    plain = (
        pl.col("value").str.contains(r"^[0-9]+$").fill_null(False)
        & pl.col("value_low").is_null()
        & pl.col("value_high").is_null()
        & (pl.col("literal_value").is_null() if "literal_value" in frame.columns else pl.lit(True))
        & (pl.col("unit") != "percent").fill_null(False)
    )
    synth = synth.with_columns(
        (pl.lit(prefix) + (pl.col("k") + start).cast(pl.String).str.zfill(4)).alias("fact_id"),
        pl.when(plain)
        .then((pl.col("value").cast(pl.Int64) + pl.col("k") % 1000).cast(pl.String))
        .otherwise(pl.col("value"))
        .alias("value"),
    ).drop("k")
    return pl.concat([frame, synth])


def make_package(facts: int, dest: Path, descriptor: Path) -> Synthetic:
    """Write a valid copy of the package at ``descriptor`` into ``dest`` with ``facts`` rows in its fact tables."""
    src = Path(descriptor).resolve().parent
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "datapackage.json", dest / "datapackage.json")
    for folder in ("schemas", "data"):
        shutil.copytree(src / folder, dest / folder, dirs_exist_ok=True)
    pkg = load(dest / "datapackage.json")
    tables = pkg.fact_resources
    for res, want in zip(tables, _split(facts, len(tables)), strict=True):
        frame = pl.read_csv(res.path, infer_schema=False, raise_if_empty=False)
        frame = frame.with_columns(
            pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns
        )
        pattern = res.field("fact_id").get("constraints", {}).get("pattern", "")
        prefix = re.match(r"\^([A-Z]+-)", pattern)
        if not prefix:
            raise ValueError(f"{res.name}: cannot read the fact_id prefix from pattern {pattern!r}")
        grow(frame, want, prefix.group(1)).write_csv(res.path, line_terminator="\n", null_value="")
    data = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    rows = 0
    for item in data["resources"]:
        path = dest / item["path"]
        item["hash"] = f"sha256:{sha256_file(path)}"
        item["bytes"] = path.stat().st_size
        rows += count_rows(path)
    (dest / "datapackage.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(count_rows(r.path) for r in tables)
    return Synthetic(dest / "datapackage.json", total, rows)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SCRIPTS_DIR), env.get("PYTHONPATH", "")) if p)
    return env


def frictionless_command() -> list[str] | None:
    """How to run ``frictionless``: the script beside this Python, else on PATH; None when absent."""
    beside = Path(sys.executable).with_name("frictionless")
    found = str(beside) if beside.is_file() else shutil.which("frictionless")
    return [found] if found else None


def commands(descriptor: Path) -> dict[str, list[str] | None]:
    """The three commands timed for one package."""
    fl = frictionless_command()
    return {
        "iraq_war_facts": [sys.executable, "-m", "iraq_war_facts", "validate", str(descriptor)],
        "frictionless": [*fl, "validate", str(descriptor)] if fl else None,
        "floor (polars read)": [sys.executable, "-c", FLOOR, str(descriptor)],
    }


def measure(tool: str, command: list[str]) -> Run:
    """Run ``command`` in a fresh child; wall clock and peak resident memory of that command only."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *command], capture_output=True, text=True, env=_env(), check=True
    ).stdout
    rec = json.loads(out.strip().splitlines()[-1])
    scale = 1 / (1 << 20) if sys.platform == "darwin" else 1 / 1024  # bytes on macOS, KiB elsewhere
    return Run(tool, rec["seconds"], rec["maxrss"] * scale, rec["returncode"], rec["stderr"])


def best(tool: str, command: list[str], repeat: int) -> Run:
    """Best (shortest) of ``repeat`` runs; peak memory is the highest seen."""
    runs = [measure(tool, command) for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(tool, fastest.seconds, max(r.peak_mib for r in runs), fastest.returncode, fastest.stderr)


def _row(size: str, rows: int, run: Run, floor: Run | None, ours: Run | None) -> str:
    ratio_floor = f"{run.seconds / floor.seconds:.1f}" if floor else "–"
    ratio_fl = f"{run.seconds / ours.seconds:.1f}" if ours and run.tool == "frictionless" else "–"
    status = "" if run.returncode == 0 else f" (exit {run.returncode})"
    return (
        f"| {size} | {run.tool}{status} | {run.seconds:.2f} | {rows / run.seconds:,.0f} | {run.peak_mib:.0f} "
        f"| {ratio_floor} | {ratio_fl} |"
    )


def bench_one(label: str, descriptor: Path, rows: int, repeat: int, with_frictionless: bool) -> tuple[list[str], dict]:
    """Time the three tools on one package; Markdown rows and the runs by tool."""
    runs: dict[str, Run] = {}
    for tool, command in commands(descriptor).items():
        if command is None or (tool == "frictionless" and not with_frictionless):
            continue
        runs[tool] = best(tool, command, repeat)
        print(f"  {label:>9}  {tool:<20} {runs[tool].seconds:8.2f} s  {runs[tool].peak_mib:7.0f} MiB", file=sys.stderr)
    floor, ours = runs.get("floor (polars read)"), runs.get("iraq_war_facts")
    return [_row(label, rows, run, floor, ours) for run in runs.values()], runs


def _load() -> str:
    """The 1-minute load average, or "unknown" where the platform has none."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "unknown"


def _versions() -> str:
    parts = [f"Python {platform.python_version()}", f"polars {pl.__version__}"]
    try:
        parts.append(f"frictionless {metadata.version('frictionless')}")
    except metadata.PackageNotFoundError:
        parts.append("frictionless not installed")
    return ", ".join(parts)


def benchmark(
    descriptor: Path, sizes: list[int], out: Path, repeat: int = 1, everything: bool = False, frictionless: bool = True
) -> str:
    """Benchmark the package at ``descriptor`` and synthetic copies of ``sizes`` facts; write and return the report."""
    header = [
        "| size (facts) | tool | seconds | rows/s | peak MiB | ratio to floor | ratio frictionless/ours |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = _load()
    lines: list[str] = []
    failures: list[str] = []
    real = load(descriptor)
    real_rows = sum(count_rows(r.path) for r in real.resources.values())
    table, runs = bench_one("real", descriptor, real_rows, repeat, frictionless)
    lines += table
    ours = runs["iraq_war_facts"]
    verdict = "met" if ours.seconds < TARGET_SECONDS and ours.returncode == 0 else "NOT met"
    summary = [
        f"Real package ({real_rows} rows): {ours.seconds:.2f} s wall including start-up, target < "
        f"{TARGET_SECONDS:.0f} s {verdict}."
    ]
    skipped = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"iwf-bench-{size}-") as tmp:
            t0 = time.perf_counter()
            synth = make_package(size, Path(tmp), descriptor)
            made = time.perf_counter() - t0
            print(f"generated {synth.facts} facts ({synth.rows} rows) in {made:.1f} s", file=sys.stderr)
            with_fl = frictionless and (everything or size <= FRICTIONLESS_MAX)
            if frictionless and not with_fl:
                skipped.append(size)
            table, runs = bench_one(f"{synth.facts:,}", synth.descriptor, synth.rows, repeat, with_fl)
            lines += table
            failures += [
                f"{size:,} facts, {r.tool} exit {r.returncode}: {r.stderr.strip()[-300:]}"
                for r in runs.values()
                if r.returncode
            ]
    text = [
        "# Validation benchmark",
        "",
        f"{started}, {platform.platform()}, {os.cpu_count()} CPUs; {_versions()}. "
        f"Load average (1 min) {load_before} before, {_load()} after: other processes share the machine.",
        "",
        *summary,
        "",
        *header,
        *lines,
        "",
        "- **Packages**: copies of `datapackage.json`, `schemas/` and `data/`; the fact tables hold N rows in all "
        "(the real rows, then real rows reused as templates with a new `fact_id` and, for whole-number figures, a "
        "varied `value`); the other tables are the real ones. `hash` and `bytes` are recomputed.",
        "- **rows/s** counts the data rows of every CSV in the package.",
        "- **Timing**: wall clock of the whole process (start-up included), best of "
        f"{repeat} run(s), each in a fresh child; **peak MiB** is that child's `ru_maxrss` (RUSAGE_CHILDREN).",
        "- **ours** is `python -m iraq_war_facts validate DESCRIPTOR` without `--sources` (citation and completeness "
        "checks not run). **floor** is a Python process that imports polars and reads every CSV with "
        "`pl.read_csv(infer_schema=False)`.",
    ]
    if skipped:
        text.append(
            "- **frictionless not run** at "
            + ", ".join(f"{s:,}" for s in skipped)
            + f" facts (it takes minutes above {FRICTIONLESS_MAX:,}); pass `--all` to include it."
        )
    if failures:
        text.append("- **Non-zero exits**: " + "; ".join(failures))
    report = "\n".join(text) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iraq_war_facts.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated fact counts")
    parser.add_argument("--descriptor", type=Path, help="default: the nearest datapackage.json from here upward")
    parser.add_argument("--out", type=Path, help="default: docs/benchmark.md beside the descriptor")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and size; the fastest is kept")
    parser.add_argument("--all", action="store_true", help=f"run frictionless above {FRICTIONLESS_MAX:,} facts too")
    parser.add_argument("--no-frictionless", action="store_true", help="do not time frictionless at all")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    try:
        descriptor = args.descriptor or find_descriptor(Path.cwd())
    except PackageError as exc:
        parser.error(str(exc))
    out = args.out or descriptor.absolute().parent / "docs" / "benchmark.md"
    print(benchmark(descriptor, sizes, out, args.repeat, args.all, not args.no_frictionless))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
