"""The report's sections, in order: each a short function of the analysis and the chart index entries.

No id or code is named here: topics come from the model, charts from ``charts.csv``, labels from the codebook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import polars as pl

from iraq_war_facts import comparisons
from iraq_war_facts.analysis import Analysis
from iraq_war_facts.report.document import (
    Arabic,
    Block,
    Bullets,
    Cell,
    Code,
    Figure,
    Heading,
    Ids,
    Inline,
    Link,
    Para,
    Strong,
    Table,
)
from iraq_war_facts.wording import format_claim, format_date, format_number, format_time

Entries = Sequence[dict[str, Any]]
Section = Callable[[Analysis, Entries], list[Block]]
DISCREPANCIES = "discrepancies"


def _ids(ids: Iterable[str]) -> Ids:
    return Ids(tuple(ids))


def summary_links(a: Analysis) -> Callable[[str], str | None]:
    """The links of ``summary.md`` (at the top of the reports folder): each record and source id to its page."""
    pages = {i: f"fact/{i}.html" for i in [*a.by_id, *a.derived_by_id]}
    events = a.table("events")
    if not events.is_empty():
        pages |= {i: f"fact/{i}.html" for i in events["event_id"].to_list()}
    sources = a.table("sources")
    if not sources.is_empty():
        pages |= {i: f"source/{i}.html" for i in sources["source_id"].to_list()}
    return pages.get


def anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def title(a: Analysis) -> str:
    return f"Iraq war facts: summary report (v{a.version})"


def _what(a: Analysis, row: dict[str, Any]) -> str:
    parts = [a.label(row["metric"]), a.label(row["party"])]
    if row.get("detail"):
        parts.append(a.label(row["detail"]))
    return " · ".join(parts)


def _figures(a: Analysis, entries: Entries, section: str) -> list[Block]:
    charts = [name for name, spec in a.charts.items() if spec.section == section]
    return [Figure(e) for name in charts for e in entries if e["chart"] == name]


def _prefixes(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i.rstrip("0123456789") for i in ids))


def _claims_table(a: Analysis, rows: list[dict[str, Any]]) -> Table:
    body: list[list[Cell]] = []
    for r in rows:
        body.append(
            [
                _ids([r["fact_id"]]),
                _what(a, r),
                format_claim(r),
                format_time(r),
                a.label(r["claim_type"]),
                a.label(r["attributed_to"]),
                f"{r['source_id']} ¶{r['paragraph']}",
                Arabic(r["quote"]),
                r["quote_en"],
            ]
        )
    header = ["fact", "what", "figure as stated", "when", "claim", "credited to", "source", "quote", "translation"]
    return Table(header, body, rtl_columns={7})


def _extreme(row: dict[str, Any], value: float | None, unit: str) -> list[Inline]:
    """A least or greatest figure, with the claim's own wording where it differs, and its id."""
    text = format_number(value, unit)
    if row["qualifier"] == "range":
        text = f"{text} (of {format_claim(row)})"
    elif row["value"] is not None or row["qualifier"] == "indefinite":
        text = format_claim(row)
    return [f"{text} ", _ids([row["fact_id"]])]


def _when(row: dict[str, Any], end: bool) -> str:
    if end:
        day, precision = row["end"], row["period_end_precision"] or row["as_of_precision"]
    else:
        day, precision = row["start"], row["period_start_precision"] or row["as_of_precision"]
    return format_date(day, precision) if day is not None else "–"


def _summary_table(a: Analysis, summary: pl.DataFrame) -> Table:
    body: list[list[Cell]] = []
    for r in summary.iter_rows(named=True):
        unit = r["unit"]
        first, last = a.by_id[r["earliest_fact"]], a.by_id[r["latest_fact"]]
        span: list[Inline] = [f"{_when(first, False)} ", _ids([first["fact_id"]])]
        span += [f" to {_when(last, True)} ", _ids([last["fact_id"]])]
        body.append(
            [
                f"{a.label(r['metric'])} · {a.label(r['party'])}",
                [f"{r['claims']}: ", _ids(r["fact_ids"].split())],
                [f"{r['sources']}: ", _ids(r["source_ids"].split())],
                _extreme(a.by_id[r["min_fact"]], r["min"], unit),
                _extreme(a.by_id[r["max_fact"]], r["max"], unit),
                span,
            ]
        )
    return Table(["quantity", "claims", "sources", "least", "greatest", "earliest to latest"], body)


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}".rstrip("0").rstrip(".")


