"""Benchmark: validate synthetic copies of the package of growing size, as whole processes.

``python -m iraq_war_facts.bench [--descriptor FILE] [--sources DIR] [--sizes 1000,10000,100000,1000000]
[--shapes spread,single] [--out FILE] [--repeat 3]`` (the descriptor defaults to the nearest ``datapackage.json``
from the current folder upward; the report to ``docs/benchmark.md`` beside it).

Each synthetic package is a copy of ``datapackage.json``, ``schemas/`` and ``data/`` with N fact rows, in one of two
shapes: ``spread``, the fact tables grown to N rows in all, and ``single``, the largest fact table alone grown to N
rows, the rest of the package as it is. The real rows are kept (relations name them); each added row repeats a real
row with a new ``fact_id`` (numbered on, with as many digits as it takes: the schemas allow four or more), so the
copy stays valid with its citations checked. The descriptor's ``hash`` and ``bytes`` are recomputed.

Timed, each run in a fresh child process (wall clock, and peak resident memory from
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read in that child after the command ends), best of ``--repeat``:
our validator without and with ``--sources`` (``python -m iraq_war_facts validate``; with ``--sources`` its JSON
output gives the seconds of each check family), ``frictionless validate`` and the floor: a Python process that
imports polars and reads every CSV of the package with ``pl.read_csv(infer_schema=False)``.
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
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import polars as pl

from iraq_war_facts.package import PackageError, find_descriptor, load, sha256_file
from iraq_war_facts.validate import FAMILIES, NEEDS_SOURCES

DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)
SHAPES = {
    "spread": "the fact tables grown to N rows in all",
    "single": "the largest fact table grown to N rows, the rest as is",
}
FRICTIONLESS_MAX = 100_000
TARGET_REAL = 1.0  # seconds: the real package with --sources, start-up included
TARGET_FRICTIONLESS = 10.0  # times faster than frictionless at FRICTIONLESS_MAX rows of the single shape
TARGET_FLOOR = (3.0, 2.0)  # at most these times the floor's wall and peak memory at TARGET_FLOOR_ROWS, single shape
TARGET_FLOOR_ROWS = 1_000_000
SOURCE_FAMILIES = tuple(f for f in FAMILIES if f in NEEDS_SOURCES)  # the families that read the source texts
SCRIPTS_DIR = Path(__file__).resolve().parents[1]
OURS, SOURCES, FRICTIONLESS, FLOOR_TOOL = "ours", "ours --sources", "frictionless", "floor (polars read)"

FLOOR = """
import json, sys
from pathlib import Path
import polars as pl
root = Path(sys.argv[1]).parent
for item in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["resources"]:
    pl.read_csv(root / item["path"], infer_schema=False)
"""

# Runs one command in this (fresh) child and prints its wall time, exit status, peak memory and, when the command
# printed our JSON report, the seconds of each check family, as JSON.
PROBE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
err = proc.stderr.decode("utf-8", "replace")[-2000:]
try:
    checks = json.loads(proc.stdout)["seconds"]
except (ValueError, KeyError, TypeError):
    checks = {}
print(json.dumps({"seconds": seconds, "maxrss": usage.ru_maxrss, "returncode": proc.returncode, "stderr": err,
                  "checks": checks}))
"""


@dataclass
class Synthetic:
    """A generated package: where it is, its fact rows and the rows of all its tables."""

    descriptor: Path
    facts: int
    rows: int


@dataclass
class Run:
    """One timed process; ``checks`` holds the seconds of each check family when the command reported them."""

    tool: str
    seconds: float
    peak_mib: float
    returncode: int
    stderr: str = ""
    checks: dict[str, float] = field(default_factory=dict)


def count_rows(path: Path) -> int:
    """Data rows of a CSV file (header excluded)."""
    return int(pl.scan_csv(path, infer_schema=False).select(pl.len()).collect().item())


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def grow(frame: pl.DataFrame, want: int, prefix: str) -> pl.DataFrame:
    """``frame`` (all text) plus rows up to ``want`` rows, each repeating a row of ``frame`` in turn; their
    ``fact_id`` counts on from the highest, four digits at least (``CAS-9999``, ``CAS-10000``)."""
    numbers = frame.get_column("fact_id").str.extract(r"-(\d+)$").cast(pl.Int64)
    start = int(numbers.max() or 0) + 1
    extra = want - frame.height
    if extra <= 0 or frame.height == 0:
        return frame
    k = pl.int_range(0, extra, eager=True)
    ids = (pl.lit(prefix) + (k + start).cast(pl.String).str.zfill(4)).alias("fact_id")
    synth = frame.select(pl.all().gather(k % frame.height)).with_columns(ids)
    return pl.concat([frame, synth])


