"""The analysis of a valid package, computed once per run from the validation result; charts and report read it.

It holds the typed tables, one frame of every fact (the core the model declares, its topic and scope), the derived
figures (from ``derived.csv`` and implied by the declared relations, evaluated exactly by
:mod:`iraq_war_facts.evaluate`), the result of every relation, the comparisons, and the chart specifications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from iraq_war_facts import comparisons, evaluate, wording
from iraq_war_facts.checks.base import Table
from iraq_war_facts.errors import InvalidPackage
from iraq_war_facts.model import Model, id_key, id_order
from iraq_war_facts.model import build as build_model
from iraq_war_facts.validate import Report

PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}
DERIVED_SCHEMA: dict[str, pl.DataType] = {
    "derived_id": pl.String(),
    "derived": pl.Boolean(),
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


@dataclass(frozen=True)
class ChartSpec:
    """A chart as ``charts.csv`` and ``chart_items.csv`` declare it."""

    name: str
    section: str
    title: Mapping[str, str]
    subtitle: Mapping[str, str]
    items: tuple[tuple[int, str, str], ...]  # (position, role, ref), in order

    def refs(self, role: str) -> list[str]:
        return [ref for _, r, ref in self.items if r == role]

    def positions(self) -> list[dict[str, str]]:
        """Items grouped by position: role -> ref, in position order."""
        out: dict[int, dict[str, str]] = {}
        for pos, role, ref in self.items:
            out.setdefault(pos, {})[role] = ref
        return [out[p] for p in sorted(out)]


@dataclass
class Analysis:
    """Everything charts and report show, computed once."""

    model: Model
    descriptor: Mapping[str, Any]
    tables: Mapping[str, pl.DataFrame]
    facts: pl.DataFrame
    derived: pl.DataFrame
    relations: pl.DataFrame
    charts: dict[str, ChartSpec]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {r["fact_id"]: r for r in self.facts.iter_rows(named=True)}
        self.derived_by_id: dict[str, dict[str, Any]] = {r["derived_id"]: r for r in self.derived.iter_rows(named=True)}
        self.summary = comparisons.summary(self.facts)
        self.discrepancies = comparisons.discrepancies(self.facts, self.derived)
        self.scope_differences = comparisons.scope_differences(self.facts, self.derived)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", "0"))

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", "data"))

    @property
    def licence(self) -> str:
        """Short licence name of the data, e.g. ``CC BY 4.0``."""
        names = [str(lic.get("name", "")) for lic in self.descriptor.get("licenses", []) if isinstance(lic, dict)]
        return ", ".join(n.replace("CC-BY-", "CC BY ").replace("-", " ") for n in names if n) or "unlicensed"

    @property
    def attribution(self) -> str:
        """The sentence to credit the data with."""
        sources = self.table("sources").height
        return (
            f"Data: {self.name} ({self.licence}), compiled from {wording.count_word(sources)} Arabic news "
            f"article{'s' if sources != 1 else ''}; figures are claims as stated by their sources."
        )

    def table(self, name: str) -> pl.DataFrame:
        return self.tables.get(name, pl.DataFrame())

    def label(self, code: str | None, lang: str = "en") -> str:
        """The codebook label of ``code`` in ``lang`` (``en`` or ``ar``); the code itself when unknown."""
        if code is None:
            return ""
        return self.labels.get(lang, {}).get(code, code)

    def topic_facts(self, topic: str) -> pl.DataFrame:
        return self.facts.filter(pl.col("topic") == topic)

    def figure(self, ref: str | None) -> dict[str, Any] | None:
        """A fact row or a derived row by id."""
        if ref is None:
            return None
        return self.by_id.get(ref) or self.derived_by_id.get(ref)

    def events(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        """One claim per event code, in the order given: the most precise date, reported before planned, lowest id."""
        events = self.table("events")
        out: list[dict[str, Any]] = []
        for code in codes:
            rows = events.filter(pl.col("event") == code).to_dicts() if not events.is_empty() else []
            if rows:
                rows.sort(
                    key=lambda r: (
                        PRECISION_ORDER.get(r["date_precision"], 9),
                        r["claim_type"] != "reported",
                        id_key(r["event_id"]),
                    )
                )
                out.append(rows[0])
        return out


def analyse(report: Report) -> Analysis:
    """The analysis of a validated package; raise :class:`InvalidPackage` when the validation found errors."""
    if not report.ok:
        raise InvalidPackage([p.text() for p in report.errors])
    model = build_model(report.context.package)
    raw = report.context.tables
    tables = {name: table.frame for name, table in raw.items()}
    facts = fact_frame(model, tables)
    values = _exact_values(model, raw)
    derived = derived_figures(facts, tables, values)
    relations = relation_results(tables.get("relations"), values, facts)
    labels = {lang: _labels(tables.get("codebook"), lang) for lang in ("en", "ar")}
    return Analysis(model, dict(model.package.descriptor), tables, facts, derived, relations, _charts(tables), labels)


def _labels(codebook: pl.DataFrame | None, lang: str) -> dict[str, str]:
    column = f"label_{lang}"
    if codebook is None or codebook.is_empty() or column not in codebook.columns:
        return {}
    return dict(zip(codebook["code"].to_list(), codebook[column].to_list(), strict=True))


def fact_frame(model: Model, tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One frame of every fact: ``topic``, the model's core, the scope field as ``detail``, and helpers.

    ``lo``/``hi`` are the least and greatest figure a claim states (value, else its bounds); ``start``/``end`` the
    first and last date it refers to (``as_of`` for a level).
    """
    core = model.core_types()
    frames = []
    for order, topic in enumerate(model.topics):
        frame = tables.get(topic.code)
        if frame is None:
            continue
        scope = topic.scope
        frames.append(
            frame.select(
                pl.lit(topic.code).alias("topic"),
                *[
                    (pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype)).alias(name)
                    for name, dtype in core.items()
                ],
                pl.lit(scope, pl.String).alias("detail_field"),
                (pl.col(scope).cast(pl.String) if scope in frame.columns else pl.lit(None, pl.String)).alias("detail"),
                pl.lit(order, pl.Int64).alias("topic_order"),
            )
        )
    if not frames:
        return pl.DataFrame(schema={"topic": pl.String, **core, "detail_field": pl.String, "detail": pl.String})
    out = pl.concat(frames, how="vertical")
    return out.with_columns(
        lo=pl.coalesce("value", "value_low"),
        hi=pl.coalesce("value", "value_high", "value_low"),
        start=pl.coalesce("period_start", "as_of"),
        end=pl.coalesce("period_end", "as_of"),
    ).sort("topic_order", *id_order("fact_id"))