def _derived_what(d: dict[str, Any]) -> str:
    return d["label_en"] if d["basis"] == "derived" else (d["note"] or d["label_en"])


# ---------------------------------------------------------------------------------------------------------------
# Sections


def heading(a: Analysis, entries: Entries) -> list[Block]:
    fact_prefixes = _prefixes(a.facts["fact_id"].to_list())
    named: list[Inline] = []
    for i, prefix in enumerate(fact_prefixes):
        named += [", " if i else "", Code(prefix)]
    derived = _prefixes(a.derived.filter(pl.col("basis") == "derived")["derived_id"].to_list())
    return [
        Heading(1, title(a), "top"),
        Para(
            [
                Strong("Attribution:"),
                " " + a.attribution,
                " Every number below names the fact ids (",
                *named,
                ") or derived ids (",
                *[Code(p) for p in derived[:1]],
                ") behind it; look them up in ",
                Code("data/"),
                " for the quote, the paragraph and the notes.",
            ]
        ),
    ]


def overview(a: Analysis, entries: Entries) -> list[Block]:
    facts, sources = a.facts, a.table("sources")
    fact_ids = facts["fact_id"].to_list()
    source_ids = sorted(facts["source_id"].unique().to_list())
    blocks: list[Block] = [Heading(2, "Overview", "overview")]
    blocks.append(
        Para(
            [
                f"The package (version {a.version}) holds {len(fact_ids)} facts from {len(source_ids)} articles (",
                _ids(source_ids),
                "): each is one claim as an article states it, with its hedge, time, credit and a verbatim Arabic "
                "quote. Sources disagree; nothing is merged or averaged. Figures computed here are marked derived, "
                "with their formula; they are never written into the data.",
            ]
        )
    )
    rows: list[list[Cell]] = []
    for topic in a.model.topic_codes:
        ids = a.topic_facts(topic)["fact_id"].to_list()
        if ids:
            rows.append([Link(a.label(topic), f"#{anchor(a.label(topic))}"), str(len(ids)), _ids(ids)])
    blocks.append(Table(["topic", "facts", "fact ids"], rows))
    src_rows: list[list[Cell]] = []
    for s in sources.iter_rows(named=True) if not sources.is_empty() else []:
        ids = facts.filter(pl.col("source_id") == s["source_id"])["fact_id"].to_list()
        if s.get("published") is not None:
            when = format_date(s["published"], s.get("published_precision"))
        elif s.get("published_not_before") is not None:
            when = f"{format_date(s['published_not_before'], 'day')} or later"
        else:
            when = "unknown"
        src_rows.append(
            [
                _ids([s["source_id"]]),
                s.get("publisher") or "unknown",
                when,
                [f"{len(ids)}: ", _ids(ids)],
                s.get("summary_en") or "",
            ]
        )
    blocks.append(Table(["source", "publisher", "published", "facts", "summary"], src_rows))
    blocks.append(
        Para(
            [
                "Charts (each in English and Arabic, SVG and PNG, 1600×900 px) are listed with their alt text and "
                "the ids they draw in ",
                Link("charts/index.json", "charts/index.json"),
                "; machine-readable tables are in ",
                Code("tables/"),
                ".",
            ]
        )
    )
    blocks.append(Heading(3, "At a glance", "at-a-glance"))
    blocks.append(_summary_table(a, a.summary))
    return blocks


def topics(a: Analysis, entries: Entries) -> list[Block]:
    blocks: list[Block] = []
    for topic in a.model.topic_codes:
        rows = a.topic_facts(topic).to_dicts()
        if not rows:
            continue
        name = a.label(topic)
        blocks.append(Heading(2, name, anchor(name)))
        blocks += _figures(a, entries, topic)
        blocks += _topic_notes(a, topic)
        blocks.append(_summary_table(a, a.summary.filter(pl.col("topic") == topic)))
        blocks.append(_claims_table(a, rows))
    return blocks


def _topic_notes(a: Analysis, topic: str) -> list[Block]:
    """Derived figures that use only this topic's facts, as a bullet list."""
    items: list[list[Inline]] = []
    for d in a.derived.iter_rows(named=True):
        ids = d["fact_ids"].split()
        if ids and all(a.by_id.get(i, {}).get("topic") == topic for i in ids) and d["value"] is not None:
            value = format_number(d["value"], d["unit"])
            what = f". {_derived_what(d)}"
            items.append([_ids([d["derived_id"]]), f" (derived): {value} = ", Code(d["formula"]), what])
    return [Bullets(items)] if items else []