def make_package(facts: int, dest: Path, descriptor: Path, shape: str = "spread") -> Synthetic:
    """Write a valid copy of the package at ``descriptor`` into ``dest`` with ``facts`` fact rows in ``shape``."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: {', '.join(SHAPES)}")
    src = Path(descriptor).resolve().parent
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "datapackage.json", dest / "datapackage.json")
    for folder in ("schemas", "data"):
        shutil.copytree(src / folder, dest / folder, dirs_exist_ok=True)
    pkg = load(dest / "datapackage.json")
    tables = pkg.fact_resources
    if shape == "single":
        largest = max(tables, key=lambda r: count_rows(r.path))
        grown = {largest.name: facts}
    else:
        grown = {r.name: want for r, want in zip(tables, _split(facts, len(tables)), strict=True)}
    for res in tables:
        if res.name not in grown:
            continue
        frame = pl.read_csv(res.path, infer_schema=False, raise_if_empty=False)
        frame = frame.with_columns(
            pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns
        )
        pattern = res.field("fact_id").get("constraints", {}).get("pattern", "")
        prefix = re.match(r"\^([A-Z]+-)", pattern)
        if not prefix:
            raise ValueError(f"{res.name}: cannot read the fact_id prefix from pattern {pattern!r}")
        grow(frame, grown[res.name], prefix.group(1)).write_csv(res.path, line_terminator="\n", null_value="")
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


def commands(descriptor: Path, sources: Path | None = None) -> dict[str, list[str] | None]:
    """The commands timed for one package (None: cannot run here)."""
    fl = frictionless_command()
    ours = [sys.executable, "-m", "iraq_war_facts", "validate", str(descriptor)]
    return {
        OURS: ours,
        SOURCES: [*ours, "--sources", str(sources), "--format", "json"] if sources else None,
        FRICTIONLESS: [*fl, "validate", str(descriptor)] if fl else None,
        FLOOR_TOOL: [sys.executable, "-c", FLOOR, str(descriptor)],
    }


def measure(tool: str, command: list[str]) -> Run:
    """Run ``command`` in a fresh child; wall clock and peak resident memory of that command only."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *command], capture_output=True, text=True, env=_env(), check=True
    ).stdout
    rec = json.loads(out.strip().splitlines()[-1])
    scale = 1 / (1 << 20) if sys.platform == "darwin" else 1 / 1024  # bytes on macOS, KiB elsewhere
    return Run(tool, rec["seconds"], rec["maxrss"] * scale, rec["returncode"], rec["stderr"], rec["checks"])


