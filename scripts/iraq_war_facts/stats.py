"""Statistics over the fact tables: summaries, derived figures, discrepancies, relation checks and data quality.

Everything here is a pure function of the typed tables of a valid package. Derived figures are computed on the fly
from ``relations.csv`` and from the declared :data:`FORMULAS`; they are never written back into ``data/``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from iraq_war_facts.errors import InvalidPackage
from iraq_war_facts.package import DEFAULT_DESCRIPTOR, FACT_TOPICS

CORE_SCHEMA: dict[str, pl.DataType] = {
    "fact_id": pl.String(),
    "metric": pl.String(),
    "party": pl.String(),
    "value": pl.Float64(),
    "value_low": pl.Float64(),
    "value_high": pl.Float64(),
    "qualifier": pl.String(),
    "unit": pl.String(),
    "time_type": pl.String(),
    "as_of": pl.Date(),
    "as_of_precision": pl.String(),
    "as_of_basis": pl.String(),
    "period_start": pl.Date(),
    "period_start_precision": pl.String(),
    "period_start_basis": pl.String(),
    "period_end": pl.Date(),
    "period_end_precision": pl.String(),
    "period_end_basis": pl.String(),
    "claim_type": pl.String(),
    "attributed_to": pl.String(),
    "source_id": pl.String(),
    "paragraph": pl.Int64(),
    "quote": pl.String(),
    "quote_en": pl.String(),
    "literal_value": pl.Float64(),
    "note": pl.String(),
}
DETAIL_FIELDS = {
    "troops": "force_type",
    "casualties": "cause",
    "costs": "cost_scope",
    "displacement": "displacement_scope",
    "operations": "counterparty",
}
RELATION_SCHEMA: dict[str, pl.DataType] = {
    "relation_id": pl.String(),
    "relation": pl.String(),
    "fact_id": pl.String(),
    "other_fact_ids": pl.String(),
    "tolerance": pl.Float64(),
    "expected_low": pl.Float64(),
    "expected_high": pl.Float64(),
    "note": pl.String(),
}
PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}
ATTRIBUTION = (
    "Data: iraq-war-facts (CC BY 4.0), compiled from five Arabic news articles; "
    "figures are claims as stated by their sources."
)


@dataclass(frozen=True)
class Data:
    """The typed tables of a valid package and its descriptor."""

    tables: Mapping[str, pl.DataFrame]
    descriptor: Mapping[str, Any]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", "0"))

    @property
    def licence(self) -> str:
        """Short licence name of the data, e.g. ``CC BY 4.0``."""
        names = [str(lic.get("name", "")) for lic in self.descriptor.get("licenses", [])]
        return ", ".join(n.replace("CC-BY-", "CC BY ").replace("-", " ") for n in names if n) or "CC BY 4.0"

    def table(self, name: str) -> pl.DataFrame:
        return self.tables.get(name, pl.DataFrame())

    def __post_init__(self) -> None:
        codebook = self.table("codebook")
        labels = {lang: _labels(codebook, lang) for lang in ("en", "ar")}
        object.__setattr__(self, "_labels", labels)

    def label(self, code: str | None, lang: str = "en") -> str:
        """The codebook label of ``code`` in ``lang`` (``en`` or ``ar``); the code itself when unknown."""
        if code is None:
            return ""
        return self._labels[lang].get(code, code)  # type: ignore[attr-defined]

    def facts(self) -> pl.DataFrame:
        return facts(self.tables)

    def relations(self) -> pl.DataFrame:
        return relations_frame(self.tables)


def _labels(codebook: pl.DataFrame, lang: str) -> dict[str, str]:
    column = "label_ar" if lang == "ar" else "label_en"
    if codebook.is_empty() or column not in codebook.columns or "code" not in codebook.columns:
        return {}
    return dict(zip(codebook["code"].to_list(), codebook[column].to_list(), strict=True))


def load(descriptor: str | Path = DEFAULT_DESCRIPTOR) -> Data:
    """Validate the package (without source texts) and return its typed tables; raise :class:`InvalidPackage`."""
    from iraq_war_facts.validate import validate

    report = validate(descriptor)
    if not report.ok:
        raise InvalidPackage([p.text() for p in report.errors])
    tables = {name: table.frame for name, table in report.context.tables.items()}
    return Data(tables, dict(report.context.package.descriptor))


# ---------------------------------------------------------------------------------------------------------------
# The fact core


def _conform(frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> list[pl.Expr]:
    return [
        (pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype)).alias(name)
        for name, dtype in schema.items()
    ]


def facts(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One frame of every fact: the shared core, ``topic``, the topic's scope field as ``detail``, and helpers.

    ``lo``/``hi`` are the least and greatest figure a claim states (value, else its bounds); ``start``/``end`` the
    first and last date it refers to (``as_of`` for a level).
    """
    frames = []
    for topic in FACT_TOPICS:
        frame = tables.get(topic)
        if frame is None:
            continue
        detail = DETAIL_FIELDS.get(topic)
        frames.append(
            frame.select(
                pl.lit(topic).alias("topic"),
                *_conform(frame, CORE_SCHEMA),
                pl.lit(detail, pl.String).alias("detail_field"),
                (pl.col(detail).cast(pl.String) if detail in frame.columns else pl.lit(None, pl.String)).alias(
                    "detail"
                ),
            )
        )
    if not frames:
        empty = pl.DataFrame(schema={"topic": pl.String, **CORE_SCHEMA, "detail_field": pl.String, "detail": pl.String})
        frames = [empty]
    out = pl.concat(frames, how="vertical")
    return out.with_columns(
        lo=pl.coalesce("value", "value_low"),
        hi=pl.coalesce("value", "value_high", "value_low"),
        start=pl.coalesce("period_start", "as_of"),
        end=pl.coalesce("period_end", "as_of"),
        topic_order=pl.col("topic").replace_strict(
            {t: i for i, t in enumerate(FACT_TOPICS)}, default=len(FACT_TOPICS), return_dtype=pl.Int64
        ),
    ).sort("topic_order", "fact_id")


