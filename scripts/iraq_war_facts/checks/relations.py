"""Check family: relations. The arithmetic relations of data/relations.csv hold between the facts they name.

``sum_of``: the fact equals the sum of the others within the relative tolerance. ``at_most``: the fact is at most
the sum of the others (times 1 + tolerance). ``share_of``: the fact is a percentage and the single other fact the
count it describes; the whole they imply (count / percent × 100) lies within expected_low–expected_high, widened by
the tolerance. Arithmetic is exact (decimal, from the cells as written).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from iraq_war_facts.checks.base import Context, Problem, Table

CHECK = "relations"
KNOWN = ("sum_of", "at_most", "share_of")


@dataclass(frozen=True)
class Fact:
    """What a relation needs of a fact."""

    fact_id: str
    value: Decimal | None
    unit: str | None
    qualifier: str | None


def number(cell: object) -> Decimal | None:
    """A cell as an exact decimal, or None when empty or not a finite number."""
    if cell is None:
        return None
    try:
        d = Decimal(str(cell).strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def fmt(d: Decimal) -> str:
    """A decimal in plain notation, without exponent or trailing zeros."""
    text = format(d.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _facts(ctx: Context) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    for table in ctx.fact_tables:
        for raw in table.raw.iter_rows(named=True):
            fid = raw.get("fact_id")
            if fid is not None and fid not in out:
                out[fid] = Fact(fid, number(raw.get("value")), raw.get("unit"), raw.get("qualifier"))
    return out


def _evaluate(table: Table, i: int, raw: dict[str, Any], facts: dict[str, Fact]) -> Iterator[Problem]:
    """Problems of one relation row."""
    kind, fid, others_cell = raw.get("relation"), raw.get("fact_id"), raw.get("other_fact_ids")
    if fid is None or others_cell is None:
        return
    missing = False
    if fid not in facts:
        missing = True
        yield table.problem(CHECK, i, "fact_id", f"fact_id {fid} is not a fact of the package")
    others = others_cell.split()
    for other in others:
        if other not in facts:
            missing = True
            yield table.problem(CHECK, i, "other_fact_ids", f"other_fact_ids names {other}, which is not a fact")
    if fid in others:
        yield table.problem(CHECK, i, "other_fact_ids", f"other_fact_ids names {fid} itself")
        return
    if missing or kind not in KNOWN:
        return
    tolerance = number(raw.get("tolerance"))
    if tolerance is None:
        return
    fact, parts = facts[fid], [facts[o] for o in others]
    blank = [f for f in (fact, *parts) if f.value is None]
    if blank:
        names = ", ".join(f"{f.fact_id} ({f.qualifier or 'no qualifier'})" for f in blank)
        yield table.problem(CHECK, i, "fact_id", f"{kind} cannot be evaluated: no value for {names}")
        return
    value = fact.value
    assert value is not None
    if kind == "share_of":
        yield from _share(table, i, raw, fact, parts, tolerance)
        return
    units = {f.unit for f in (fact, *parts)}
    if len(units) > 1:
        listed = ", ".join(f"{f.fact_id} is {f.unit}" for f in (fact, *parts))
        yield table.problem(CHECK, i, "other_fact_ids", f"{kind} compares facts in different units: {listed}")
        return
    total = sum((p.value for p in parts if p.value is not None), Decimal(0))
    names = " + ".join(p.fact_id for p in parts)
    stated = f"{names} = {fmt(total)} (tolerance {fmt(tolerance)})"
    if kind == "sum_of" and abs(value - total) > tolerance * abs(value):
        msg = f"sum_of does not hold: {fid} = {fmt(value)} but {stated}"
        yield table.problem(CHECK, i, "fact_id", msg)
    elif kind == "at_most" and value > total * (1 + tolerance):
        msg = f"at_most does not hold: {fid} = {fmt(value)} is greater than {stated}"
        yield table.problem(CHECK, i, "fact_id", msg)


def _share(
    table: Table, i: int, raw: dict[str, Any], fact: Fact, parts: list[Fact], tolerance: Decimal
) -> Iterator[Problem]:
    """share_of: the count and the percentage imply a whole within the expected bounds."""
    if len(parts) != 1:
        yield table.problem(CHECK, i, "other_fact_ids", f"share_of needs exactly one other fact, got {len(parts)}")
        return
    part = parts[0]
    if fact.unit != "percent":
        msg = f"share_of: {fact.fact_id} must be a percentage, its unit is {fact.unit}"
        yield table.problem(CHECK, i, "fact_id", msg)
        return
    if part.unit == "percent":
        msg = f"share_of: {part.fact_id} must be a count, not a percentage"
        yield table.problem(CHECK, i, "other_fact_ids", msg)
        return
    low, high = number(raw.get("expected_low")), number(raw.get("expected_high"))
    if low is None or high is None:
        yield table.problem(CHECK, i, "expected_low", "share_of needs expected_low and expected_high")
        return
    assert fact.value is not None and part.value is not None
    if fact.value == 0:
        yield table.problem(CHECK, i, "fact_id", f"share_of cannot be evaluated: {fact.fact_id} is 0 percent")
        return
    whole = part.value * 100 / fact.value
    if not low * (1 - tolerance) <= whole <= high * (1 + tolerance):
        msg = (
            f"share_of does not hold: {part.fact_id} = {fmt(part.value)} is {fact.fact_id} = {fmt(fact.value)} "
            f"percent of {fmt(whole.quantize(Decimal(1)))}, outside the expected {fmt(low)}–{fmt(high)} "
            f"(tolerance {fmt(tolerance)})"
        )
        yield table.problem(CHECK, i, "fact_id", msg)


def check(ctx: Context) -> Iterable[Problem]:
    """Evaluate every relation of the relations table."""
    table = ctx.tables.get("relations")
    if table is None:
        return []
    facts = _facts(ctx)
    problems: list[Problem] = []
    for i, raw in enumerate(table.raw.iter_rows(named=True)):
        problems += _evaluate(table, i, raw, facts)
    return problems
