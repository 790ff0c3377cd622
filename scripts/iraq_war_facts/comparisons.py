"""Comparisons over the fact frame: per-quantity summaries, discrepancies between claims, data-quality counts.

Pure functions of the frames of :class:`iraq_war_facts.analysis.Analysis`; the analysis calls each once per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from iraq_war_facts.model import INDEFINITE, LOWER_BOUNDS, UPPER_BOUNDS, id_key, unit_end


def summary(facts_frame: pl.DataFrame) -> pl.DataFrame:
    """Per topic, metric, party and unit: claims, sources, least and greatest figure, earliest and latest date."""
    order = ["fact_id"]
    return (
        facts_frame.group_by("topic_order", "topic", "metric", "party", "unit")
        .agg(
            claims=pl.len(),
            sources=pl.col("source_id").n_unique(),
            min=pl.col("lo").min(),
            min_fact=pl.col("fact_id").sort_by(["lo", *order], nulls_last=True).first(),
            max=pl.col("hi").max(),
            max_fact=pl.col("fact_id").sort_by(["hi", *order], descending=[True, False], nulls_last=True).first(),
            earliest=pl.col("start").min(),
            earliest_fact=pl.col("fact_id").sort_by(["start", *order], nulls_last=True).first(),
            latest=pl.col("end").max(),
            latest_fact=pl.col("fact_id").sort_by(["end", *order], descending=[True, False], nulls_last=True).first(),
            fact_ids=pl.col("fact_id").sort().str.join(" "),
            source_ids=pl.col("source_id").unique().sort().str.join(" "),
        )
        .sort("topic_order", "metric", "party", "unit")
        .drop("topic_order")
    )


# ---------------------------------------------------------------------------------------------------------------
# Disagreements between claims, and differences of scope or time

DIFFERS = {
    "date": "time",
    "scope": "detail",
    "estimator": "attributed_to",
    "claim type": "claim_type",
    "source": "source_id",
    "qualifier": "qualifier",
}
_COMMON: dict[str, pl.DataType] = {
    "topic": pl.String(),
    "metric": pl.String(),
    "party": pl.String(),
    "unit": pl.String(),
    "scope_field": pl.String(),
}
_SPREAD: dict[str, pl.DataType] = {
    "claims": pl.Int64(),
    "sources": pl.Int64(),
    "fact_ids": pl.String(),
    "derived_ids": pl.String(),
    "low": pl.Float64(),
    "low_id": pl.String(),
    "high": pl.Float64(),
    "high_id": pl.String(),
    "ratio": pl.Float64(),
}
DISCREPANCY_SCHEMA: dict[str, pl.DataType] = {
    **_COMMON,
    "scope": pl.String(),
    **_SPREAD,
    "start": pl.Date(),
    "end": pl.Date(),
    "differs": pl.String(),
}
SCOPE_DIFFERENCE_SCHEMA: dict[str, pl.DataType] = {**_COMMON, "scopes": pl.String(), **_SPREAD, "differs": pl.String()}


@dataclass(frozen=True)
class _When:
    """The days a claim's time may mean: its first day lies in ``first``, its last in ``last`` (inclusive)."""

    point: bool  # a level at a date (``as_of``), else a total or a state over a period
    first: tuple[date, date]
    last: tuple[date, date]


@dataclass
class _Claim:
    """A fact or a derived figure of one quantity: its figures as the set of values it allows, and its time."""

    id: str
    row: dict[str, Any]
    low: float | None  # least value it allows (None: unbounded below)
    high: float | None  # greatest value it allows (None: unbounded above)
    least: float | None  # the figures drawn: least and greatest stated
    most: float | None
    scope: str | None
    when: _When | None
    derived: bool = False


def _unit(day: date | None, precision: str | None) -> tuple[date, date] | None:
    return None if day is None else (day, unit_end(day, precision))