def relations_frame(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    frame = tables.get("relations")
    if frame is None:
        return pl.DataFrame(schema=RELATION_SCHEMA)
    return frame.select(_conform(frame, RELATION_SCHEMA)).sort("relation_id")


def fact_values(facts_frame: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """Rows of the fact frame keyed by fact_id."""
    return {row["fact_id"]: row for row in facts_frame.iter_rows(named=True)}


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


@dataclass(frozen=True)
class Formula:
    """A derived figure declared in code: ``op`` applied to the values of ``fact_ids``.

    ops: ``sum`` (a + b + ...), ``difference`` (a - b - ...), ``share`` (100 x a / (b + ...)), ``ratio`` (a / b),
    ``implied_whole`` (b x 100 / a, where a is a percentage of the whole and b the part it describes).
    ``quantity`` (metric, party) puts the figure beside the stated claims of that quantity in the discrepancy table.
    """

    derived_id: str
    op: str
    fact_ids: tuple[str, ...]
    label_en: str
    label_ar: str
    unit: str | None = None
    quantity: tuple[str, str] | None = None
    basis: str = "formula"
    compared_fact: str | None = None
    note: str = ""

    def expression(self) -> str:
        ids = list(self.fact_ids)
        if self.op == "sum":
            return " + ".join(ids)
        if self.op == "difference":
            return " − ".join(ids)
        if self.op == "share":
            rest = " + ".join(ids[1:])
            return f"100 × {ids[0]} / {rest if len(ids) == 2 else f'({rest})'}"
        if self.op == "ratio":
            return f"{ids[0]} / {ids[1]}"
        if self.op == "implied_whole":
            return f"{ids[1]} × 100 / {ids[0]}"
        raise ValueError(f"unknown formula op {self.op!r}")

    def evaluate(self, values: Mapping[str, float | None]) -> float | None:
        """The figure, or None when a fact is missing, has no central value, or a divisor is zero."""
        xs = [values.get(i) for i in self.fact_ids]
        if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in xs):
            return None
        nums = [float(x) for x in xs if x is not None]
        if self.op == "sum":
            return sum(nums)
        if self.op == "difference":
            return nums[0] - sum(nums[1:])
        if self.op == "share":
            whole = sum(nums[1:])
            return 100.0 * nums[0] / whole if whole else None
        if self.op == "ratio":
            return nums[0] / nums[1] if nums[1] else None
        if self.op == "implied_whole":
            return nums[1] * 100.0 / nums[0] if nums[0] else None
        raise ValueError(f"unknown formula op {self.op!r}")


FORMULAS: tuple[Formula, ...] = (
    Formula(
        "DRV-0001",
        "sum",
        ("CAS-0004", "CAS-0011", "CAS-0013"),
        "Coalition military deaths to 2011: US + UK + other members",
        "قتلى التحالف العسكريون حتى 2011: الولايات المتحدة + المملكة المتحدة + الدول الأخرى",
        quantity=("killed", "coalition"),
        note="Causes differ: US and UK figures are all causes, the other members' cause is not stated.",
    ),
    Formula(
        "DRV-0002",
        "sum",
        ("CAS-0006", "CAS-0009"),
        "US deaths by hostile action, 2003 to 2011",
        "قتلى الولايات المتحدة في الأعمال القتالية، 2003 إلى 2011",
    ),
    Formula(
        "DRV-0003",
        "difference",
        ("CAS-0004", "CAS-0006", "CAS-0009"),
        "US deaths from other causes, 2003 to 2011",
        "قتلى الولايات المتحدة لأسباب أخرى، 2003 إلى 2011",
    ),
    Formula(
        "DRV-0004",
        "difference",
        ("CAS-0011", "CAS-0012"),
        "UK deaths from other causes, 2003 to 2011",
        "قتلى المملكة المتحدة لأسباب أخرى، 2003 إلى 2011",
    ),
    Formula(
        "DRV-0005",
        "sum",
        ("CAS-0007", "CAS-0010"),
        "US wounded in action, 2003 to 2011",
        "جرحى الولايات المتحدة في الأعمال القتالية، 2003 إلى 2011",
    ),
    Formula(
        "DRV-0006",
        "ratio",
        ("TRP-0004", "TRP-0003"),
        "US troops in 2003 as a multiple of US regular troops left in December 2021",
        "القوات الأمريكية في 2003 مضاعفاً للقوات النظامية المتبقية في ديسمبر 2021",
        unit="times",
    ),
)


def _relation_formula(rel: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> Formula | None:
    """The derived figure a declared relation implies (sum of parts, share of a whole, implied whole)."""
    others = tuple(str(rel["other_fact_ids"] or "").split())
    fid = str(rel["fact_id"])
    derived_id = f"DRV-{rel['relation_id']}"
    note = str(rel.get("note") or "")
    kind = rel["relation"]
    common = {"basis": str(rel["relation_id"]), "note": note}
    if kind == "sum_of":
        unit = by_id.get(fid, {}).get("unit")
        return Formula(
            derived_id,
            "sum",
            others,
            f"Sum of the parts of {fid}",
            f"مجموع أجزاء {fid}",
            unit=unit,
            compared_fact=fid,
            **common,
        )
    if kind == "at_most":
        whole = " + ".join(others)
        return Formula(
            derived_id,
            "share",
            (fid, *others),
            f"{fid} as a share of {whole}",
            f"{fid} نسبةً إلى {whole}",
            unit="percent",
            **common,
        )
    if kind == "share_of" and others:
        unit = by_id.get(others[0], {}).get("unit")
        return Formula(
            derived_id,
            "implied_whole",
            (fid, others[0]),
            f"Whole implied by {fid} and {others[0]}",
            f"الكل المستنتج من {fid} و{others[0]}",
            unit=unit,
            **common,
        )
    return None


def formulas_for(
    facts_frame: pl.DataFrame, relations: pl.DataFrame, declared: Sequence[Formula] = FORMULAS
) -> list[Formula]:
    """Formulas implied by the declared relations, then the formulas declared in code."""
    by_id = fact_values(facts_frame)
    out = []
    for rel in relations.iter_rows(named=True):
        formula = _relation_formula(rel, by_id)
        if formula is not None:
            out.append(formula)
    return [*out, *declared]


DERIVED_SCHEMA: dict[str, pl.DataType] = {
    "derived_id": pl.String(),
    "derived": pl.Boolean(),
    "op": pl.String(),
    "label_en": pl.String(),
    "label_ar": pl.String(),
    "formula": pl.String(),
    "fact_ids": pl.String(),
    "value": pl.Float64(),
    "unit": pl.String(),
    "basis": pl.String(),
    "compared_fact": pl.String(),
    "compared_value": pl.Float64(),
    "difference": pl.Float64(),
    "metric": pl.String(),
    "party": pl.String(),
    "start": pl.Date(),
    "end": pl.Date(),
    "note": pl.String(),
}


def derived_figures(
    facts_frame: pl.DataFrame, relations: pl.DataFrame, declared: Sequence[Formula] = FORMULAS
) -> pl.DataFrame:
    """Every derived figure: its formula, the fact ids used, its value (null when it cannot be computed)."""
    by_id = fact_values(facts_frame)
    values = {fid: row["value"] for fid, row in by_id.items()}
    rows = []
    for f in formulas_for(facts_frame, relations, declared):
        value = f.evaluate(values)
        used = [by_id[i] for i in f.fact_ids if i in by_id]
        unit = f.unit or (used[0]["unit"] if used else None)
        compared = values.get(f.compared_fact) if f.compared_fact else None
        starts = [r["start"] for r in used if r["start"] is not None]
        ends = [r["end"] for r in used if r["end"] is not None]
        rows.append(
            {
                "derived_id": f.derived_id,
                "derived": True,
                "op": f.op,
                "label_en": f.label_en,
                "label_ar": f.label_ar,
                "formula": f.expression(),
                "fact_ids": " ".join(f.fact_ids),
                "value": value,
                "unit": unit,
                "basis": f.basis,
                "compared_fact": f.compared_fact,
                "compared_value": compared,
                "difference": compared - value if compared is not None and value is not None else None,
                "metric": f.quantity[0] if f.quantity else None,
                "party": f.quantity[1] if f.quantity else None,
                "start": min(starts) if starts else None,
                "end": max(ends) if ends else None,
                "note": f.note,
            }
        )
    return pl.DataFrame(rows, schema=DERIVED_SCHEMA)


# ---------------------------------------------------------------------------------------------------------------
# Relations: do they hold?

CHECK_SCHEMA: dict[str, pl.DataType] = {
    "relation_id": pl.String(),
    "relation": pl.String(),
    "fact_id": pl.String(),
    "other_fact_ids": pl.String(),
    "fact_value": pl.Float64(),
    "others_value": pl.Float64(),
    "implied": pl.Float64(),
    "tolerance": pl.Float64(),
    "expected_low": pl.Float64(),
    "expected_high": pl.Float64(),
    "holds": pl.Boolean(),
    "detail": pl.String(),
    "note": pl.String(),
}


def check_relations(facts_frame: pl.DataFrame, relations: pl.DataFrame) -> pl.DataFrame:
    """Compute every declared relation and whether it holds (null when it cannot be computed)."""
    by_id = fact_values(facts_frame)
    rows = []
    for rel in relations.iter_rows(named=True):
        others = str(rel["other_fact_ids"] or "").split()
        tol = float(rel["tolerance"] or 0.0)
        missing = [i for i in [rel["fact_id"], *others] if i not in by_id]
        out = {
            **{k: rel.get(k) for k in ("relation_id", "relation", "fact_id", "other_fact_ids", "note")},
            "tolerance": tol,
            "expected_low": rel.get("expected_low"),
            "expected_high": rel.get("expected_high"),
            "fact_value": None,
            "others_value": None,
            "implied": None,
            "holds": None,
            "detail": "",
        }
        if missing:
            out["detail"] = "fact(s) not found: " + " ".join(missing)
            rows.append(out)
            continue
        fact = by_id[rel["fact_id"]]
        unit, unit2 = fact["unit"], by_id[others[0]]["unit"] if others else None
        kind = rel["relation"]
        if kind == "sum_of":
            parts = [by_id[i]["value"] for i in others]
            if fact["value"] is None or any(p is None for p in parts):
                out["detail"] = "a fact has no central value"
            else:
                total = float(sum(parts))
                out.update(fact_value=fact["value"], others_value=total)
                out["holds"] = abs(fact["value"] - total) <= tol * abs(fact["value"])
                terms = " + ".join(format_number(x, unit) for x in parts)
                out["detail"] = f"{format_number(fact['value'], unit)} vs {terms} = {format_number(total, unit)}"
        elif kind == "at_most":
            whole = [by_id[i]["hi"] for i in others]
            if fact["lo"] is None or any(w is None for w in whole):
                out["detail"] = "a fact has no figure"
            else:
                total = float(sum(whole))
                out.update(fact_value=fact["lo"], others_value=total)
                out["holds"] = fact["lo"] <= total * (1 + tol)
                out["implied"] = 100.0 * fact["lo"] / total if total else None
                share = f" ({format_number(out['implied'], 'percent')})" if total else ""
                out["detail"] = f"{format_number(fact['lo'], unit)} of {format_number(total, unit)}{share}"
        elif kind == "share_of":
            part = [by_id[i]["value"] for i in others]
            if not fact["value"] or any(p is None for p in part):
                out["detail"] = "a fact has no central value"
            else:
                total = float(sum(part))
                whole = total * 100.0 / fact["value"]
                out.update(fact_value=fact["value"], others_value=total, implied=whole)
                low, high = rel.get("expected_low"), rel.get("expected_high")
                out["holds"] = (low is None or whole >= low * (1 - tol)) and (high is None or whole <= high * (1 + tol))
                bounds = f"{format_number(low, unit2)} to {format_number(high, unit2)}"
                ratio = f"{format_number(total, unit2)} / {format_number(fact['value'], unit)}"
                out["detail"] = f"{ratio} = {format_number(whole, unit2)}; expected {bounds}"
        else:
            out["detail"] = f"unknown relation {kind!r}"
        rows.append(out)
    return pl.DataFrame(rows, schema=CHECK_SCHEMA)


# ---------------------------------------------------------------------------------------------------------------
# Discrepancies

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

MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "ar": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}
SCALE_WORDS = {
    "en": (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)),
    "ar": (("تريليون", 1e12), ("مليار", 1e9), ("مليون", 1e6)),
}
QUALIFIER_WORDS = {
    "en": {"approximately": "about {}", "more_than": "more than {}", "at_least": "at least {}", "up_to": "up to {}"},
    "ar": {"approximately": "حوالي {}", "more_than": "أكثر من {}", "at_least": "{} على الأقل", "up_to": "حتى {}"},
}


