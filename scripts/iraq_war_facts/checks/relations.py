"""Check family: relations. The arithmetic relations of data/relations.csv hold between the facts they name.

``sum_of``: the fact equals the sum of the others within the relative tolerance. ``at_most``: the fact is at most
the sum of the others (times 1 + tolerance). ``share_of``: the fact is a percentage and the single other fact the
count it describes; the whole they imply (count / percent × 100) lies within expected_low–expected_high, widened by
the tolerance. Arithmetic is exact (decimal, from the cells as written).

The facts a relation names are found with a join, not row by row. Polars then clears the relations that certainly hold:
every fact found, values written as plain numbers, and the relation true in floating point with a margin far wider
than any rounding. Only the others are evaluated in exact decimal arithmetic, so the messages are those of the exact
evaluation. At most :data:`CAP` problems are listed per field and rule, then one summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from iraq_war_facts.checks.base import Context, Problem, Table

CHECK = "relations"
KNOWN = ("sum_of", "at_most", "share_of")
CAP = 1000
# A number as Decimal reads it without surprises (no spaces, underscores, infinities or NaN), and which polars reads
# as the nearest float.
PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# The words of str.split(): Python's whitespace is Unicode's (\s) plus the separators \x1c-\x1f.
WORD = r"[^\s\x1c-\x1f]+"
# A whole number that floating point holds exactly, and sums of such numbers too while below 2**53.
WHOLE = r"^[+-]?[0-9]{1,15}$"
MARGIN = 1e-9  # relative: floating point agrees with exact arithmetic far within this
TINY = 1e-250  # absolute: values this small may have lost digits in floating point

Finding = tuple[str, str, str]  # (field, rule, message)


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


def _column(table: Table, name: str) -> pl.Expr:
    return pl.col(name) if name in table.raw.columns else pl.lit(None, dtype=pl.String)


def _fact_frame(ctx: Context, ids: pl.Series) -> pl.DataFrame:
    """fact_id, value, unit and qualifier (text) of the first row of each fact whose id is in ``ids``."""
    parts = [
        table.raw.select(
            _column(table, "fact_id").alias("fact_id"),
            _column(table, "value").alias("value"),
            _column(table, "unit").alias("unit"),
            _column(table, "qualifier").alias("qualifier"),
        ).filter(pl.col("fact_id").is_in(ids.implode()))
        for table in ctx.fact_tables
    ]
    schema = {"fact_id": pl.String, "value": pl.String, "unit": pl.String, "qualifier": pl.String}
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat(parts).unique(subset="fact_id", keep="first", maintain_order=True)


def _facts(frame: pl.DataFrame) -> dict[str, Fact]:
    """Facts of a (small) fact frame, values as exact decimals."""
    return {
        fid: Fact(fid, number(value), unit, qualifier)
        for fid, value, unit, qualifier in frame.select("fact_id", "value", "unit", "qualifier").iter_rows()
    }


def _float(text: pl.Expr) -> pl.Expr:
    """A plain number as a finite float, else null."""
    x = pl.when(text.str.contains(PLAIN_NUMBER)).then(text.cast(pl.Float64, strict=False))
    return pl.when(x.is_finite()).then(x)


def _cleared(rel: pl.DataFrame, facts: pl.DataFrame) -> pl.Series:
    """Rows (``row``) of ``rel`` whose relation certainly holds or certainly yields no problem."""
    one = facts.select(
        pl.col("fact_id"),
        _float(pl.col("value")).alias("v"),
        pl.col("unit"),
        pl.col("value").str.contains(WHOLE).fill_null(False).alias("whole"),
    )
    others = (
        rel.select("row", "fact_id", pl.col("others").str.extract_all(WORD).alias("other"))
        .explode("other")
        .join(one.rename({"fact_id": "other"}), on="other", how="left")
        .group_by("row")
        .agg(
            pl.len().alias("n"),
            pl.col("other").is_null().any().alias("empty"),
            pl.col("v").is_null().sum().alias("unknown"),
            (pl.col("other") == pl.col("fact_id")).any().alias("itself"),
            pl.col("v").sum().alias("total"),
            pl.col("v").abs().sum().alias("size"),
            pl.col("v").first().alias("part"),
            pl.col("unit").first().alias("part_unit"),
            pl.col("unit").n_unique().alias("units"),
            pl.col("unit").first().alias("unit0"),
            pl.col("whole").fill_null(False).all().alias("wholes"),
        )
    )
    both = rel.join(one, on="fact_id", how="inner").join(others, on="row", how="inner")
    tol = _float(pl.col("tolerance"))
    v, total, size = pl.col("v"), pl.col("total"), pl.col("size")
    structure = ~pl.col("empty") & (pl.col("unknown") == 0) & ~pl.col("itself") & v.is_not_null() & tol.is_not_null()
    slack = MARGIN * (v.abs() + size * (1 + tol.abs()) + (tol * v).abs()) + TINY
    same_unit = (pl.col("units") == 1) & pl.col("unit").eq_missing(pl.col("unit0"))
    # Whole numbers add up exactly in floating point; a tolerance written without a minus sign is not negative.
    exact = pl.col("whole") & pl.col("wholes") & (size + v.abs() < 2.0**53) & ~pl.col("tolerance").str.starts_with("-")
    sum_of = same_unit & (((v - total).abs() + slack <= tol * v.abs()) | (exact & (v == total)))
    at_most = same_unit & ((v + slack <= total * (1 + tol)) | (exact & (v <= total) & (total >= 0)))
    low, high = _float(pl.col("expected_low")), _float(pl.col("expected_high"))
    whole = pl.col("part") * 100 / v
    share_slack = MARGIN * (low.abs() + high.abs() + whole.abs() + ((low.abs() + high.abs()) * tol).abs()) + TINY
    share_of = (
        (pl.col("n") == 1)
        & (pl.col("unit") == "percent")
        & pl.col("part_unit").ne_missing("percent")
        & (v.abs() > TINY)
        & (low * (1 - tol) + share_slack <= whole)
        & (whole + share_slack <= high * (1 + tol))
    )
    kind = pl.col("relation")
    holds = structure & (
        ~kind.is_in(list(KNOWN))
        | ((kind == "sum_of") & sum_of)
        | ((kind == "at_most") & at_most)
        | ((kind == "share_of") & share_of)
    )
    return both.filter(holds.fill_null(False))["row"]


def _evaluate(raw: dict[str, Any], facts: dict[str, Fact]) -> Iterator[Finding]:
    """Problems of one relation row, as (field, rule, message)."""
    kind, fid, others_cell = raw.get("relation"), raw.get("fact_id"), raw.get("other_fact_ids")
    if fid is None or others_cell is None:
        return
    missing = False
    if fid not in facts:
        missing = True
        yield "fact_id", "unknown fact", f"fact_id {fid} is not a fact of the package"
    others = others_cell.split()
    for other in others:
        if other not in facts:
            missing = True
            yield "other_fact_ids", "unknown other fact", f"other_fact_ids names {other}, which is not a fact"
    if fid in others:
        yield "other_fact_ids", "fact relates to itself", f"other_fact_ids names {fid} itself"
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
        yield "fact_id", "no value", f"{kind} cannot be evaluated: no value for {names}"
        return
    value = fact.value
    assert value is not None
    if kind == "share_of":
        yield from _share(raw, fact, parts, tolerance)
        return
    units = {f.unit for f in (fact, *parts)}
    if len(units) > 1:
        listed = ", ".join(f"{f.fact_id} is {f.unit}" for f in (fact, *parts))
        yield "other_fact_ids", "different units", f"{kind} compares facts in different units: {listed}"
        return
    total = sum((p.value for p in parts if p.value is not None), Decimal(0))
    names = " + ".join(p.fact_id for p in parts)
    stated = f"{names} = {fmt(total)} (tolerance {fmt(tolerance)})"
    if kind == "sum_of" and abs(value - total) > tolerance * abs(value):
        yield "fact_id", "sum_of", f"sum_of does not hold: {fid} = {fmt(value)} but {stated}"
    elif kind == "at_most" and value > total * (1 + tolerance):
        yield "fact_id", "at_most", f"at_most does not hold: {fid} = {fmt(value)} is greater than {stated}"


def _share(raw: dict[str, Any], fact: Fact, parts: list[Fact], tolerance: Decimal) -> Iterator[Finding]:
    """share_of: the count and the percentage imply a whole within the expected bounds."""
    if len(parts) != 1:
        yield "other_fact_ids", "share_of parts", f"share_of needs exactly one other fact, got {len(parts)}"
        return
    part = parts[0]
    if fact.unit != "percent":
        msg = f"share_of: {fact.fact_id} must be a percentage, its unit is {fact.unit}"
        yield "fact_id", "share_of percentage", msg
        return
    if part.unit == "percent":
        yield "other_fact_ids", "share_of count", f"share_of: {part.fact_id} must be a count, not a percentage"
        return
    low, high = number(raw.get("expected_low")), number(raw.get("expected_high"))
    if low is None or high is None:
        yield "expected_low", "share_of bounds", "share_of needs expected_low and expected_high"
        return
    assert fact.value is not None and part.value is not None
    if fact.value == 0:
        yield "fact_id", "share_of zero", f"share_of cannot be evaluated: {fact.fact_id} is 0 percent"
        return
    whole = part.value * 100 / fact.value
    if not low * (1 - tolerance) <= whole <= high * (1 + tolerance):
        msg = (
            f"share_of does not hold: {part.fact_id} = {fmt(part.value)} is {fact.fact_id} = {fmt(fact.value)} "
            f"percent of {fmt(whole.quantize(Decimal(1)))}, outside the expected {fmt(low)}–{fmt(high)} "
            f"(tolerance {fmt(tolerance)})"
        )
        yield "fact_id", "share_of", msg


def check(ctx: Context) -> Iterable[Problem]:
    """Evaluate every relation of the relations table."""
    table = ctx.tables.get("relations")
    if table is None or table.raw.height == 0:
        return []
    rel = table.raw.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
        _column(table, "relation").alias("relation"),
        _column(table, "fact_id").alias("fact_id"),
        _column(table, "other_fact_ids").alias("others"),
        _column(table, "tolerance").alias("tolerance"),
        _column(table, "expected_low").alias("expected_low"),
        _column(table, "expected_high").alias("expected_high"),
    ).filter(pl.col("fact_id").is_not_null() & pl.col("others").is_not_null())
    if rel.is_empty():
        return []
    words = rel["others"].str.extract_all(WORD).explode().drop_nulls()
    named = pl.concat([rel["fact_id"], words.alias("fact_id")]).unique()
    facts = _fact_frame(ctx, named)
    # Relations not cleared by polars are evaluated exactly, with the facts they name.
    rest = rel.filter(~pl.col("row").is_in(_cleared(rel, facts).implode()))
    if rest.is_empty():
        return []
    rows = rest["row"].to_list()
    records = table.raw[rest["row"]].rows(named=True)
    ids = {fid for rec in records for fid in (rec.get("fact_id"), *(rec.get("other_fact_ids") or "").split())}
    wanted = pl.Series(sorted(i for i in ids if i is not None), dtype=pl.String)
    exact = _facts(facts.filter(pl.col("fact_id").is_in(wanted.implode())))
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row, rec in zip(rows, records, strict=True):
        for name, rule, message in _evaluate(rec, exact):
            found.setdefault((name, rule), []).append((row, message))
    problems: list[Problem] = []
    for (name, rule), hits in found.items():
        problems += [table.problem(CHECK, row, name, message) for row, message in hits[:CAP]]
        if len(hits) > CAP:
            problems.append(table.problem(CHECK, None, name, f"rule {rule!r}: … and {len(hits) - CAP} more rows"))
    return problems