def _when(row: Mapping[str, Any]) -> _When | None:
    """A fact's time: ``as_of`` a point (the unit its precision stands for), else its period's first and last units."""
    point = _unit(row.get("as_of"), row.get("as_of_precision"))
    if point is not None:
        return _When(True, point, point)
    first = _unit(row.get("period_start"), row.get("period_start_precision"))
    last = _unit(row.get("period_end"), row.get("period_end_precision")) or first
    return None if first is None or last is None else _When(False, first, last)


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def same_time(a: _When | None, b: _When | None) -> bool:
    """Whether two claims speak of comparable times (bounds included).

    Two levels: their dates overlap (a date stands for the day, month or year of its precision). A level and a
    period: the level's date falls within the period. Two periods: the same period at the precision of their dates
    (first days overlap and last days overlap); a total to August 2010 and one to 2011 cover different times even
    though one contains the other. An undated claim is comparable with none.
    """
    if a is None or b is None:
        return False
    if a.point and b.point:
        return _overlap(a.first, b.first)
    if a.point or b.point:
        level, period = (a, b) if a.point else (b, a)
        return _overlap(level.first, (period.first[0], period.last[1]))
    return _overlap(a.first, b.first) and _overlap(a.last, b.last)


def _conflict(a: _Claim, b: _Claim) -> bool:
    """Whether no value satisfies both claims: ``more than 4,000`` and ``4,805`` agree; ``100`` and ``120`` do not."""
    below = a.high is not None and b.low is not None and a.high < b.low
    above = b.high is not None and a.low is not None and b.high < a.low
    return below or above


def _fact_claim(row: dict[str, Any]) -> _Claim:
    qualifier = row.get("qualifier")
    low, high = row.get("lo"), row.get("hi")
    if qualifier in LOWER_BOUNDS or qualifier == INDEFINITE:
        high = None
    elif qualifier in UPPER_BOUNDS:
        low = None
    return _Claim(
        row["fact_id"],
        {**row, "time": _time_key(row)},
        low,
        high,
        row.get("lo"),
        row.get("hi"),
        row.get("detail"),
        _when(row),
    )


def _derived_claim(row: dict[str, Any], parts: list[_Claim]) -> _Claim:
    """A derived figure: the scope its facts share (if one), the time from the earliest to the latest of them."""
    scopes = {p.scope for p in parts}
    times = [p.when for p in parts if p.when is not None]
    when = None
    if parts and len(times) == len(parts):
        first = min(t.first for t in times)
        last = max(t.last for t in times)
        when = _When(False, first, last)
    value = row["value"]
    scope = scopes.pop() if len(scopes) == 1 else None
    return _Claim(row["derived_id"], row, value, value, value, value, scope, when, derived=True)


def _time_key(row: Mapping[str, Any]) -> str:
    start, end = row.get("start"), row.get("end")
    if start is None and end is None:
        return "unknown"
    return f"{start}..{end}" if start != end else str(start)


def _quantities(
    facts_frame: pl.DataFrame, derived: pl.DataFrame | None
) -> dict[tuple[str, str, str], tuple[dict[str, Any], list[_Claim]]]:
    """Claims by quantity (metric, party, unit), facts in id order then the derived figures that declare it."""
    out: dict[tuple[str, str, str], tuple[dict[str, Any], list[_Claim]]] = {}
    by_id: dict[str, _Claim] = {}
    for row in facts_frame.iter_rows(named=True):
        claim = _fact_claim(row)
        by_id[claim.id] = claim
        head = {"topic": row["topic"], "_order": row["topic_order"], "scope_field": row.get("detail_field")}
        out.setdefault((row["metric"], row["party"], row["unit"]), (head, []))[1].append(claim)
    if derived is not None:
        for row in derived.filter(pl.col("metric").is_not_null() & pl.col("value").is_not_null()).iter_rows(named=True):
            key = (row["metric"], row["party"], row["unit"])
            if key in out:
                parts = [by_id[f] for f in str(row["fact_ids"] or "").split() if f in by_id]
                out[key][1].append(_derived_claim(row, parts))
    return out


