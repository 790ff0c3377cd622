"""Build the reports: charts, ``summary.md``, ``index.html``, tables and a manifest of sha256 sums.

The reports are a pure function of ``data/`` and ``schemas/``: no source texts, no clock, no paths. A build writes
into a temporary folder beside the target and swaps it into place only when complete, so an interrupted build leaves
the previous reports intact. :func:`check_reports` rebuilds into a temporary folder and names what differs.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from iraq_war_facts import stats
from iraq_war_facts.package import DEFAULT_DESCRIPTOR, FACT_TOPICS
from iraq_war_facts.stats import ATTRIBUTION, Data, format_claim, format_number, format_time

MANIFEST = "manifest.json"
TOPIC_CHARTS = {"troops": "troops", "casualties": "deaths", "costs": "costs", "displacement": "displacement"}


# ---------------------------------------------------------------------------------------------------------------
# A tiny document model, rendered to GitHub Markdown and to HTML


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Arabic:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Ids:
    ids: tuple[str, ...]


Inline = str | Code | Arabic | Link | Strong | Ids
Cell = Inline | list[Inline]


@dataclass
class Heading:
    level: int
    text: str
    anchor: str


@dataclass
class Para:
    parts: list[Inline]


@dataclass
class Bullets:
    items: list[list[Inline]]


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    rtl_columns: set[int] = field(default_factory=set)


@dataclass
class Figure:
    entry: dict[str, Any]


Block = Heading | Para | Bullets | Table | Figure


def _parts(cell: Cell) -> list[Inline]:
    return cell if isinstance(cell, list) else [cell]


def _md_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("$", "\\$")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _md_inline(part: Inline) -> str:
    if isinstance(part, Ids):
        return " ".join(f"`{i}`" for i in part.ids)
    if isinstance(part, Code):
        return f"`{part.text}`"
    if isinstance(part, Arabic):
        return f'<span dir="rtl" lang="ar">{html.escape(part.text)}</span>'
    if isinstance(part, Link):
        return f"[{_md_text(part.text)}]({part.href})"
    if isinstance(part, Strong):
        return f"**{_md_text(part.text)}**"
    return _md_text(part)


def render_markdown(blocks: Iterable[Block]) -> str:
    """GitHub-flavoured Markdown."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, Para):
            out.append("".join(_md_inline(p) for p in block.parts))
        elif isinstance(block, Bullets):
            out.append("\n".join("- " + "".join(_md_inline(p) for p in item) for item in block.items))
        elif isinstance(block, Table):
            lines = ["| " + " | ".join(_md_text(h) for h in block.header) + " |"]
            lines.append("|" + "|".join("---" for _ in block.header) + "|")
            for row in block.rows:
                cells = ["".join(_md_inline(p) for p in _parts(c)).replace("|", "\\|").replace("\n", " ") for c in row]
                lines.append("| " + " | ".join(cells) + " |")
            out.append("\n".join(lines))
        elif isinstance(block, Figure):
            e = block.entry
            attrs = ' dir="rtl" lang="ar"' if e["lang"] == "ar" else ""
            out.append(
                f'<p{attrs}><a href="charts/{e["svg"]}"><img src="charts/{e["png"]}" width="800" '
                f'alt="{html.escape(e["alt"])}"></a></p>'
            )
    return "\n\n".join(out) + "\n"


def _html_inline(part: Inline) -> str:
    if isinstance(part, Ids):
        return " ".join(f"<code>{html.escape(i)}</code>" for i in part.ids)
    if isinstance(part, Code):
        return f"<code>{html.escape(part.text)}</code>"
    if isinstance(part, Arabic):
        return f'<span dir="rtl" lang="ar">{html.escape(part.text)}</span>'
    if isinstance(part, Link):
        return f'<a href="{html.escape(part.href)}">{html.escape(part.text)}</a>'
    if isinstance(part, Strong):
        return f"<strong>{html.escape(part.text)}</strong>"
    return html.escape(part)


CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", "DejaVu Sans", sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; }
main { max-width: 76rem; margin: 0 auto; padding: 1.5rem; }
nav ul { columns: 2; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; width: 100%; }
th, td { border: 1px solid #d9d9d9; padding: 0.3rem 0.5rem; text-align: start; vertical-align: top; }
th { background: #f2f2f2; }
td[dir="rtl"], [lang="ar"] { font-family: "Noto Naskh Arabic", "DejaVu Sans", serif; font-size: 1.05em; }
code { font-size: 0.9em; white-space: nowrap; }
figure { margin: 1.5rem 0; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; }
.cite { border-inline-start: 4px solid #0072B2; padding: 0.5rem 1rem; background: #f5f9fc; }
"""


def render_html(blocks: Iterable[Block], title: str) -> str:
    """A standalone page: inline style, no scripts, charts by relative path."""
    blocks = list(blocks)
    toc = [b for b in blocks if isinstance(b, Heading) and b.level == 2]
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f'<h{block.level} id="{block.anchor}">{html.escape(block.text)}</h{block.level}>')
            if block.level == 1:
                items = "".join(f'<li><a href="#{h.anchor}">{html.escape(h.text)}</a></li>' for h in toc)
                body.append(f'<nav aria-label="Contents"><ul>{items}</ul></nav>')
        elif isinstance(block, Para):
            text = "".join(_html_inline(p) for p in block.parts)
            cls = ' class="cite"' if block.parts and block.parts[0] == Strong("Attribution:") else ""
            body.append(f"<p{cls}>{text}</p>")
        elif isinstance(block, Bullets):
            items = "".join("<li>" + "".join(_html_inline(p) for p in item) + "</li>" for item in block.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in block.header)
            rows = []
            for row in block.rows:
                cells = []
                for i, cell in enumerate(row):
                    attrs = ' dir="rtl" lang="ar"' if i in block.rtl_columns else ""
                    cells.append(f"<td{attrs}>" + "".join(_html_inline(p) for p in _parts(cell)) + "</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            body.append(
                f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
            )
        elif isinstance(block, Figure):
            e = block.entry
            attrs = ' dir="rtl" lang="ar"' if e["lang"] == "ar" else ' lang="en"'
            svg_text = "SVG" if e["lang"] == "en" else "نسخة SVG"
            ids = " ".join([*e["fact_ids"], *e["derived_ids"], *e["event_ids"]])
            body.append(
                f"<figure{attrs}>"
                f'<img src="charts/{html.escape(e["png"])}" width="{e["width"]}" height="{e["height"]}" '
                f'alt="{html.escape(e["alt"])}">'
                f"<figcaption>{html.escape(e['title'])} · "
                f'<a href="charts/{html.escape(e["svg"])}">{svg_text}</a> · '
                f'<bdi dir="ltr">{html.escape(ids)}</bdi></figcaption></figure>'
            )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------------------------
# Content


def _ids(ids: Iterable[str]) -> Ids:
    return Ids(tuple(ids))


def _topic_title(data: Data, topic: str) -> str:
    return data.label(topic)


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _what(data: Data, row: dict[str, Any]) -> str:
    parts = [data.label(row["metric"]), data.label(row["party"])]
    if row.get("detail"):
        parts.append(data.label(row["detail"]))
    return " · ".join(parts)


def _source(data: Data, source_id: str) -> dict[str, Any]:
    frame = data.table("sources")
    rows = frame.filter(pl.col("source_id") == source_id).to_dicts() if not frame.is_empty() else []
    return rows[0] if rows else {"source_id": source_id}


def _claims_table(data: Data, rows: list[dict[str, Any]]) -> Table:
    body = []
    for r in rows:
        body.append(
            [
                Code(r["fact_id"]),
                _what(data, r),
                format_claim(r),
                format_time(r),
                data.label(r["claim_type"]),
                data.label(r["attributed_to"]),
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
    return [f"{text} ", Code(row["fact_id"])]


def _when(row: dict[str, Any], end: bool) -> str:
    if end:
        day, precision = row["end"], row["period_end_precision"] or row["as_of_precision"]
    else:
        day, precision = row["start"], row["period_start_precision"] or row["as_of_precision"]
    return stats.format_date(day, precision) if day is not None else "–"


def _summary_table(data: Data, summary: pl.DataFrame, by_id: dict[str, dict[str, Any]]) -> Table:
    body = []
    for r in summary.iter_rows(named=True):
        unit = r["unit"]
        first, last = by_id[r["earliest_fact"]], by_id[r["latest_fact"]]
        span: list[Inline] = [f"{_when(first, False)} ", Code(first["fact_id"])]
        span += [f" to {_when(last, True)} ", Code(last["fact_id"])]
        body.append(
            [
                f"{data.label(r['metric'])} · {data.label(r['party'])}",
                [f"{r['claims']}: ", _ids(r["fact_ids"].split())],
                [f"{r['sources']}: ", _ids(r["source_ids"].split())],
                _extreme(by_id[r["min_fact"]], r["min"], unit),
                _extreme(by_id[r["max_fact"]], r["max"], unit),
                span,
            ]
        )
    return Table(["quantity", "claims", "sources", "least", "greatest", "earliest to latest"], body)


def _figures(entries: Sequence[dict[str, Any]], name: str) -> list[Block]:
    return [Figure(e) for e in entries if e["chart"] == name]


def build_document(data: Data, entries: Sequence[dict[str, Any]]) -> tuple[str, list[Block]]:
    """The report's title and blocks."""
    facts = data.facts()
    rel = data.relations()
    summary = stats.summary(facts)
    derived = stats.derived_figures(facts, rel)
    checks = stats.check_relations(facts, rel)
    disc = stats.discrepancies(facts, derived)
    by_id = stats.fact_values(facts)
    sources = data.table("sources")
    version = data.version
    title = f"Iraq war facts: summary report (v{version})"
    blocks: list[Block] = [Heading(1, title, "top")]
    blocks.append(
        Para(
            [
                Strong("Attribution:"),
                " " + ATTRIBUTION,
                " Every number below names the fact ids (",
                Code("TRP-"),
                ", ",
                Code("CAS-"),
                ", ",
                Code("CST-"),
                ", ",
                Code("DSP-"),
                ", ",
                Code("OPS-"),
                ") or derived ids (",
                Code("DRV-"),
                ") behind it; look them up in ",
                Code("data/"),
                " for the quote, the paragraph and the notes.",
            ]
        )
    )

    # Overview
    blocks.append(Heading(2, "Overview", "overview"))
    fact_ids = facts["fact_id"].to_list()
    source_ids = sorted(facts["source_id"].unique().to_list())
    blocks.append(
        Para(
            [
                f"The package (version {version}) holds {len(fact_ids)} facts from {len(source_ids)} articles (",
                _ids(source_ids),
                "): each is one claim as an article states it, with its hedge, time, credit and a verbatim Arabic "
                "quote. Sources disagree; nothing is merged or averaged. Figures computed here are marked derived, "
                "with their formula; they are never written into the data.",
            ]
        )
    )
    rows: list[list[Cell]] = []
    for topic in FACT_TOPICS:
        ids = facts.filter(pl.col("topic") == topic)["fact_id"].to_list()
        if ids:
            rows.append(
                [Link(_topic_title(data, topic), f"#{_anchor(_topic_title(data, topic))}"), str(len(ids)), _ids(ids)]
            )
    blocks.append(Table(["topic", "facts", "fact ids"], rows))
    src_rows: list[list[Cell]] = []
    for s in sources.iter_rows(named=True) if not sources.is_empty() else []:
        ids = facts.filter(pl.col("source_id") == s["source_id"])["fact_id"].to_list()
        if s.get("published") is not None:
            when = stats.format_date(s["published"], s.get("published_precision"))
        elif s.get("published_not_before") is not None:
            when = f"{stats.format_date(s['published_not_before'], 'day')} or later"
        else:
            when = "unknown"
        src_rows.append(
            [
                Code(s["source_id"]),
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
    blocks.append(_summary_table(data, summary, by_id))

    # One section per topic
    for topic in FACT_TOPICS:
        rows_t = facts.filter(pl.col("topic") == topic).to_dicts()
        if not rows_t:
            continue
        name = _topic_title(data, topic)
        blocks.append(Heading(2, name, _anchor(name)))
        chart = TOPIC_CHARTS.get(topic)
        if chart:
            blocks += _figures(entries, chart)
        blocks += _topic_notes(data, topic, by_id, derived)
        blocks.append(_summary_table(data, summary.filter(pl.col("topic") == topic), by_id))
        blocks.append(_claims_table(data, rows_t))

    # Discrepancies
    blocks.append(Heading(2, "Discrepancies", "discrepancies"))
    blocks.append(
        Para(
            [
                "The same quantity (what is counted, of whom, in what unit) stated more than once. The ratio is the "
                "greatest figure over the least, with the ids of both; the last column says what differs between "
                "the claims (date, scope or definition, estimator, claim type, source, hedge)."
            ]
        )
    )
    blocks += _figures(entries, "discrepancies")
    d_rows: list[list[Cell]] = []
    for r in disc.iter_rows(named=True):
        claims: list[Inline] = []
        for fid in r["fact_ids"].split():
            f = by_id[fid]
            detail = f", {data.label(f['detail']).lower()}" if f.get("detail") else ""
            claims += [Code(fid), f": {format_claim(f)}, {format_time(f)}{detail}, {data.label(f['attributed_to'])}; "]
        for did in r["derived_ids"].split():
            d = derived.filter(pl.col("derived_id") == did).row(0, named=True)
            claims += [Code(did), f" (derived, {d['formula']}): {format_number(d['value'], d['unit'])}; "]
        if claims and isinstance(claims[-1], str):
            claims[-1] = claims[-1].removesuffix("; ")
        unit = r["unit"]
        d_rows.append(
            [
                f"{data.label(r['metric'])} · {data.label(r['party'])}",
                claims,
                [
                    f"×{_ratio(r['ratio'])} = {format_number(r['high'], unit)} ",
                    Code(r["high_id"]),
                    f" / {format_number(r['low'], unit)} ",
                    Code(r["low_id"]),
                ],
                r["differs"] or "–",
            ]
        )
    blocks.append(Table(["quantity", "claims", "spread", "what differs"], d_rows))

    # Consistency
    blocks.append(Heading(2, "Consistency checks", "consistency-checks"))
    held = checks.filter(pl.col("holds"))["relation_id"].to_list()
    failed = checks.filter(~pl.col("holds"))["relation_id"].to_list()
    unknown = checks.filter(pl.col("holds").is_null())["relation_id"].to_list()
    summary_line: list[Inline] = [f"{len(held)} of {checks.height} declared relations hold"]
    summary_line += [" (", _ids(held), ")"] if held else []
    if failed:
        summary_line += [f"; {len(failed)} do not (", _ids(failed), ")"]
    if unknown:
        summary_line += [f"; {len(unknown)} cannot be computed (", _ids(unknown), ")"]
    blocks.append(Para([*summary_line, ". Computed from the typed values, with each relation's tolerance."]))
    c_rows: list[list[Cell]] = []
    for r in checks.iter_rows(named=True):
        verdict = {True: "holds", False: "FAILS", None: "not computed"}[r["holds"]]
        c_rows.append(
            [
                Code(r["relation_id"]),
                Code(r["relation"]),
                Code(r["fact_id"]),
                _ids(r["other_fact_ids"].split()),
                r["detail"],
                Strong(verdict),
                r["note"] or "",
            ]
        )
    blocks.append(Table(["relation", "kind", "fact", "other facts", "computed", "result", "what it says"], c_rows))
    blocks.append(Heading(3, "Derived figures", "derived-figures"))
    blocks.append(
        Para(
            [
                "Computed from declared relations (",
                Code("DRV-REL-…"),
                ") and from formulas declared in code (",
                Code("DRV-0001"),
                "…). Derived, never stated by a source.",
            ]
        )
    )
    dv_rows: list[list[Cell]] = []
    for d in derived.iter_rows(named=True):
        compared: list[Inline] = []
        if d["compared_fact"]:
            compared = [
                "vs ",
                Code(d["compared_fact"]),
                f" = {format_number(d['compared_value'], d['unit'])} (difference "
                f"{format_number(d['difference'], d['unit'])})",
            ]
        basis = Code(d["basis"]) if d["basis"] != "formula" else "formula in code"
        dv_rows.append(
            [
                Code(d["derived_id"]),
                d["label_en"] if d["basis"] == "formula" else (d["note"] or d["label_en"]),
                Code(d["formula"]),
                format_number(d["value"], d["unit"]),
                basis,
                compared,
            ]
        )
    blocks.append(Table(["derived", "what", "formula", "value", "basis", "compared with"], dv_rows))

    blocks += _quality(data, facts, checks)

    # How to cite
    blocks.append(Heading(2, "How to cite", "how-to-cite"))
    blocks.append(Para([Strong("Attribution:"), " " + ATTRIBUTION]))
    year = str(data.descriptor.get("created", ""))[:4]
    name = str(data.descriptor.get("title", "iraq-war-facts"))
    blocks.append(
        Para(
            [
                f"iraq-war-facts contributors ({year}). {name} (version {version}) [Data set]. Licensed under "
                f"{data.licence}. Charts and this report are under the same licence: keep the attribution line."
            ]
        )
    )
    return title, blocks


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}".rstrip("0").rstrip(".")


def _topic_notes(data: Data, topic: str, by_id: dict[str, dict[str, Any]], derived: pl.DataFrame) -> list[Block]:
    """Derived figures that use this topic's facts, as a bullet list."""
    items = []
    for d in derived.iter_rows(named=True):
        ids = d["fact_ids"].split()
        if ids and all(by_id.get(i, {}).get("topic") == topic for i in ids) and d["value"] is not None:
            what = d["label_en"] if d["basis"] == "formula" else (d["note"] or d["label_en"])
            items.append(
                [
                    Code(d["derived_id"]),
                    f" (derived): {format_number(d['value'], d['unit'])} = ",
                    Code(d["formula"]),
                    f". {what}",
                ]
            )
    return [Bullets(items)] if items else []


def _count_table(title: str, frame: pl.DataFrame, keys: list[str]) -> Table:
    rows: list[list[Cell]] = []
    for r in frame.iter_rows(named=True):
        rows.append([*[Code(str(r[k])) for k in keys], str(r["count"]), _ids(r["ids"].split())])
    return Table([*keys, "count", title], rows)


def _quality(data: Data, facts: pl.DataFrame, checks: pl.DataFrame) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Data quality", "data-quality")]
    blocks.append(Heading(3, "Facts per source", "facts-per-source"))
    per = stats.facts_per_source(facts)
    rows: list[list[Cell]] = [
        [Code(r["source_id"]), r["topic"], str(r["count"]), _ids(r["ids"].split())] for r in per.iter_rows(named=True)
    ]
    blocks.append(Table(["source", "topic", "facts", "fact ids"], rows))
    blocks.append(Heading(3, "Qualifiers (hedges)", "qualifiers"))
    blocks.append(_count_table("fact ids", stats.qualifiers_used(facts), ["qualifier"]))
    blocks.append(Heading(3, "Claim types", "claim-types"))
    blocks.append(_count_table("fact ids", stats.claim_types_used(facts), ["claim_type"]))
    blocks.append(Heading(3, "Date precision and basis", "precision"))
    blocks.append(_count_table("fact ids", stats.precisions_used(facts), ["field", "precision", "basis"]))
    slips = stats.literal_slips(facts)
    if slips.height:
        blocks.append(Heading(3, "Slips recorded", "slips"))
        blocks.append(
            Table(
                ["fact", "value (meant)", "literal value (written)", "note"],
                [
                    [Code(r["fact_id"]), f"{r['value']:,.0f}", f"{r['literal_value']:,.0f}", r["note"] or ""]
                    for r in slips.iter_rows(named=True)
                ],
            )
        )
    blocks.append(Heading(3, "Relations declared", "relations-declared"))
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
    nt = stats.not_tabulated_by_reason(data.tables)
    blocks.append(
        Para(
            [
                "Every other number in the articles (a year in a date, a duration, an idiom) is listed in ",
                Code("data/not_tabulated.csv"),
                " with its reason:",
            ]
        )
    )
    blocks.append(
        Table(
            ["reason", "what it means", "mentions", "mention ids"],
            [
                [Code(r["reason"]), data.label(r["reason"]), str(r["count"]), _ids(r["ids"].split())]
                for r in nt.iter_rows(named=True)
            ],
        )
    )
    return blocks


# ---------------------------------------------------------------------------------------------------------------
# Build, swap, check


def _tables(data: Data, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    facts = data.facts()
    rel = data.relations()
    derived = stats.derived_figures(facts, rel)
    stats.summary(facts).write_csv(directory / "summary.csv")
    derived.drop("label_ar").write_csv(directory / "derived.csv")
    stats.discrepancies(facts, derived).write_csv(directory / "discrepancies.csv")
    stats.check_relations(facts, rel).write_csv(directory / "relations.csv")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _write(data: Data, directory: Path) -> None:
    from iraq_war_facts.charts import build_charts

    entries = build_charts(data, directory / "charts")
    title, blocks = build_document(data, entries)
    (directory / "summary.md").write_text(render_markdown(blocks), encoding="utf-8")
    (directory / "index.html").write_text(render_html(blocks, title), encoding="utf-8")
    _tables(data, directory / "tables")
    files = [
        {"path": name, "sha256": sha256(directory / name), "bytes": (directory / name).stat().st_size}
        for name in _files(directory)
    ]
    manifest = {"package": "iraq-war-facts", "version": data.version, "files": files}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, keeping the old reports until the new ones are in place."""
    old = new.with_name(new.name + "-old")
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


def build_reports(out_dir: Path, descriptor: str | Path = DEFAULT_DESCRIPTOR) -> list[Path]:
    """Validate the package, then write every report into ``out_dir``; return the files written.

    Raises :class:`~iraq_war_facts.stats.InvalidPackage` (nothing is written) when the package does not validate.
    """
    data = stats.load(descriptor)
    out_dir = Path(out_dir)
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-build-", dir=parent))
    try:
        _write(data, tmp)
        _swap(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return [out_dir / name for name in _files(out_dir)]


def compare_reports(expected: Path, actual: Path) -> dict[str, str]:
    """Relative path -> ``stale``, ``missing`` or ``extra`` for every file of ``actual`` that is not as expected."""
    want = set(_files(expected)) if expected.is_dir() else set()
    have = set(_files(actual)) if actual.is_dir() else set()
    out = {name: "missing" for name in want - have}
    out.update({name: "extra" for name in have - want})
    for name in want & have:
        if (expected / name).read_bytes() != (actual / name).read_bytes():
            out[name] = "stale"
    return dict(sorted(out.items()))


def diff_reports(reports_dir: Path, descriptor: str | Path = DEFAULT_DESCRIPTOR) -> dict[str, str]:
    """Rebuild into a temporary folder and compare with ``reports_dir``."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "reports"
        build_reports(fresh, descriptor)
        return compare_reports(fresh, Path(reports_dir))


def check_reports(reports_dir: Path, descriptor: str | Path = DEFAULT_DESCRIPTOR) -> list[str]:
    """Names (relative paths) of the stale, missing and extra files in ``reports_dir``; empty when up to date."""
    return list(diff_reports(reports_dir, descriptor))


def command(out_dir: str | Path, descriptor: str | Path = DEFAULT_DESCRIPTOR, check: bool = False) -> int:
    """``report`` subcommand: build (or with ``check``, verify) the reports; 0 on success, 1 otherwise."""
    try:
        if check:
            problems = diff_reports(Path(out_dir), descriptor)
            for name, status in problems.items():
                print(f"{status}: {Path(out_dir) / name}")
            if problems:
                print(f"reports are out of date ({len(problems)} file(s)): run `python -m iraq_war_facts report`")
                return 1
            print(f"reports in {out_dir} are up to date")
            return 0
        written = build_reports(Path(out_dir), descriptor)
        print(f"{len(written)} file(s) written to {out_dir}")
        return 0
    except stats.InvalidPackage as exc:
        print(str(exc), file=sys.stderr)
        return 1