def _exact_values(model: Model, raw: Mapping[str, Table]) -> dict[str, Decimal | None]:
    """Every fact's value as the exact decimal its cell states."""
    out: dict[str, Decimal | None] = {}
    for topic in model.topics:
        table = raw.get(topic.code)
        if table is not None:
            for fid, value in table.raw.select("fact_id", "value").iter_rows():
                out.setdefault(fid, evaluate.number(value))
    return out


def _float(d: Decimal | None) -> float | None:
    return float(d) if d is not None else None


def derived_figures(
    facts: pl.DataFrame, tables: Mapping[str, pl.DataFrame], values: Mapping[str, Decimal | None]
) -> pl.DataFrame:
    """Every derived figure: those the relations imply, then those of ``derived.csv``, with their exact values."""
    by_id = {r["fact_id"]: r for r in facts.iter_rows(named=True)}
    rows = []
    relations = tables.get("relations", pl.DataFrame())
    for rel in relations.iter_rows(named=True) if not relations.is_empty() else []:
        others = str(rel["other_fact_ids"] or "").split()
        text = evaluate.implied_formula(rel["relation"], rel["fact_id"], others)
        if text is None:
            continue
        fid, kind = rel["fact_id"], rel["relation"]
        if kind == "sum_of":
            labels, unit, compared = (f"Sum of the parts of {fid}", f"مجموع أجزاء {fid}"), None, fid
        elif kind == "at_most":
            whole = " + ".join(others)
            labels, unit, compared = (f"{fid} as a share of {whole}", f"{fid} نسبةً إلى {whole}"), "percent", None
        else:
            pair = (f"Whole implied by {fid} and {others[0]}", f"الكل المستنتج من {fid} و{others[0]}")
            labels, unit, compared = pair, by_id.get(others[0], {}).get("unit"), None
        spec = {"label_en": labels[0], "label_ar": labels[1], "unit": unit, "note": rel.get("note")}
        rows.append(_derived_row(f"DRV-{rel['relation_id']}", text, spec, rel["relation_id"], compared, by_id, values))
    declared = tables.get("derived", pl.DataFrame())
    for d in declared.iter_rows(named=True) if not declared.is_empty() else []:
        rows.append(_derived_row(d["derived_id"], d["formula"], d, "derived", None, by_id, values))
    return pl.DataFrame(rows, schema=DERIVED_SCHEMA)


