"""Comparisons over the fact frame: per-quantity summaries, discrepancies between claims, data-quality counts.

Pure functions of the frames of :class:`iraq_war_facts.analysis.Analysis`; the analysis calls each once per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl


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
# Derived figures


DIFFERS = {
    "date": "time",
    "scope": "detail",
    "estimator": "attributed_to",
    "claim type": "claim_type",
    "source": "source_id",
    "qualifier": "qualifier",
}
DISCREPANCY_SCHEMA: dict[str, pl.DataType] = {
    "topic": pl.String(),
    "metric": pl.String(),
    "party": pl.String(),
    "unit": pl.String(),
    "claims": pl.Int64(),
    "sources": pl.Int64(),
    "fact_ids": pl.String(),
    "derived_ids": pl.String(),
    "low": pl.Float64(),
    "low_id": pl.String(),
    "high": pl.Float64(),
    "high_id": pl.String(),
    "ratio": pl.Float64(),
    "differs": pl.String(),
}


def _time_key(row: Mapping[str, Any]) -> str:
    start, end = row.get("start"), row.get("end")
    if start is None and end is None:
        return "unknown"
    return f"{start}..{end}" if start != end else str(start)


def discrepancies(facts_frame: pl.DataFrame, derived: pl.DataFrame | None = None) -> pl.DataFrame:
    """Quantities (metric + party + unit) with two or more figures: their spread and what differs between them.

    Derived figures that declare a quantity join its row, marked by their ``DRV-`` id. ``ratio`` is the greatest
    figure over the least (bounds of ranges and indefinite plurals included); ``differs`` lists the dimensions on
    which the stated claims disagree: date, scope (definition), estimator, claim type, source, qualifier.
    """
    points: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    topics: dict[tuple[str, str, str], tuple[int, str]] = {}
    for row in facts_frame.iter_rows(named=True):
        key = (row["metric"], row["party"], row["unit"])
        points.setdefault(key, []).append({**row, "id": row["fact_id"], "time": _time_key(row), "is_derived": False})
        topics.setdefault(key, (row["topic_order"], row["topic"]))
    if derived is not None:
        for row in derived.filter(pl.col("metric").is_not_null() & pl.col("value").is_not_null()).iter_rows(named=True):
            key = (row["metric"], row["party"], row["unit"])
            if key in points:
                points[key].append(
                    {"id": row["derived_id"], "lo": row["value"], "hi": row["value"], "is_derived": True}
                )
    rows = []
    for key, pts in points.items():
        stated = [p for p in pts if not p["is_derived"]]
        if len(pts) < 2:
            continue
        with_lo = [p for p in pts if p["lo"] is not None]
        with_hi = [p for p in pts if p["hi"] is not None]
        low = min(with_lo, key=lambda p: (p["lo"], p["id"])) if with_lo else None
        high = min(with_hi, key=lambda p: (-p["hi"], p["id"])) if with_hi else None
        differs = [name for name, col in DIFFERS.items() if len({p.get(col) for p in stated}) > 1]
        if any(p["is_derived"] for p in pts):
            differs.append("derived")
        rows.append(
            {
                "topic": topics[key][1],
                "metric": key[0],
                "party": key[1],
                "unit": key[2],
                "claims": len(stated),
                "sources": len({p["source_id"] for p in stated}),
                "fact_ids": " ".join(sorted(p["id"] for p in stated)),
                "derived_ids": " ".join(sorted(p["id"] for p in pts if p["is_derived"])),
                "low": low["lo"] if low else None,
                "low_id": low["id"] if low else None,
                "high": high["hi"] if high else None,
                "high_id": high["id"] if high else None,
                "ratio": high["hi"] / low["lo"] if low and high and low["lo"] else None,
                "differs": ", ".join(differs),
                "_order": topics[key][0],
            }
        )
    frame = pl.DataFrame(rows, schema={**DISCREPANCY_SCHEMA, "_order": pl.Int64()})
    return frame.sort("_order", "metric", "party", "unit").drop("_order")


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