def _trim(x: float, digits: int) -> str:
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float | None, unit: str | None = None, lang: str = "en") -> str:
    """A figure for reading: 4,487; 1.6 million; $802 billion; $0.86 billion; $3 trillion; 5.5%."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{_trim(value, 1)}%"
    if unit == "times":
        return f"{_trim(value, 1)}×"
    if unit == "USD":
        (trillion, _), (billion, _), _ = SCALE_WORDS[lang]
        amount = f"{_trim(value / 1e12, 2)} {trillion}" if value >= 1e12 else f"{_trim(value / 1e9, 2)} {billion}"
        return f"${amount}" if lang == "en" else f"{amount} دولار"
    if abs(value) >= 1e6:
        word, scale = SCALE_WORDS[lang][2]
        return f"{_trim(value / scale, 2)} {word}"
    return _trim(value, 1)


def format_claim(row: Mapping[str, Any], lang: str = "en") -> str:
    """A claim's figure with its hedge: "more than 4,000", "100,000–150,000", "at least 3,000 (indefinite plural)"."""
    unit = row.get("unit")
    qualifier = row.get("qualifier")
    if qualifier == "range" or (row.get("value") is None and row.get("value_high") is not None):
        low, high = format_number(row.get("value_low"), unit, lang), format_number(row.get("value_high"), unit, lang)
        return f"{low}–{high}" if lang == "en" else f"بين {low} و{high}"
    if qualifier == "indefinite" or row.get("value") is None:
        low = format_number(row.get("value_low"), unit, lang)
        return f"at least {low} (indefinite plural)" if lang == "en" else f"{low} على الأقل (جمع غير محدد)"
    text = format_number(row.get("value"), unit, lang)
    return QUALIFIER_WORDS[lang].get(str(qualifier), "{}").format(text)