def _spread(claims: list[_Claim]) -> dict[str, Any]:
    stated = [c for c in claims if not c.derived]
    with_lo = [c for c in claims if c.least is not None]
    with_hi = [c for c in claims if c.most is not None]
    low = min(with_lo, key=lambda c: (c.least, c.id)) if with_lo else None
    high = min(with_hi, key=lambda c: (-c.most, c.id)) if with_hi else None  # type: ignore[operator]
    return {
        "claims": len(stated),
        "sources": len({c.row["source_id"] for c in stated}),
        "fact_ids": " ".join(sorted((c.id for c in stated), key=id_key)),
        "derived_ids": " ".join(sorted((c.id for c in claims if c.derived), key=id_key)),
        "low": low.least if low else None,
        "low_id": low.id if low else None,
        "high": high.most if high else None,
        "high_id": high.id if high else None,
        "ratio": high.most / low.least if low and high and low.least else None,  # type: ignore[operator]
    }


def _groups(claims: list[_Claim]) -> list[list[_Claim]]:
    """Claims of one scope linked by comparable times (connected components), in the order of their first claim."""
    groups: list[list[_Claim]] = []
    for claim in claims:
        joined = [g for g in groups if any(same_time(claim.when, c.when) for c in g)]
        merged = [c for g in joined for c in g] + [claim]
        groups = [g for g in groups if g not in joined] + [merged]
    return sorted(groups, key=lambda g: claims.index(g[0]))


def _sorted(rows: list[dict[str, Any]], schema: dict[str, pl.DataType], *keys: str) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={**schema, "_order": pl.Int64()})
    return frame.sort("_order", *keys).drop("_order")


def discrepancies(facts_frame: pl.DataFrame, derived: pl.DataFrame | None = None) -> pl.DataFrame:
    """Genuine disagreements: claims of one quantity, scope and time whose figures cannot all be true.

    A row gathers the claims of one quantity (metric + party + unit) and one scope (the value of the field its topic
    declares as ``x-facts.scope``: cause, force_type, cost_scope...) whose times are comparable (:func:`same_time`,
    claims linked through comparable times form one row), when two of them allow no common value (bounds count:
    ``more than 4,000`` agrees with ``4,805``). Derived figures that declare the quantity's metric and party join it,
    marked by their ``DRV-`` id, with the scope their facts share and the time they span.

    Columns: ``topic, metric, party, unit, scope_field, scope``; ``claims`` (stated facts), ``sources``,
    ``fact_ids``, ``derived_ids`` (space-separated); ``low``/``low_id`` and ``high``/``high_id`` the least and greatest
    figure and whose; ``ratio`` = high / low; ``start``/``end`` the earliest first and latest last day of the claims;
    ``differs`` the dimensions on which the stated claims differ (date, estimator, claim type, source, qualifier)
    and ``derived`` when a derived figure takes part.
    """
    rows = []
    for key, (head, claims) in _quantities(facts_frame, derived).items():
        scopes: dict[str | None, list[_Claim]] = {}
        for c in claims:
            scopes.setdefault(c.scope, []).append(c)
        for scope, members in scopes.items():
            for group in _groups(members):
                if not any(_conflict(a, b) for i, a in enumerate(group) for b in group[i + 1 :]):
                    continue
                stated = [c.row for c in group if not c.derived]
                differs = [name for name, col in DIFFERS.items() if len({r.get(col) for r in stated}) > 1]
                if any(c.derived for c in group):
                    differs.append("derived")
                times = [c.when for c in group if c.when is not None]
                rows.append(
                    {
                        "topic": head["topic"],
                        "metric": key[0],
                        "party": key[1],
                        "unit": key[2],
                        "scope_field": head["scope_field"],
                        "scope": scope,
                        **_spread(group),
                        "start": min(t.first[0] for t in times) if times else None,
                        "end": max(t.last[1] for t in times) if times else None,
                        "differs": ", ".join(differs),
                        "_order": head["_order"],
                    }
                )
    return _sorted(rows, DISCREPANCY_SCHEMA, "metric", "party", "unit", "scope", "start")