def best(tool: str, command: list[str], repeat: int) -> Run:
    """Best (shortest) of ``repeat`` runs; peak memory is the highest seen."""
    runs = [measure(tool, command) for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(tool, fastest.seconds, max(r.peak_mib for r in runs), fastest.returncode, fastest.stderr, fastest.checks)


@dataclass
class Result:
    """The runs on one package, by tool; ``size`` is its N (for the real package, its fact rows)."""

    shape: str
    size: int
    runs: dict[str, Run]

    def row(self) -> str:
        """One line of the Markdown table."""
        runs = self.runs
        cells = [self.shape, f"{self.size:,}"]
        cells += [_cell(runs.get(tool)) for tool in (OURS, SOURCES)]
        src = runs.get(SOURCES)
        checks = src.checks if src else {}
        cells.append(
            " / ".join(f"{checks[f]:.2f}" for f in SOURCE_FAMILIES)
            if all(f in checks for f in SOURCE_FAMILIES)
            else "–"
        )
        cells += [_cell(runs.get(tool)) for tool in (FRICTIONLESS, FLOOR_TOOL)]
        cells.append(_times(src, runs.get(FLOOR_TOOL)))
        fl = runs.get(FRICTIONLESS)
        cells.append(f"{fl.seconds / src.seconds:.1f}×" if fl and src else "–")
        return "| " + " | ".join(cells) + " |"


def _cell(run: Run | None) -> str:
    if run is None:
        return "–"
    status = "" if run.returncode == 0 else f" (exit {run.returncode})"
    return f"{run.seconds:.2f} s, {run.peak_mib:.0f} MiB{status}"


def _times(run: Run | None, floor: Run | None) -> str:
    """``run`` over ``floor``: wall time and peak memory ratios."""
    if run is None or floor is None:
        return "–"
    return f"{run.seconds / floor.seconds:.1f}× / {run.peak_mib / floor.peak_mib:.1f}×"


def bench_one(
    shape: str, size: int, descriptor: Path, sources: Path | None, repeat: int, with_frictionless: bool
) -> Result:
    """Time every tool that can run on one package."""
    runs: dict[str, Run] = {}
    for tool, command in commands(descriptor, sources).items():
        if command is None or (tool == FRICTIONLESS and not with_frictionless):
            continue
        runs[tool] = run = best(tool, command, repeat)
        print(f"  {shape:>6} {size:>9,}  {tool:<20} {run.seconds:8.2f} s  {run.peak_mib:7.0f} MiB", file=sys.stderr)
    return Result(shape, size, runs)


def _load() -> str:
    """The load averages over 1, 5 and 15 minutes, or "unknown" where the platform has none."""
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def _versions() -> str:
    parts = [f"Python {platform.python_version()}", f"polars {pl.__version__}"]
    try:
        parts.append(f"frictionless {metadata.version('frictionless')}")
    except metadata.PackageNotFoundError:
        parts.append("frictionless not installed")
    return ", ".join(parts)


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def targets(results: list[Result]) -> list[str]:
    """One line per target of the benchmark, with the figures it is judged on."""
    found = {(r.shape, r.size): r.runs for r in results}
    real = next((r.runs for r in results if r.shape == "real"), {})
    lines = []
    if SOURCES in real:
        run = real[SOURCES]
        ok = run.seconds < TARGET_REAL and run.returncode == 0
        lines.append(
            f"- The real package validates with `--sources` in {run.seconds:.2f} s including start-up: "
            f"target < {TARGET_REAL:.0f} s {_verdict(ok)}."
        )
    runs = found.get(("single", FRICTIONLESS_MAX), {})
    if SOURCES in runs and FRICTIONLESS in runs:
        times = runs[FRICTIONLESS].seconds / runs[SOURCES].seconds
        ok = times >= TARGET_FRICTIONLESS and runs[SOURCES].returncode == 0
        lines.append(
            f"- {FRICTIONLESS_MAX:,} rows of the single shape, with `--sources`: {times:.1f}× faster than "
            f"frictionless: target ≥ {TARGET_FRICTIONLESS:.0f}× {_verdict(ok)}."
        )
    runs = found.get(("single", TARGET_FLOOR_ROWS), {})
    if SOURCES in runs and FLOOR_TOOL in runs:
        wall = runs[SOURCES].seconds / runs[FLOOR_TOOL].seconds
        peak = runs[SOURCES].peak_mib / runs[FLOOR_TOOL].peak_mib
        lines.append(
            f"- {TARGET_FLOOR_ROWS:,} rows of the single shape, with `--sources`: {wall:.1f}× the floor's wall time "
            f"(target ≤ {TARGET_FLOOR[0]:.0f}× {_verdict(wall <= TARGET_FLOOR[0] and runs[SOURCES].returncode == 0)})"
            f" and {peak:.1f}× its peak memory (target ≤ {TARGET_FLOOR[1]:.0f}× {_verdict(peak <= TARGET_FLOOR[1])})."
        )
    return lines or ["- No target was measured (they need `--sources` and the sizes 100000 and 1000000)."]


def stages(results: list[Result]) -> list[str]:
    """For the largest package of each shape: the seconds of each stage of ``ours --sources`` (its fastest run)."""
    lines = []
    for shape in dict.fromkeys(r.shape for r in results if r.shape != "real"):
        largest = max((r for r in results if r.shape == shape), key=lambda r: r.size)
        run = largest.runs.get(SOURCES)
        if run is None or not run.checks:
            continue
        parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in run.checks.items() if name != "total")
        lines.append(
            f"- **Stages** of ours --sources, {shape} {largest.size:,} (seconds inside the process, of "
            f"{run.checks.get('total', 0):.2f} s; the rest of the {run.seconds:.2f} s wall is start-up and exit): "
            f"{parts}."
        )
    return lines