def discrepancies(a: Analysis, entries: Entries) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Discrepancies", "discrepancies")]
    blocks.append(
        Para(
            [
                "The same quantity (what is counted, of whom, in what unit, with the same scope and a comparable "
                "time) stated with figures that cannot all be true. The ratio is the greatest figure over the least, "
                "with the ids of both; the last column says what differs between the claims (date, estimator, claim "
                "type, source, hedge)."
            ]
        )
    )
    blocks += _figures(a, entries, DISCREPANCIES)
    blocks.append(_spread_table(a, a.discrepancies))
    if a.scope_differences.height:
        blocks.append(Heading(3, "Differences of scope", "scope-differences"))
        blocks.append(
            Para(
                [
                    "Figures of the same quantity that count different things (another period, another "
                    "definition): not disagreements between sources."
                ]
            )
        )
        blocks.append(_spread_table(a, a.scope_differences))
    return blocks


def _spread_table(a: Analysis, frame: pl.DataFrame) -> Table:
    rows: list[list[Cell]] = []
    for r in frame.iter_rows(named=True):
        claims: list[Inline] = []
        for fid in r["fact_ids"].split():
            f = a.by_id[fid]
            detail = f", {a.label(f['detail']).lower()}" if f.get("detail") else ""
            claims += [_ids([fid]), f": {format_claim(f)}, {format_time(f)}{detail}, {a.label(f['attributed_to'])}; "]
        for did in str(r["derived_ids"] or "").split():
            d = a.derived_by_id[did]
            claims += [_ids([did]), f" (derived, {d['formula']}): {format_number(d['value'], d['unit'])}; "]
        if claims and isinstance(claims[-1], str):
            claims[-1] = claims[-1].removesuffix("; ")
        unit = r["unit"]
        spread: list[Inline] = [f"×{_ratio(r['ratio'])} = {format_number(r['high'], unit)} ", _ids([r["high_id"]])]
        spread += [f" / {format_number(r['low'], unit)} ", _ids([r["low_id"]])]
        rows.append([f"{a.label(r['metric'])} · {a.label(r['party'])}", claims, spread, r["differs"] or "–"])
    return Table(["quantity", "claims", "spread", "what differs"], rows)


def consistency(a: Analysis, entries: Entries) -> list[Block]:
    checks = a.relations
    blocks: list[Block] = [Heading(2, "Consistency checks", "consistency-checks")]
    held = checks.filter(pl.col("holds"))["relation_id"].to_list()
    failed = checks.filter(~pl.col("holds"))["relation_id"].to_list()
    unknown = checks.filter(pl.col("holds").is_null())["relation_id"].to_list()
    line: list[Inline] = [f"{len(held)} of {checks.height} declared relations hold"]
    line += [" (", _ids(held), ")"] if held else []
    if failed:
        line += [f"; {len(failed)} do not (", _ids(failed), ")"]
    if unknown:
        line += [f"; {len(unknown)} cannot be computed (", _ids(unknown), ")"]
    blocks.append(Para([*line, ". Computed exactly from the values as written, with each relation's tolerance."]))
    rows: list[list[Cell]] = []
    for r in checks.iter_rows(named=True):
        verdict = {True: "holds", False: "FAILS", None: "not computed"}[r["holds"]]
        rows.append(
            [
                Code(r["relation_id"]),
                Code(r["relation"]),
                _ids([r["fact_id"]]),
                _ids(r["other_fact_ids"].split()),
                r["detail"],
                Strong(verdict),
                r["note"] or "",
            ]
        )
    blocks.append(Table(["relation", "kind", "fact", "other facts", "computed", "result", "what it says"], rows))
    return blocks


def derived_figures(a: Analysis, entries: Entries) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Derived figures", "derived-figures")]
    blocks.append(
        Para(
            [
                "Computed exactly from declared relations (",
                Code("data/relations.csv"),
                ") and from the formulas of ",
                Code("data/derived.csv"),
                ". Derived, never stated by a source.",
            ]
        )
    )
    rows: list[list[Cell]] = []
    for d in a.derived.iter_rows(named=True):
        compared: list[Inline] = []
        if d["compared_fact"]:
            difference = format_number(d["difference"], d["unit"])
            compared = [
                "vs ",
                _ids([d["compared_fact"]]),
                f" = {format_number(d['compared_value'], d['unit'])} (difference {difference})",
            ]
        basis = Code(d["basis"]) if d["basis"] != "derived" else "data/derived.csv"
        value = format_number(d["value"], d["unit"])
        rows.append([_ids([d["derived_id"]]), _derived_what(d), Code(d["formula"]), value, basis, compared])
    blocks.append(Table(["derived", "what", "formula", "value", "basis", "compared with"], rows))
    return blocks


