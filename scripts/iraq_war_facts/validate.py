"""Validate a copy of the package: check the descriptor and schemas, read every resource once, run every check
family, collect problems.

Nothing here writes to disk. Bad input is reported as problems; only a package that cannot be read (see
:func:`~iraq_war_facts.package.load`) raises :class:`~iraq_war_facts.package.PackageError`. The descriptor and the
schemas are checked first (:func:`iraq_war_facts.checks.descriptor.screen`): the tables are then read and checked
with their malformed parts set aside, so a malformed part is reported once, at its file, and no family fails on it.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.checks.descriptor import screen
from iraq_war_facts.checks.hygiene import start_digest
from iraq_war_facts.checks.schema import python_dates
from iraq_war_facts.package import PackageError, Resource, load, read_regular
from iraq_war_facts.reading import LARGE, read_table
from iraq_war_facts.tableschema import load_pandera

# Order matters only for the summary; every family sees the same context.
FAMILIES = ("descriptor", "schema", "hygiene", "rules", "relations", "citations", "claims", "completeness")
SCREEN = "descriptor"  # checked before the tables are read (schema parts too): the others see what it leaves
NEEDS_SOURCES = {"citations", "claims", "completeness"}
NOT_RUN = "no source texts given (--sources DIR): quotes and numbers were NOT verified"


@dataclass
class Report:
    """The outcome of one validation run."""

    problems: list[Problem]
    context: Context
    seconds: dict[str, float] = field(default_factory=dict)
    not_run: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[tuple[str, str, int]]:
        """(family, status, problem count) per check family."""
        counts = Counter(p.check for p in self.errors)
        rows = []
        for family in FAMILIES:
            if family in self.not_run:
                rows.append((family, "NOT RUN", 0))
            else:
                rows.append((family, "failed" if counts[family] else "passed", counts[family]))
        return rows


def validate(descriptor: str | Path, sources_dir: str | Path | None = None) -> Report:
    """Validate the package at ``descriptor``; verify citations against ``sources_dir`` when given."""
    start = time.perf_counter()
    pkg, problems = screen(load(descriptor))
    if sources_dir is not None and not Path(sources_dir).is_dir():
        raise PackageError(str(sources_dir), "the --sources folder does not exist")
    ctx = Context(pkg, sources_dir=Path(sources_dir) if sources_dir is not None else None)
    seconds: dict[str, float] = {SCREEN: time.perf_counter() - start}
    pool = ThreadPoolExecutor(max_workers=1)  # file digests are computed while the tables are read and checked
    try:
        _run(ctx, problems, seconds, start, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    seconds["total"] = time.perf_counter() - start
    problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.column or 0, p.check, p.message))
    not_run = {f: NOT_RUN for f in FAMILIES if f in NEEDS_SOURCES and ctx.sources_dir is None}
    return Report(problems, ctx, seconds, not_run)


def _read(ctx: Context, pool: ThreadPoolExecutor, res: Resource) -> tuple[Table | None, list[Problem]]:
    """Read one resource, its digest computed in ``pool`` from the bytes read."""
    data = read_regular(res.path, res.relpath)
    start_digest(ctx, pool, res, data)
    return read_table(res, data)


def _large(resource: Resource) -> bool:
    """Whether the resource's file is large (one that cannot be looked at is not: it is read first, and reported)."""
    try:
        return resource.path.stat().st_size > LARGE
    except OSError:
        return False


def _run(
    ctx: Context, problems: list[Problem], seconds: dict[str, float], start: float, pool: ThreadPoolExecutor
) -> None:
    """Read every resource (its file's digest computed in ``pool`` from the bytes read), then run every check family
    that can run.

    Large files are read in a thread of their own, mostly in polars, which leaves the interpreter lock free: meanwhile
    pandera (for the schema family) is imported and the small files are read. The tables and their problems are kept
    in the descriptor's order.
    """
    pkg = ctx.package
    large = [res for res in pkg.resources.values() if _large(res)]
    read: dict[str, tuple[Table | None, list[Problem]]] = {}
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-large")
    try:
        pending = {res.name: reader.submit(_read, ctx, pool, res) for res in large}
        if pending:
            load_pandera()
        for res in pkg.resources.values():
            if res.name not in pending:
                read[res.name] = _read(ctx, pool, res)
        for name, future in pending.items():
            read[name] = future.result()
    finally:
        reader.shutdown(wait=True, cancel_futures=True)
    for res in pkg.resources.values():
        table, found = read[res.name]
        problems += found
        if table is not None:
            problems += python_dates(table)
            ctx.tables[res.name] = table
    seconds["read"] = time.perf_counter() - start
    for family in FAMILIES:
        if family == SCREEN or (family in NEEDS_SOURCES and ctx.sources_dir is None):
            continue
        t0 = time.perf_counter()
        module = importlib.import_module(f"iraq_war_facts.checks.{family}")
        try:
            problems += list(module.check(ctx))
        except Exception as exc:  # a bug in a check: a message, never a traceback (malformed input never gets here)
            reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
            where = pkg.descriptor_path.name
            message = f"the {family} check could not run ({reason})"
            problems.append(Problem(where, None, None, family, message, code="check-not-run"))
        seconds[family] = time.perf_counter() - t0