def format_date(day: dt.date | None, precision: str | None, lang: str = "en") -> str:
    """A date at its precision: 31 Aug 2010, Aug 2010, 2010."""
    if day is None:
        return "date not stated" if lang == "en" else "التاريخ غير مذكور"
    if precision == "year":
        return str(day.year)
    month = MONTHS[lang][day.month - 1]
    if precision == "month":
        return f"{month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_time(row: Mapping[str, Any], lang: str = "en") -> str:
    """When a claim holds: a date, or a period "20 Mar 2003 – 2011"."""
    if row.get("time_type") == "period" or row.get("period_start") is not None:
        start = format_date(row.get("period_start"), row.get("period_start_precision"), lang)
        end = format_date(row.get("period_end"), row.get("period_end_precision"), lang)
        return f"{start} – {end}"
    return format_date(row.get("as_of"), row.get("as_of_precision"), lang)


def precision_end(day: dt.date, precision: str | None) -> dt.date:
    """Last day of the unit a date stands for (the year of a year-precision date)."""
    if precision == "year":
        return dt.date(day.year, 12, 31)
    if precision == "month":
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return day


def pick_events(events: pl.DataFrame, codes: Sequence[str]) -> list[dict[str, Any]]:
    """One claim per event code, in the order given: the most precise date, reported before planned, lowest id."""
    out = []
    if events.is_empty():
        return out
    for code in codes:
        rows = events.filter(pl.col("event") == code).to_dicts()
        if rows:
            rows.sort(
                key=lambda r: (
                    PRECISION_ORDER.get(r["date_precision"], 9),
                    r["claim_type"] != "reported",
                    r["event_id"],
                )
            )
            out.append(rows[0])
    return out