def _count_table(title: str, frame: pl.DataFrame, keys: list[str]) -> Table:
    rows: list[list[Cell]] = []
    for r in frame.iter_rows(named=True):
        rows.append([*[Code(str(r[k])) for k in keys], str(r["count"]), _ids(r["ids"].split())])
    return Table([*keys, "count", title], rows)


def quality(a: Analysis, entries: Entries) -> list[Block]:
    facts = a.facts
    blocks: list[Block] = [Heading(2, "Data quality", "data-quality")]
    blocks.append(Heading(3, "Facts per source", "facts-per-source"))
    per = comparisons.facts_per_source(facts)
    rows: list[list[Cell]] = [
        [_ids([r["source_id"]]), r["topic"], str(r["count"]), _ids(r["ids"].split())] for r in per.iter_rows(named=True)
    ]
    blocks.append(Table(["source", "topic", "facts", "fact ids"], rows))
    blocks.append(Heading(3, "Qualifiers (hedges)", "qualifiers"))
    blocks.append(_count_table("fact ids", comparisons.qualifiers_used(facts), ["qualifier"]))
    blocks.append(Heading(3, "Claim types", "claim-types"))
    blocks.append(_count_table("fact ids", comparisons.claim_types_used(facts), ["claim_type"]))
    blocks.append(Heading(3, "Date precision and basis", "precision"))
    blocks.append(_count_table("fact ids", comparisons.precisions_used(facts), ["field", "precision", "basis"]))
    slips = comparisons.literal_slips(facts)
    if slips.height:
        blocks.append(Heading(3, "Slips recorded", "slips"))
        slip_rows: list[list[Cell]] = [
            [_ids([r["fact_id"]]), f"{r['value']:,.0f}", f"{r['literal_value']:,.0f}", r["note"] or ""]
            for r in slips.iter_rows(named=True)
        ]
        blocks.append(Table(["fact", "value (meant)", "literal value (written)", "note"], slip_rows))
    blocks.append(Heading(3, "Relations declared", "relations-declared"))
    checks = a.relations
    held = checks.filter(pl.col("holds"))["relation_id"].to_list()
    blocks.append(
        Para(
            [
                f"{checks.height} relations declared (",
                _ids(checks["relation_id"].to_list()),
                f"); {len(held)} hold (",
                _ids(held),
                "). See ",
                Link("Consistency checks", "#consistency-checks"),
                ".",
            ]
        )
    )
    blocks.append(Heading(3, "Numbers not tabulated", "not-tabulated"))
    blocks.append(
        Para(
            [
                "Every other number in the articles (a year in a date, a duration, an idiom) is listed in ",
                Code("data/not_tabulated.csv"),
                " with its reason:",
            ]
        )
    )
    nt = comparisons.not_tabulated_by_reason(a.tables)
    nt_rows: list[list[Cell]] = [
        [Code(r["reason"]), a.label(r["reason"]), str(r["count"]), _ids(r["ids"].split())]
        for r in nt.iter_rows(named=True)
    ]
    blocks.append(Table(["reason", "what it means", "mentions", "mention ids"], nt_rows))
    return blocks


def how_to_cite(a: Analysis, entries: Entries) -> list[Block]:
    year = str(a.descriptor.get("created", ""))[:4]
    name = str(a.descriptor.get("title", a.name))
    return [
        Heading(2, "How to cite", "how-to-cite"),
        Para([Strong("Attribution:"), " " + a.attribution]),
        Para(
            [
                f"{a.name} contributors ({year}). {name} (version {a.version}) [Data set]. Licensed under "
                f"{a.licence}. Charts and this report are under the same licence: keep the attribution line."
            ]
        ),
    ]


SECTIONS: tuple[Section, ...] = (
    heading,
    overview,
    topics,
    discrepancies,
    consistency,
    derived_figures,
    quality,
    how_to_cite,
)


def document(a: Analysis, entries: Entries) -> list[Block]:
    """Every section's blocks, in order."""
    return [block for section in SECTIONS for block in section(a, entries)]