def _derived_row(
    derived_id: str,
    text: str,
    spec: Mapping[str, Any],
    basis: str,
    compared_fact: str | None,
    by_id: Mapping[str, Mapping[str, Any]],
    values: Mapping[str, Decimal | None],
) -> dict[str, Any]:
    formula = evaluate.parse(text)
    value = _float(formula.evaluate(values))
    used = [by_id[i] for i in formula.ids if i in by_id]
    compared = _float(values.get(compared_fact)) if compared_fact else None
    starts = [r["start"] for r in used if r["start"] is not None]
    ends = [r["end"] for r in used if r["end"] is not None]
    return {
        "derived_id": derived_id,
        "derived": True,
        "label_en": spec.get("label_en"),
        "label_ar": spec.get("label_ar"),
        "formula": formula.display(),
        "fact_ids": " ".join(formula.ids),
        "value": value,
        "unit": spec.get("unit") or (used[0]["unit"] if used else None),
        "basis": basis,
        "compared_fact": compared_fact,
        "compared_value": compared,
        "difference": compared - value if compared is not None and value is not None else None,
        "metric": spec.get("metric"),
        "party": spec.get("party"),
        "start": min(starts) if starts else None,
        "end": max(ends) if ends else None,
        "note": spec.get("note") or "",
    }


def relation_results(
    typed: pl.DataFrame | None, values: Mapping[str, Decimal | None], facts: pl.DataFrame
) -> pl.DataFrame:
    """Every declared relation evaluated by the validator's evaluator: its figures, whether it holds, in words.

    Fact values come from ``values`` (exact, as written); the relation's own numbers from its typed row.
    """
    if typed is None or typed.is_empty():
        return pl.DataFrame(schema=CHECK_SCHEMA)
    by_id = {r["fact_id"]: r for r in facts.iter_rows(named=True)}
    known = {fid: evaluate.Fact(fid, values.get(fid), row["unit"], row["qualifier"]) for fid, row in by_id.items()}
    rows = []
    for rel in typed.iter_rows(named=True):
        cells = {k: None if v is None else str(v) for k, v in rel.items()}
        result = evaluate.relation(cells, known)
        rows.append(
            {
                **{k: rel.get(k) for k in ("relation_id", "relation", "fact_id", "other_fact_ids", "note")},
                "tolerance": rel.get("tolerance") or 0.0,
                "expected_low": rel.get("expected_low"),
                "expected_high": rel.get("expected_high"),
                "fact_value": _float(result.fact_value),
                "others_value": _float(result.others_value),
                "implied": _float(result.implied),
                "holds": result.holds,
                "detail": wording.relation_detail(result, rel, by_id),
            }
        )
    return pl.DataFrame(rows, schema=CHECK_SCHEMA).sort(*id_order("relation_id"))


def _charts(tables: Mapping[str, pl.DataFrame]) -> dict[str, ChartSpec]:
    charts, items = tables.get("charts"), tables.get("chart_items")
    if charts is None or charts.is_empty():
        return {}
    out = {}
    for c in charts.iter_rows(named=True):
        mine = items.filter(pl.col("chart") == c["chart"]).sort("position") if items is not None else None
        triples = tuple(mine.select("position", "role", "ref").iter_rows()) if mine is not None else ()
        out[c["chart"]] = ChartSpec(
            c["chart"],
            c["section"],
            {"en": c["title_en"], "ar": c["title_ar"]},
            {"en": c["subtitle_en"], "ar": c["subtitle_ar"]},
            triples,
        )
    return out
