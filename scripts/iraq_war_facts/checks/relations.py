"""Check family: relations. What the package computes from its facts must hold and must name real rows.

- ``relations``: every declared relation (``sum_of``, ``at_most``, ``share_of``) holds, evaluated exactly by
  :mod:`iraq_war_facts.evaluate`, the evaluator the report uses too.
- ``derived``: every formula parses, names only facts that exist, and can be computed (every fact it names has a
  value, no division by zero).
- ``chart_items``: every bar or part names a fact or a derived figure, every event an event code that has a claim.

The facts named are found with one filter over the fact tables; the arithmetic runs once per row of these small
tables. At most :data:`CAP` problems are listed per field and rule, then one summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import polars as pl

from iraq_war_facts import evaluate
from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.evaluate import Fact, Finding, FormulaError

CHECK = "relations"
CAP = 1000
WORD = r"[^\s\x1c-\x1f]+"  # the words of str.split()
ID_ROLES = ("bar", "hostile_part", "other_part")


def _column(table: Table, name: str) -> pl.Expr:
    return pl.col(name) if name in table.raw.columns else pl.lit(None, dtype=pl.String)


def named_facts(ctx: Context, ids: Iterable[str]) -> dict[str, Fact]:
    """The facts among ``ids`` (first row of each), with their values as exact decimals."""
    wanted = pl.Series(sorted(set(ids)), dtype=pl.String)
    parts = [
        table.raw.select(
            _column(table, "fact_id").alias("fact_id"),
            _column(table, "value").alias("value"),
            _column(table, "unit").alias("unit"),
            _column(table, "qualifier").alias("qualifier"),
        ).filter(pl.col("fact_id").is_in(wanted.implode()))
        for table in ctx.fact_tables
    ]
    if not parts:
        return {}
    frame = pl.concat(parts).unique(subset="fact_id", keep="first", maintain_order=True)
    return {
        fid: Fact(fid, evaluate.number(value), unit, qualifier)
        for fid, value, unit, qualifier in frame.select("fact_id", "value", "unit", "qualifier").iter_rows()
    }


def _ids_in(table: Table | None, columns: Iterable[str]) -> set[str]:
    if table is None:
        return set()
    out: set[str] = set()
    for name in columns:
        if name in table.raw.columns:
            out.update(table.raw[name].str.extract_all(WORD).explode().drop_nulls().to_list())
    return out


def relation_findings(records: list[dict[str, Any]], facts: dict[str, Fact]) -> Iterator[tuple[int, Finding]]:
    for row, rec in enumerate(records):
        for finding in evaluate.relation(rec, facts).findings:
            yield row, finding


def derived_findings(records: list[dict[str, Any]], facts: dict[str, Fact]) -> Iterator[tuple[int, Finding]]:
    for row, rec in enumerate(records):
        text = rec.get("formula")
        if text is None:
            continue
        try:
            formula = evaluate.parse(text)
        except FormulaError as exc:
            yield (
                row,
                (
                    "formula",
                    "derived-formula-syntax",
                    f"formula {text!r} cannot be read: {exc} (at character {exc.position})",
                ),
            )
            continue
        unknown = [i for i in formula.ids if i not in facts]
        for fid in unknown:
            yield row, ("formula", "derived-unknown-fact", f"formula names {fid}, which is not a fact")
        if unknown:
            continue
        if formula.evaluate({i: f.value for i, f in facts.items()}) is None:
            blank = [f"{i} ({facts[i].qualifier or 'no qualifier'})" for i in formula.ids if facts[i].value is None]
            why = f"no value for {', '.join(blank)}" if blank else "it divides by zero"
            yield row, ("formula", "derived-not-computable", f"formula {text!r} cannot be computed: {why}")


def item_findings(
    records: list[dict[str, Any]], facts: dict[str, Fact], derived: set[str], events: set[str]
) -> Iterator[tuple[int, Finding]]:
    for row, rec in enumerate(records):
        role, ref = rec.get("role"), rec.get("ref")
        if ref is None:
            continue
        if role in ID_ROLES and ref not in facts and ref not in derived:
            yield row, ("ref", "chart-unknown-ref", f"ref {ref} is neither a fact nor a derived figure")
        elif role == "event" and ref not in events:
            yield row, ("ref", "chart-unknown-ref", f"ref {ref} is not the event code of any row of events")


def check(ctx: Context) -> Iterable[Problem]:
    """Evaluate every relation, every derived formula and every chart item."""
    rel, drv, items = (ctx.tables.get(n) for n in ("relations", "derived", "chart_items"))
    named = _ids_in(rel, ("fact_id", "other_fact_ids")) | _ids_in(items, ("ref",))
    formulas = drv.raw["formula"].drop_nulls().to_list() if drv is not None and "formula" in drv.raw.columns else []
    for text in formulas:
        named.update(evaluate.ids_in(text))
    facts = named_facts(ctx, named)
    problems: list[Problem] = []
    if rel is not None:
        problems += _report(rel, relation_findings(rel.raw.rows(named=True), facts))
    if drv is not None:
        problems += _report(drv, derived_findings(drv.raw.rows(named=True), facts))
    if items is not None:
        derived_ids = set(drv.raw["derived_id"].drop_nulls().to_list()) if drv is not None else set()
        events = ctx.tables.get("events")
        codes = (
            set(events.raw["event"].drop_nulls().to_list()) if events is not None and "event" in events.raw else set()
        )
        problems += _report(items, item_findings(items.raw.rows(named=True), facts, derived_ids, codes))
    return problems


def _report(table: Table, findings: Iterable[tuple[int, Finding]]) -> list[Problem]:
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row, (name, code, message) in findings:
        found.setdefault((name, code), []).append((row, message))
    problems: list[Problem] = []
    for (name, code), hits in found.items():
        problems += [table.problem(CHECK, row, name, message, code=code) for row, message in hits[:CAP]]
        if len(hits) > CAP:
            more = f"{code}: … and {len(hits) - CAP} more rows"
            problems.append(table.problem(CHECK, None, name, more, code=code))
    return problems