def benchmark(
    descriptor: Path,
    sizes: list[int],
    out: Path,
    repeat: int = 3,
    everything: bool = False,
    frictionless: bool = True,
    sources: Path | None = None,
    shapes: tuple[str, ...] = tuple(SHAPES),
) -> str:
    """Benchmark the package at ``descriptor`` and synthetic copies of ``sizes`` fact rows in each of ``shapes``;
    verify citations against ``sources`` when given; write and return the report."""
    started = time.strftime("%Y-%m-%d %H:%M")
    load_before = _load()
    real = load(descriptor)
    real_facts = sum(count_rows(r.path) for r in real.fact_resources)
    results = [bench_one("real", real_facts, descriptor, sources, repeat, frictionless)]
    skipped: set[int] = set()
    for shape in shapes:
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix=f"iwf-bench-{shape}-{size}-") as tmp:
                t0 = time.perf_counter()
                synth = make_package(size, Path(tmp), descriptor, shape)
                made = time.perf_counter() - t0
                print(f"generated {shape} {synth.facts} facts ({synth.rows} rows) in {made:.1f} s", file=sys.stderr)
                with_fl = frictionless and (everything or size <= FRICTIONLESS_MAX)
                if frictionless and not with_fl:
                    skipped.add(size)
                results.append(bench_one(shape, size, synth.descriptor, sources, repeat, with_fl))
    failures = [
        f"{r.shape} {r.size:,}, {run.tool} exit {run.returncode}: {run.stderr.strip()[-300:]}"
        for r in results
        for run in r.runs.values()
        if run.returncode
    ]
    text = [
        "# Validation benchmark",
        "",
        f"{started}, {platform.platform()}, {os.cpu_count()} CPUs; {_versions()}. Load averages (1 / 5 / 15 min) "
        f"{load_before} before, {_load()} after: other processes share the machine.",
        "",
        *targets(results),
        "",
        f"| shape | N | ours | ours --sources | of which {' / '.join(SOURCE_FAMILIES)} (s) | frictionless "
        "| floor (polars read) | --sources ÷ floor (wall / peak) | frictionless ÷ --sources |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(r.row() for r in results),
        "",
        "- **Packages**: copies of `datapackage.json`, `schemas/` and `data/`. **spread**: "
        f"{SHAPES['spread']}; **single**: {SHAPES['single']}. Each added row repeats a real row with a new "
        "`fact_id`, so every copy is valid, its citations included; `hash` and `bytes` are recomputed.",
        "- **Timing**: wall clock of the whole process (start-up included), best of "
        f"{repeat} run(s), each in a fresh child; peak memory (MiB) is that child's `ru_maxrss` (RUSAGE_CHILDREN), "
        "the highest of the runs.",
        "- **ours** is `python -m iraq_war_facts validate DESCRIPTOR`; **ours --sources** adds `--sources DIR "
        "--format json` (every check family, those that read the texts included), whose output gives the seconds "
        "of each family in the fastest run. **floor** is a Python process that imports polars and reads every CSV "
        "with `pl.read_csv(infer_schema=False)`, dropping each table once read (so its peak is that of the largest "
        "table, while a validator holds every table).",
        *stages(results),
    ]
    if sources is None:
        text.append("- **ours --sources not run**: no source texts given (`--sources DIR`).")
    if skipped:
        text.append(
            "- **frictionless not run** at "
            + ", ".join(f"{s:,}" for s in sorted(skipped))
            + f" fact rows (it takes minutes above {FRICTIONLESS_MAX:,}); pass `--all` to include it."
        )
    if failures:
        text.append("- **Non-zero exits**: " + "; ".join(failures))
    report = "\n".join(text) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iraq_war_facts.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated fact row counts")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of: {', '.join(SHAPES)}")
    parser.add_argument("--descriptor", type=Path, help="default: the nearest datapackage.json from here upward")
    parser.add_argument("--sources", type=Path, help="folder of source texts: also time validate --sources")
    parser.add_argument("--out", type=Path, help="default: docs/benchmark.md beside the descriptor")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and package; the fastest is kept")
    parser.add_argument("--all", action="store_true", help=f"run frictionless above {FRICTIONLESS_MAX:,} rows too")
    parser.add_argument("--no-frictionless", action="store_true", help="do not time frictionless at all")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    shapes = tuple(s.strip() for s in args.shapes.split(",") if s.strip())
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"--shapes: unknown {', '.join(unknown)} (known: {', '.join(SHAPES)})")
    if args.sources is not None and not args.sources.is_dir():
        parser.error(f"--sources {args.sources} is not a folder")
    try:
        descriptor = args.descriptor or find_descriptor(Path.cwd())
    except PackageError as exc:
        parser.error(str(exc))
    out = args.out or descriptor.absolute().parent / "docs" / "benchmark.md"
    report = benchmark(descriptor, sizes, out, args.repeat, args.all, not args.no_frictionless, args.sources, shapes)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