def scope_differences(facts_frame: pl.DataFrame, derived: pl.DataFrame | None = None) -> pl.DataFrame:
    """Quantities whose figures differ only because the claims cover a different scope or a different time.

    One row per quantity (metric + party + unit) with two claims whose figures cannot both be true yet which are no
    disagreement: their scopes differ (US deaths of all causes against deaths in hostile action) or their times are
    not comparable (:func:`same_time`: a total to August 2010 against one from September 2010). The row gathers every
    claim of the quantity taking part in such a pair; derived figures join as in :func:`discrepancies`.

    Columns: ``topic, metric, party, unit, scope_field``; ``scopes`` the distinct scope codes of those claims
    (space-separated, sorted); ``claims, sources, fact_ids, derived_ids, low, low_id, high, high_id, ratio`` as in
    :func:`discrepancies`; ``differs`` ``scope``, ``time`` or ``scope, time``: what differs between the claims.
    """
    rows = []
    for key, (head, claims) in _quantities(facts_frame, derived).items():
        involved: set[str] = set()
        what: set[str] = set()
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if not _conflict(a, b):
                    continue
                scope, time = a.scope != b.scope, not same_time(a.when, b.when)
                if scope or time:
                    involved |= {a.id, b.id}
                    what |= {"scope"} if scope else set()
                    what |= {"time"} if time else set()
        if not involved:
            continue
        group = [c for c in claims if c.id in involved]
        rows.append(
            {
                "topic": head["topic"],
                "metric": key[0],
                "party": key[1],
                "unit": key[2],
                "scope_field": head["scope_field"],
                "scopes": " ".join(sorted({c.scope for c in group if c.scope is not None})),
                **_spread(group),
                "differs": ", ".join(d for d in ("scope", "time") if d in what),
                "_order": head["_order"],
            }
        )
    return _sorted(rows, SCOPE_DIFFERENCE_SCHEMA, "metric", "party", "unit")


# ---------------------------------------------------------------------------------------------------------------
# Data quality


def _count(frame: pl.DataFrame, by: list[str], ids: str) -> pl.DataFrame:
    return (
        frame.group_by(by)
        .agg(count=pl.len(), ids=pl.col(ids).sort().str.join(" "))
        .sort(by, nulls_last=True)
        .with_columns(pl.col(c).fill_null("") for c in by)
    )


def facts_per_source(facts_frame: pl.DataFrame) -> pl.DataFrame:
    """Facts per source and topic, with their ids."""
    return (
        facts_frame.group_by("source_id", "topic_order", "topic")
        .agg(count=pl.len(), ids=pl.col("fact_id").sort().str.join(" "))
        .sort("source_id", "topic_order")
        .drop("topic_order")
    )


def qualifiers_used(facts_frame: pl.DataFrame) -> pl.DataFrame:
    return _count(facts_frame, ["qualifier"], "fact_id")


def claim_types_used(facts_frame: pl.DataFrame) -> pl.DataFrame:
    return _count(facts_frame, ["claim_type"], "fact_id")


def precisions_used(facts_frame: pl.DataFrame) -> pl.DataFrame:
    """For each date field: how many facts give it at each precision and basis (``unknown`` when undated)."""
    parts = []
    for name in ("as_of", "period_start", "period_end"):
        sub = facts_frame.filter(pl.col(f"{name}_precision").is_not_null() | pl.col(f"{name}_basis").is_not_null())
        parts.append(
            sub.select(
                pl.lit(name).alias("field"),
                pl.col(f"{name}_precision").fill_null("none").alias("precision"),
                pl.col(f"{name}_basis").fill_null("none").alias("basis"),
                "fact_id",
            )
        )
    frame = pl.concat(parts)
    order = {"as_of": 0, "period_start": 1, "period_end": 2}
    return (
        _count(frame, ["field", "precision", "basis"], "fact_id")
        .with_columns(_o=pl.col("field").replace_strict(order, default=9, return_dtype=pl.Int64))
        .sort("_o", "precision", "basis")
        .drop("_o")
    )


def literal_slips(facts_frame: pl.DataFrame) -> pl.DataFrame:
    """Facts whose words state a different number from the one meant (``literal_value`` set)."""
    return facts_frame.filter(pl.col("literal_value").is_not_null()).select("fact_id", "value", "literal_value", "note")


def not_tabulated_by_reason(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    frame = tables.get("not_tabulated")
    if frame is None or frame.is_empty():
        return pl.DataFrame(schema={"reason": pl.String, "count": pl.UInt32, "ids": pl.String})
    return _count(frame, ["reason"], "mention_id")


# ---------------------------------------------------------------------------------------------------------------
# Formatting, shared by charts and report
