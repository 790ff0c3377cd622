"""The web edition, in English and Arabic: an overview, a table of every row, a page per fact, derived figure, event
and source. Static files with relative links only; every phrase comes from :mod:`iraq_war_facts.wording` or the
codebook, every id links to its page in the same language, and the pages are a pure function of the analysis (plus
the repository named by ``CITATION.cff`` when the package has one).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from iraq_war_facts import comparisons
from iraq_war_facts.analysis import Analysis
from iraq_war_facts.model import id_key
from iraq_war_facts.report.document import (
    Block,
    Bullets,
    Cell,
    Chart,
    Code,
    English,
    Fields,
    Heading,
    Ids,
    Inline,
    Link,
    Para,
    Quote,
    Strong,
    Table,
    render_body,
    safe_href,
)
from iraq_war_facts.wording import (
    format_claim,
    format_date,
    format_number,
    format_time,
    relation_words,
    say,
)

LANGS = ("en", "ar")
ASSETS = ("site.css", "facts.js")
OG_LOCALE = {"en": "en_US", "ar": "ar_AR"}
MAX_ALT = 250
CITATION = "CITATION.cff"


# ---------------------------------------------------------------------------------------------------------------
# The site: which ids have pages, and how a page links


@dataclass
class Site:
    """What every page needs: the analysis, the chart entries, the pages of ids, the repository when known."""

    a: Analysis
    entries: Sequence[dict[str, Any]]
    repository: str | None
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        events = self.a.table("events")
        rows = events.to_dicts() if not events.is_empty() else []
        self.events = {r["event_id"]: r for r in sorted(rows, key=lambda r: id_key(r["event_id"]))}
        sources = self.a.table("sources")
        self.sources = {r["source_id"]: r for r in (sources.to_dicts() if not sources.is_empty() else [])}
        records = [*self.a.by_id, *self.a.derived_by_id, *self.events]
        self.pages = {i: f"fact/{i}.html" for i in records} | {s: f"source/{s}.html" for s in self.sources}
        names = sorted(self.pages, key=lambda i: (-len(i), i))
        self.id_pattern = re.compile("|".join(re.escape(i) for i in names)) if names else None

    def linked(self, text: str) -> list[Inline]:
        """``text`` with every id that has a page made an id link."""
        if not text or self.id_pattern is None:
            return [text] if text else []
        out: list[Inline] = []
        last = 0
        for m in self.id_pattern.finditer(text):
            before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
            if (before and (before.isalnum() or before == "-")) or (after and (after.isalnum() or after == "-")):
                continue
            out += [text[last : m.start()], Ids((m.group(),))]
            last = m.end()
        out.append(text[last:])
        return [p for p in out if p != ""]

    def charts_of(self, record_id: str, lang: str) -> list[dict[str, Any]]:
        return [
            e
            for e in self.entries
            if e["lang"] == lang and record_id in (*e["fact_ids"], *e["derived_ids"], *e["event_ids"])
        ]


@dataclass(frozen=True)
class Page:
    """A page of the edition: its path in the reports folder and its language."""

    path: str
    lang: str

    def rel(self, target: str) -> str:
        """``target`` (a path in the reports folder, maybe with ``#anchor``) relative to this page."""
        path, _, anchor = target.partition("#")
        out = posixpath.relpath(path, posixpath.dirname(self.path) or ".")
        return f"{out}#{anchor}" if anchor else out

    def edition(self, path: str) -> str:
        """``path`` (an English page's path) in this page's edition, relative to this page."""
        return self.rel(path if self.lang == "en" else f"ar/{path}")

    @property
    def twin(self) -> str:
        other = self.path.removeprefix("ar/") if self.lang == "ar" else f"ar/{self.path}"
        return self.rel(other)


def _lang_path(path: str, lang: str) -> str:
    return path if lang == "en" else f"ar/{path}"


def links_for(site: Site, page: Page):
    """The id -> address function of ``page``: its edition's page of the id."""

    def links(record_id: str) -> str | None:
        target = site.pages.get(record_id)
        return page.edition(target) if target else None

    return links


def repository(root: Path | None) -> str | None:
    """The ``repository-code`` of the package's ``CITATION.cff``, when it has one (a web address)."""
    if root is None or not (root / CITATION).is_file():
        return None
    for line in (root / CITATION).read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "repository-code":
            url = value.strip().strip("\"'")
            return url if url.startswith("https://") and safe_href(url) == url else None
    return None


# ---------------------------------------------------------------------------------------------------------------
# Wording of records


def _label(a: Analysis, code: str | None, lang: str) -> str:
    return a.label(code, lang) if code else ""


def what(a: Analysis, row: dict[str, Any], lang: str) -> str:
    parts = [_label(a, row["metric"], lang), _label(a, row["party"], lang)]
    if row.get("detail"):
        parts.append(_label(a, row["detail"], lang))
    return " · ".join(p for p in parts if p)


def _paragraph(site: Site, row: dict[str, Any], lang: str) -> list[Inline]:
    return [
        Ids((row["source_id"],)),
        f" ¶{row['paragraph']}" if lang == "en" else f"، {say('paragraph', lang, n=row['paragraph'])}",
    ]


def _in_sentence(label: str, lang: str) -> str:
    """A codebook label inside an English sentence: a leading common word in lower case ("the article itself")."""
    first, _, rest = label.partition(" ")
    return (
        f"{first.lower()} {rest}".strip()
        if lang == "en" and first in ("The", "Reported", "Estimated", "Planned")
        else label
    )


def claim_sentence(a: Analysis, row: dict[str, Any], lang: str) -> str:
    return say(
        "claim_sentence",
        lang,
        what=what(a, row, lang),
        figure=format_claim(row, lang),
        when=format_time(row, lang),
        claim_type=_in_sentence(_label(a, row["claim_type"], lang), lang),
        who=_in_sentence(_label(a, row["attributed_to"], lang), lang),
    )


def event_sentence(a: Analysis, row: dict[str, Any], lang: str) -> str:
    return say(
        "event_sentence",
        lang,
        what=_label(a, row["event"], lang),
        when=format_date(row["date"], row["date_precision"], lang),
        claim_type=_in_sentence(_label(a, row["claim_type"], lang), lang),
        who=_in_sentence(_label(a, row["attributed_to"], lang), lang),
    )


def derived_label(d: dict[str, Any], lang: str) -> str:
    return str(d["label_en"] if lang == "en" else d["label_ar"] or d["label_en"])


def _topics_of(site: Site, d: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(site.a.by_id[i]["topic"] for i in d["fact_ids"].split() if i in site.a.by_id))


def _sources_of(site: Site, d: dict[str, Any]) -> list[str]:
    return sorted({site.a.by_id[i]["source_id"] for i in d["fact_ids"].split() if i in site.a.by_id})


def _parties_of(site: Site, d: dict[str, Any]) -> list[str]:
    parties = [site.a.by_id[i]["party"] for i in d["fact_ids"].split() if i in site.a.by_id]
    return list(dict.fromkeys([d["party"]] if d["party"] else parties))


def _period(site: Site, d: dict[str, Any], lang: str) -> str:
    """The span of a derived figure's facts, each end at the precision its fact gives it."""
    if d["start"] is None:
        return "–"
    used = [site.a.by_id[i] for i in d["fact_ids"].split() if i in site.a.by_id]
    first = next((r for r in used if r["start"] == d["start"]), None)
    last = next((r for r in used if r["end"] == d["end"]), None)
    start_precision = (first["period_start_precision"] or first["as_of_precision"]) if first else "day"
    end_precision = (last["period_end_precision"] or last["as_of_precision"]) if last else "day"
    start, end = format_date(d["start"], start_precision, lang), format_date(d["end"], end_precision, lang)
    return start if start == end else f"{start} – {end}"


# ---------------------------------------------------------------------------------------------------------------
# The table of every row (facts.html, and each source's page)


def record_rows(site: Site, lang: str, source: str | None = None) -> Table:
    """One row per fact, derived figure and event (of ``source`` when given), with data-* attributes for filtering."""
    a = site.a
    rows: list[list[Cell]] = []
    attrs: list[dict[str, str]] = []
    other = "ar" if lang == "en" else "en"

    def search(*texts: Any) -> str:
        return " ".join(str(t) for t in texts if t).lower()

    for r in a.facts.iter_rows(named=True):
        if source and r["source_id"] != source:
            continue
        rows.append(
            [
                Ids((r["fact_id"],)),
                _label(a, r["topic"], lang),
                what(a, r, lang),
                format_claim(r, lang),
                format_time(r, lang),
                _label(a, r["claim_type"], lang),
                _label(a, r["attributed_to"], lang),
                _paragraph(site, r, lang),
                r["quote"],
                r["quote_en"],
            ]
        )
        attrs.append(
            {
                "topic": r["topic"],
                "party": r["party"],
                "source": r["source_id"],
                "search": search(
                    r["fact_id"],
                    *(what(a, r, x) for x in LANGS),
                    format_claim(r, other),
                    _label(a, r["attributed_to"], other),
                    _label(a, r["topic"], other),
                    r["quote"],
                    r["quote_en"],
                ),
            }
        )
    for d in a.derived.iter_rows(named=True):
        sources = _sources_of(site, d)
        if source and source not in sources:
            continue
        topics = _topics_of(site, d)
        parties = _parties_of(site, d)
        rows.append(
            [
                Ids((d["derived_id"],)),
                " · ".join(_label(a, t, lang) for t in topics),
                [*site.linked(derived_label(d, lang)), " = ", *site.linked(d["formula"])],
                format_number(d["value"], d["unit"], lang),
                _period(site, d, lang),
                say("derived", lang),
                say("derived_credit", lang),
                Ids(tuple(sources)),
                "",
                "",
            ]
        )
        attrs.append(
            {
                "topic": " ".join(topics),
                "party": " ".join(p for p in parties if p),
                "source": " ".join(sources),
                "search": search(d["derived_id"], d["label_en"], d["label_ar"], d["formula"], d["note"]),
            }
        )
    for e in site.events.values():
        if source and e["source_id"] != source:
            continue
        rows.append(
            [
                Ids((e["event_id"],)),
                say("events", lang),
                _label(a, e["event"], lang),
                "–",
                format_date(e["date"], e["date_precision"], lang),
                _label(a, e["claim_type"], lang),
                _label(a, e["attributed_to"], lang),
                _paragraph(site, e, lang),
                e["quote"],
                e["quote_en"],
            ]
        )
        attrs.append(
            {
                "topic": "events",
                "party": "",
                "source": e["source_id"],
                "search": search(
                    e["event_id"], *(_label(a, e["event"], x) for x in LANGS), e["quote"], e["quote_en"], e["note"]
                ),
            }
        )
    header = [
        say(k, lang)
        for k in (
            "col_id",
            "col_topic",
            "col_what",
            "col_figure",
            "col_when",
            "col_claim",
            "col_credited",
            "col_source",
            "col_quote",
            "col_translation",
        )
    ]
    return Table(header, rows, rtl_columns={8}, ltr_columns={9}, row_attrs=attrs, table_id="facts")


def _filters(site: Site, page: Page, total: int) -> str:
    """The filter form (hidden until the script shows it: without JavaScript every row is simply shown)."""
    a, lang = site.a, page.lang
    topics = [(t, a.label(t, lang)) for t in a.model.topic_codes if not a.topic_facts(t).is_empty()]
    if site.events:
        topics.append(("events", say("events", lang)))
    parties = sorted(set(a.facts["party"].to_list()), key=lambda p: a.label(p, lang))
    selects = [
        ("topic", topics),
        ("party", [(p, a.label(p, lang)) for p in parties]),
        ("source", [(s, s) for s in sorted(site.sources)]),
    ]
    out = [
        f'<form id="filters" class="filters" hidden aria-label="{html.escape(say("filters", lang))}">',
        f'<label>{html.escape(say("search", lang))} <input type="search" name="q" '
        f'placeholder="{html.escape(say("search_hint", lang))}"></label>',
    ]
    for name, options in selects:
        opts = "".join(f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options)
        out.append(
            f'<label>{html.escape(say(name, lang))} <select name="{name}">'
            f'<option value="">{html.escape(say("any", lang))}</option>{opts}</select></label>'
        )
    template = say("count", lang, shown="{shown}", total="{total}")
    out.append(f'<button type="reset">{html.escape(say("reset", lang))}</button>')
    out.append(
        f'<p id="count" role="status" data-template="{html.escape(template)}">'
        f"{html.escape(say('count', lang, shown=total, total=total))}</p></form>"
    )
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------------
# Sections shared by the record pages


def _relations(site: Site, record_id: str, lang: str) -> list[Block]:
    a = site.a
    rels = [
        r
        for r in a.relations.iter_rows(named=True)
        if record_id == r["fact_id"]
        or record_id in str(r["other_fact_ids"] or "").split()
        or record_id == f"DRV-{r['relation_id']}"
    ]
    blocks: list[Block] = []
    if rels:
        blocks.append(Heading(2, say("relations", lang), "relations"))
        blocks.append(_relations_table(site, rels, lang))
    using = [d for d in a.derived.iter_rows(named=True) if record_id in d["fact_ids"].split()]
    if using:
        blocks.append(Heading(2, say("derived_using", lang), "derived"))
        blocks.append(
            Bullets(
                [
                    [Ids((d["derived_id"],)), ": ", *site.linked(derived_label(d, lang)), " = ", _value(d, lang)]
                    for d in using
                ]
            )
        )
    return blocks


def _verdict(holds: bool | None, lang: str) -> str:
    return say({True: "holds", False: "fails", None: "not_computed"}[holds], lang)


def _relations_table(site: Site, rels: Iterable[dict[str, Any]], lang: str) -> Table:
    a = site.a
    rows: list[list[Cell]] = []
    for r in rels:
        derived = f"DRV-{r['relation_id']}"
        rel_id: Cell = (
            [Code(r["relation_id"]), " ", Ids((derived,))] if derived in site.pages else Code(r["relation_id"])
        )
        rows.append(
            [
                rel_id,
                a.label(r["relation"], lang),
                Ids((r["fact_id"],)),
                Ids(tuple(str(r["other_fact_ids"] or "").split())),
                relation_words(r, a.by_id, lang),
                Strong(_verdict(r["holds"], lang)),
                English(r["note"] or "") if lang == "ar" else (r["note"] or ""),
            ]
        )
    keys = ("col_relation", "col_kind", "col_fact", "col_other_facts", "col_computed", "col_result", "col_note")
    return Table([say(k, lang) for k in keys], rows)


def _differs(text: str | None, lang: str) -> str:
    if not text:
        return "–"
    if lang == "en":
        return text
    words = {
        "date": "التاريخ",
        "time": "الزمن",
        "scope": "النطاق أو التعريف",
        "estimator": "الجهة المقدِّرة",
        "claim type": "نوع الادعاء",
        "source": "المصدر",
        "qualifier": "صيغة التحفظ",
        "derived": "رقم مشتق",
    }
    return "، ".join(words.get(w.strip(), w.strip()) for w in text.split(","))


def _discrepancy_table(site: Site, frame: pl.DataFrame, lang: str) -> Table:
    a = site.a
    rows: list[list[Cell]] = []
    for r in frame.iter_rows(named=True):
        unit = r["unit"]
        ratio = r["ratio"]
        ratio_text = (
            "–" if ratio is None else (f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}".rstrip("0").rstrip("."))
        )
        spread: list[Inline] = [f"×{ratio_text}: {format_number(r['high'], unit, lang)} ", Ids((r["high_id"],))]
        spread += [f" / {format_number(r['low'], unit, lang)} ", Ids((r["low_id"],))]
        ids = [*r["fact_ids"].split(), *str(r["derived_ids"] or "").split()]
        rows.append(
            [
                f"{a.label(r['metric'], lang)} · {a.label(r['party'], lang)}",
                Ids(tuple(ids)),
                spread,
                _differs(r["differs"], lang),
            ]
        )
    keys = ("col_quantity", "col_claims", "col_spread", "col_differs")
    return Table([say(k, lang) for k in keys], rows)


def _discrepancies_of(site: Site, record_id: str, lang: str) -> list[Block]:
    blocks: list[Block] = []
    for key, frame in _disagreement_frames(site.a):
        if frame.is_empty():
            continue
        mine = frame.filter(
            pl.concat_str([pl.col("fact_ids"), pl.col("derived_ids").fill_null("")], separator=" ")
            .str.split(" ")
            .list.contains(record_id)
        )
        if mine.height:
            title = say("discrepancies_of", lang) if key == "disagree" else say("scope", lang)
            blocks += [Heading(2, title, key), _discrepancy_table(site, mine, lang)]
    return blocks


def _disagreement_frames(a: Analysis) -> list[tuple[str, pl.DataFrame]]:
    """The genuine disagreements and, when the analysis lists them apart, the differences of scope."""
    return [("disagree", a.discrepancies), ("scope", a.scope_differences)]


def _charts_of(site: Site, page: Page, record_id: str) -> list[Block]:
    charts = site.charts_of(record_id, page.lang)
    if not charts:
        return []
    items: list[list[Inline]] = []
    for e in charts:
        anchor = f"chart-{e['chart']}"
        items.append(
            [
                Link(e["title"], page.edition(f"index.html#{anchor}")),
                " (",
                Link("SVG", page.rel(f"charts/{e['svg']}")),
                say("comma", page.lang),
                Link("PNG", page.rel(f"charts/{e['png']}")),
                ")",
            ]
        )
    return [Heading(2, say("charts_of", page.lang), "charts"), Bullets(items)]


def _value(d: dict[str, Any], lang: str) -> str:
    return format_number(d["value"], d["unit"], lang)


def _credit(a: Analysis, row: dict[str, Any], lang: str) -> str:
    return f"{a.label(row['attributed_to'], lang)} ({a.label(row['attribution_basis'], lang)})"


def _note(text: str | None, lang: str) -> list[tuple[str, Cell]]:
    if not text:
        return []
    return [(say("f_note", lang), English(text) if lang == "ar" else text)]


def _both(sentences: dict[str, str], lang: str) -> list[Block]:
    """The page language's sentence, then the other language's in a paragraph of its own language."""
    other = "ar" if lang == "en" else "en"
    key = "in_arabic" if other == "ar" else "in_english"
    return [Para([sentences[lang]]), Para([Strong(say(key, lang))]), Para([sentences[other]], other)]


# ---------------------------------------------------------------------------------------------------------------
# Pages


def fact_page(site: Site, page: Page, row: dict[str, Any]) -> tuple[str, list[Block]]:
    a, lang = site.a, page.lang
    fid = row["fact_id"]
    title = f"{fid}: {what(a, row, lang)}"
    blocks: list[Block] = [Heading(1, title, "")]
    blocks.append(Heading(2, say("the_claim", lang), "claim"))
    blocks += _both({x: claim_sentence(a, row, x) for x in LANGS}, lang)
    blocks.append(Heading(2, say("quote", lang), "quote"))
    cite = [
        say("cited_from", lang),
        Ids((row["source_id"],)),
        say("comma", lang),
        say("paragraph", lang, n=row["paragraph"]),
    ]
    blocks.append(Quote(row["quote"], row["quote_en"], say("translation", lang), cite))
    blocks.append(Heading(2, say("details", lang), "details"))
    items: list[tuple[str, Cell]] = [
        (say("f_kind", lang), say("kind_fact", lang)),
        (say("col_topic", lang), a.label(row["topic"], lang)),
        (say("f_metric", lang), a.label(row["metric"], lang)),
        (say("f_party", lang), a.label(row["party"], lang)),
    ]
    if row.get("detail"):
        items.append((say("f_detail", lang), a.label(row["detail"], lang)))
    items += [
        (say("f_figure", lang), format_claim(row, lang)),
        (say("f_unit", lang), a.label(row["unit"], lang)),
        (say("f_qualifier", lang), a.label(row["qualifier"], lang)),
        (say("f_time", lang), format_time(row, lang)),
        (say("f_claim_type", lang), a.label(row["claim_type"], lang)),
        (say("f_attributed", lang), _credit(a, row, lang)),
        (
            say("f_source", lang),
            [Ids((row["source_id"],)), say("comma", lang), say("paragraph", lang, n=row["paragraph"])],
        ),
    ]
    if row.get("literal_value") is not None:
        items.append((say("f_literal", lang), format_number(row["literal_value"], row["unit"], lang)))
    items += _note(row.get("note"), lang)
    blocks.append(Fields(items))
    blocks += _relations(site, fid, lang)
    blocks += _discrepancies_of(site, fid, lang)
    blocks += _charts_of(site, page, fid)
    return title, blocks


def derived_page(site: Site, page: Page, d: dict[str, Any]) -> tuple[str, list[Block]]:
    lang = page.lang
    did = d["derived_id"]
    title = f"{did}: {derived_label(d, lang)}"
    blocks: list[Block] = [Heading(1, title, "")]
    blocks.append(Heading(2, say("the_claim", lang), "claim"))
    value = {x: f"{derived_label(d, x)} = {format_number(d['value'], d['unit'], x)}" for x in LANGS}
    blocks += _both(value, lang)
    blocks.append(Heading(2, say("details", lang), "details"))
    basis = say("basis_derived", lang) if d["basis"] == "derived" else say("basis_relation", lang, id=d["basis"])
    items: list[tuple[str, Cell]] = [
        (say("f_kind", lang), say("kind_derived", lang)),
        (say("f_value", lang), format_number(d["value"], d["unit"], lang)),
        (say("f_formula", lang), site.linked(d["formula"])),
        (say("f_facts", lang), Ids(tuple(d["fact_ids"].split()))),
        (say("f_basis", lang), basis),
        (say("f_period", lang), _period(site, d, lang)),
    ]
    if d["compared_fact"]:
        diff = say("difference", lang, d=format_number(d["difference"], d["unit"], lang))
        compared = [Ids((d["compared_fact"],)), f" = {format_number(d['compared_value'], d['unit'], lang)} ({diff})"]
        items.append((say("f_compared", lang), compared))
    items += _note(d.get("note"), lang)
    blocks.append(Fields(items))
    blocks += _relations(site, did, lang)
    blocks += _discrepancies_of(site, did, lang)
    blocks += _charts_of(site, page, did)
    return title, blocks


def event_page(site: Site, page: Page, e: dict[str, Any]) -> tuple[str, list[Block]]:
    a, lang = site.a, page.lang
    eid = e["event_id"]
    title = f"{eid}: {a.label(e['event'], lang)}"
    blocks: list[Block] = [Heading(1, title, "")]
    blocks.append(Heading(2, say("the_claim", lang), "claim"))
    blocks += _both({x: event_sentence(a, e, x) for x in LANGS}, lang)
    blocks.append(Heading(2, say("quote", lang), "quote"))
    cite = [
        say("cited_from", lang),
        Ids((e["source_id"],)),
        say("comma", lang),
        say("paragraph", lang, n=e["paragraph"]),
    ]
    blocks.append(Quote(e["quote"], e["quote_en"], say("translation", lang), cite))
    blocks.append(Heading(2, say("details", lang), "details"))
    items: list[tuple[str, Cell]] = [
        (say("f_kind", lang), say("kind_event", lang)),
        (
            say("f_time_basis", lang),
            f"{format_date(e['date'], e['date_precision'], lang)} ({a.label(e['date_basis'], lang)})",
        ),
        (say("f_claim_type", lang), a.label(e["claim_type"], lang)),
        (say("f_attributed", lang), _credit(a, e, lang)),
        (say("f_source", lang), [Ids((e["source_id"],)), say("comma", lang), say("paragraph", lang, n=e["paragraph"])]),
    ]
    items += _note(e.get("note"), lang)
    blocks.append(Fields(items))
    same = [o for o in site.events.values() if o["event"] == e["event"] and o["event_id"] != eid]
    if same:
        blocks.append(Heading(2, say("same_event", lang), "same-event"))
        blocks.append(
            Bullets([[Ids((o["event_id"],)), ": ", format_date(o["date"], o["date_precision"], lang)] for o in same])
        )
    blocks += _charts_of(site, page, eid)
    return title, blocks


def _published(a: Analysis, s: dict[str, Any], lang: str) -> str:
    if s.get("published") is not None:
        when = format_date(s["published"], s.get("published_precision"), lang)
        return f"{when} ({a.label(s.get('published_basis'), lang)})" if s.get("published_basis") else when
    if s.get("published_not_before") is not None:
        return say("s_not_before", lang, date=format_date(s["published_not_before"], "day", lang))
    return say("unknown", lang)


def source_page(site: Site, page: Page, s: dict[str, Any]) -> tuple[str, list[Block]]:
    a, lang = site.a, page.lang
    sid = s["source_id"]
    headline = s.get("headline") if lang == "ar" else s.get("headline_en")
    title = say("source_title", lang, id=sid) + (f": {headline}" if headline else "")
    blocks: list[Block] = [Heading(1, title, "")]
    items: list[tuple[str, Cell]] = []
    if s.get("headline"):
        from iraq_war_facts.report.document import Arabic

        items.append((say("s_headline", lang), Arabic(s["headline"]) if lang == "en" else s["headline"]))
    publisher = s.get("publisher") or say("unknown", lang)
    if s.get("publisher_basis"):
        publisher = f"{publisher} ({a.label(s['publisher_basis'], lang)})"
    items += [
        (say("s_publisher", lang), English(publisher) if lang == "ar" and s.get("publisher") else publisher),
        (say("s_published", lang), _published(a, s, lang)),
        (say("s_language", lang), say("lang_ar", lang) if s.get("language") == "ar" else str(s.get("language") or "")),
        (say("s_sha", lang), Code(str(s.get("text_sha256") or ""))),
        (say("s_bytes", lang), say("bytes", lang, n=f"{s['bytes']:,}") if s.get("bytes") is not None else "–"),
    ]
    for key, column in (("s_summary", "summary_en"), ("s_provenance", "provenance_note")):
        if s.get(column):
            items.append((say(key, lang), English(s[column]) if lang == "ar" else s[column]))
    blocks.append(Fields(items))
    blocks.append(Para([say("texts_not_shared", lang)]))
    blocks.append(Heading(2, say("rows_citing", lang), "rows"))
    blocks.append(record_rows(site, lang, source=sid))
    return title, blocks


def facts_page(site: Site, page: Page) -> tuple[str, list[Block], str]:
    a, lang = site.a, page.lang
    title = say("facts_title", lang)
    table = record_rows(site, lang)
    counts = {"facts": a.facts.height, "derived": a.derived.height, "events": len(site.events)}
    blocks: list[Block] = [Heading(1, title, ""), Para([say("facts_intro", lang, **counts)])]
    return title, [*blocks, table], _filters(site, page, len(table.rows))


def _quality(site: Site, lang: str) -> list[Block]:
    a = site.a
    blocks: list[Block] = [Heading(2, say("quality", lang), "quality")]
    blocks.append(Heading(3, say("qualifiers", lang), "qualifiers"))
    rows: list[list[Cell]] = [
        [a.label(r["qualifier"], lang), str(r["count"]), Ids(tuple(r["ids"].split()))]
        for r in comparisons.qualifiers_used(a.facts).iter_rows(named=True)
    ]
    blocks.append(Table([say("f_qualifier", lang), say("col_count", lang), say("col_ids", lang)], rows))
    blocks.append(Heading(3, say("claim_types", lang), "claim-types"))
    rows = [
        [a.label(r["claim_type"], lang), str(r["count"]), Ids(tuple(r["ids"].split()))]
        for r in comparisons.claim_types_used(a.facts).iter_rows(named=True)
    ]
    blocks.append(Table([say("f_claim_type", lang), say("col_count", lang), say("col_ids", lang)], rows))
    blocks.append(Heading(3, say("consistency", lang), "consistency"))
    held = a.relations.filter(pl.col("holds")).height
    blocks.append(Para([say("consistency_intro", lang, held=held, total=a.relations.height)]))
    blocks.append(_relations_table(site, a.relations.iter_rows(named=True), lang))
    nt = comparisons.not_tabulated_by_reason(a.tables)
    if nt.height:
        blocks.append(Heading(3, say("not_tabulated", lang), "not-tabulated"))
        blocks.append(Para([say("not_tabulated_intro", lang)]))
        rows = [
            [a.label(r["reason"], lang), str(r["count"]), Code(r["ids"].replace(" ", ", "))]
            for r in nt.iter_rows(named=True)
        ]
        blocks.append(Table([say("col_reason", lang), say("col_count", lang), say("col_ids", lang)], rows))
    return blocks


# ---------------------------------------------------------------------------------------------------------------
# The overview


def _extreme(a: Analysis, fid: str, value: float | None, unit: str, lang: str) -> list[Inline]:
    row = a.by_id[fid]
    if row["qualifier"] == "range" or (row["value"] is None and row["qualifier"] != "indefinite"):
        text = format_number(value, unit, lang)
    else:
        text = format_claim(row, lang)
    return [f"{text} ", Ids((fid,))]


def _key_numbers(site: Site, lang: str) -> Table:
    a = site.a
    rows: list[list[Cell]] = []
    for r in a.summary.iter_rows(named=True):
        unit = r["unit"]
        rows.append(
            [
                f"{a.label(r['metric'], lang)} · {a.label(r['party'], lang)}",
                _extreme(a, r["min_fact"], r["min"], unit, lang),
                _extreme(a, r["max_fact"], r["max"], unit, lang),
                [f"{r['claims']}: ", Ids(tuple(r["fact_ids"].split()))],
                [f"{r['sources']}: ", Ids(tuple(r["source_ids"].split()))],
            ]
        )
    keys = ("col_quantity", "col_least", "col_greatest", "col_claims", "col_sources")
    return Table([say(k, lang) for k in keys], rows)


def short_alt(title: str, lang: str) -> str:
    """Alt text of at most :data:`MAX_ALT` characters: the chart's title and where its description is."""
    alt = say("chart_alt", lang, title=title)
    if len(alt) <= MAX_ALT:
        return alt
    room = MAX_ALT - len(say("chart_alt", lang, title="")) - 1
    return say("chart_alt", lang, title=title[:room].rsplit(" ", 1)[0] + "…")


def _chart_blocks(site: Site, page: Page) -> list[Block]:
    a, lang = site.a, page.lang
    blocks: list[Block] = []
    for e in site.entries:
        if e["lang"] != lang:
            continue
        anchor = f"chart-{e['chart']}"
        svg, png = page.rel(f"charts/{e['svg']}"), page.rel(f"charts/{e['png']}")
        blocks.append(Heading(3, e["title"], f"{anchor}-title"))
        spec = a.charts.get(e["chart"])
        if spec is not None and spec.subtitle.get(lang):
            blocks.append(Para([spec.subtitle[lang]]))
        files: list[Inline] = [say("chart_files", lang), " ", Link("SVG", svg), " · ", Link("PNG", png)]
        blocks.append(
            Chart(
                svg,
                png,
                int(e["width"]),
                int(e["height"]),
                short_alt(e["title"], lang),
                e["title"],
                anchor,
                e["alt"],
                say("chart_description", lang),
                lang,
                files,
            )
        )
    return blocks


def _human_size(n: int | None, lang: str) -> str:
    if n is None:
        return "–"
    return say("bytes", lang, n=f"{n:,}")


def downloads(a: Analysis) -> list[dict[str, Any]]:
    """The package's resource files as the descriptor lists them: name, path, title, bytes, sha256, media type."""
    out = []
    for res in a.descriptor.get("resources", []):
        if not isinstance(res, dict) or not isinstance(res.get("path"), str):
            continue
        digest = str(res.get("hash") or "")
        out.append(
            {
                "name": str(res.get("name", "")),
                "path": res["path"],
                "title": str(res.get("title") or res.get("name", "")),
                "bytes": res.get("bytes") if isinstance(res.get("bytes"), int) else None,
                "sha256": digest.removeprefix("sha256:") if digest.startswith("sha256:") or ":" not in digest else "",
                "mediatype": str(res.get("mediatype") or "text/csv"),
            }
        )
    return out


def release_files(a: Analysis) -> list[tuple[str, str]]:
    """(file name, phrase key) of a release's downloads, by the names :mod:`iraq_war_facts.build` gives them."""
    name, version = a.name, a.version
    return [
        (f"{name}-{version}.zip", "release_zip"),
        (f"{name}.sqlite", "release_sqlite"),
        (f"{name}.xlsx", "release_xlsx"),
        ("parquet/", "release_parquet"),
        ("json/", "release_json"),
        ("SHA256SUMS", "release_sums"),
    ]


def _file_url(site: Site, path: str) -> str | None:
    return f"{site.repository}/blob/main/{path}" if site.repository else None


def _downloads(site: Site, page: Page) -> list[Block]:
    a, lang = site.a, page.lang
    blocks: list[Block] = [Heading(2, say("downloads", lang), "downloads"), Para([say("downloads_intro", lang)])]
    files: list[list[Inline]] = []
    for d in downloads(a):
        url = _file_url(site, d["path"])
        files.append(
            [
                Link(d["path"], url) if url else Code(d["path"]),
                " (",
                English(d["title"]) if lang == "ar" else d["title"],
                f"){say('comma', lang)}{_human_size(d['bytes'], lang)}{say('comma', lang)}SHA-256 ",
                Code(d["sha256"]),
            ]
        )
    blocks.append(Bullets(files))
    items: list[list[Inline]] = [[Code(n), ": ", say(k, lang)] for n, k in release_files(a)]
    blocks.append(Para([say("releases", lang)]))
    blocks.append(Bullets(items))
    if site.repository:
        blocks.append(Para([Link(say("releases_link", lang), f"{site.repository}/releases")]))
    tables = [
        Link(f"tables/{n}.csv", page.rel(f"tables/{n}.csv"))
        for n in ("summary", "derived", "discrepancies", "relations")
    ]
    report: list[Inline] = [say("report_files", lang), " "]
    for i, link in enumerate([*tables, Link("charts/index.json", page.rel("charts/index.json"))]):
        report += [say("comma", lang) if i else "", link]
    blocks.append(Para(report))
    return blocks


def citation(a: Analysis, lang: str) -> str:
    year = str(a.descriptor.get("created", ""))[:4]
    creators = [c.get("title") for c in a.descriptor.get("contributors", []) if isinstance(c, dict)]
    creator = str(creators[0]) if creators and creators[0] else f"{a.name} contributors"
    title = str(a.descriptor.get("title", a.name))
    return say("cite_text", lang, creator=creator, year=year, title=title, version=a.version, licence=a.licence)


def attribution(site: Site, lang: str) -> str:
    """The line to credit the data with: the analysis's own in English (the charts carry it too)."""
    if lang == "en":
        return site.a.attribution
    return say("attribution", lang, name=site.a.name, licence=site.a.licence, sources=len(site.sources))


def _cite(site: Site, lang: str) -> list[Block]:
    a = site.a
    blocks: list[Block] = [Heading(2, say("cite", lang), "cite")]
    licence_url = next(
        (str(x.get("path")) for x in a.descriptor.get("licenses", []) if isinstance(x, dict) and x.get("path")), None
    )
    blocks.append(Para([say("licence_text", lang, licence=a.licence)]))
    blocks.append(Para([attribution(site, lang)], style="cite"))
    blocks.append(Para([English(citation(a, lang)) if lang == "ar" else citation(a, lang)]))
    if licence_url:
        blocks.append(Para([say("licence", lang), ": ", Link(a.licence, licence_url)]))
    if site.repository:
        blocks.append(Para([say("repository_text", lang), " ", Link(site.repository, site.repository)]))
    return blocks


def overview_page(site: Site, page: Page) -> tuple[str, list[Block]]:
    a, lang = site.a, page.lang
    title = say("overview_title", lang)
    counts = {
        "facts": a.facts.height,
        "derived": a.derived.height,
        "events": len(site.events),
        "sources": len(site.sources),
        "version": a.version,
    }
    blocks: list[Block] = [Heading(1, title, ""), Para([say("overview_lead", lang, **counts)])]
    blocks.append(Para([Link(say("all_facts_link", lang), page.edition("facts.html"))]))
    if lang == "ar":
        blocks.append(Para([say("digits_note", lang)]))
    sections: list[tuple[str, str]] = []
    toc_at = len(blocks)

    def section(anchor: str, key: str) -> None:
        sections.append((anchor, say(key, lang)))
        blocks.append(Heading(2, say(key, lang), anchor))

    section("key-numbers", "key_numbers")
    blocks.append(Para([say("key_numbers_intro", lang)]))
    blocks.append(_key_numbers(site, lang))
    for key, frame in _disagreement_frames(a):
        if frame.is_empty():
            continue
        section(key, key)
        blocks.append(Para([say(f"{key}_intro", lang)]))
        blocks.append(_discrepancy_table(site, frame, lang))
    section("charts", "charts")
    blocks.append(Para([say("charts_intro", lang)]))
    blocks += _chart_blocks(site, page)
    section("sources", "sources_heading")
    src_rows: list[list[Cell]] = []
    for sid, s in site.sources.items():
        n = a.facts.filter(pl.col("source_id") == sid).height
        publisher = s.get("publisher") or say("unknown", lang)
        src_rows.append(
            [
                Ids((sid,)),
                English(publisher) if lang == "ar" and s.get("publisher") else publisher,
                _published(a, s, lang),
                str(n),
            ]
        )
    keys = ("col_source", "s_publisher", "s_published", "col_claims")
    blocks.append(Table([say(k, lang) for k in keys], src_rows))
    blocks += _quality(site, lang)
    sections.append(("quality", say("quality", lang)))
    blocks += _downloads(site, page)
    sections.append(("downloads", say("downloads", lang)))
    blocks += _cite(site, lang)
    sections.append(("cite", say("cite", lang)))
    contents: list[Block] = [
        Para([Strong(say("on_this_page", lang))]),
        Bullets([[Link(text, f"#{anchor}")] for anchor, text in sections]),
    ]
    return title, [*blocks[:toc_at], *contents, *blocks[toc_at:]]


def json_ld(site: Site, page: Page) -> str:
    """schema.org ``Dataset`` of the package, with one ``DataDownload`` per download; safe inside ``<script>``."""
    a = site.a
    d = a.descriptor
    licence = next((x.get("path") for x in d.get("licenses", []) if isinstance(x, dict) and x.get("path")), a.licence)
    creators = [c.get("title") for c in d.get("contributors", []) if isinstance(c, dict) and c.get("title")]
    distribution = []
    for f in downloads(a):
        item: dict[str, Any] = {
            "@type": "DataDownload",
            "name": f["path"],
            "encodingFormat": f["mediatype"],
            "contentUrl": _file_url(site, f["path"]) or f["path"],
        }
        if f["bytes"] is not None:
            item["contentSize"] = f"{f['bytes']} B"
        if f["sha256"]:
            item["sha256"] = f["sha256"]
        distribution.append(item)
    for name, _ in release_files(a):
        distribution.append(
            {
                "@type": "DataDownload",
                "name": name,
                "contentUrl": f"{site.repository}/releases" if site.repository else name,
            }
        )
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": str(d.get("title", a.name)),
        "alternateName": a.name,
        "description": str(d.get("description", "")),
        "license": licence,
        "creator": [{"@type": "Organization", "name": str(c)} for c in creators],
        "version": a.version,
        "keywords": [str(k) for k in d.get("keywords", [])],
        "inLanguage": ["en", "ar"],
        "isAccessibleForFree": True,
        "distribution": distribution,
    }
    url = d.get("homepage") or site.repository
    if isinstance(url, str) and safe_href(url) == url and url.startswith("https://"):
        data["url"] = url
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------------------------------------------------------
# The frame of every page


def _head_meta(site: Site, page: Page, title: str, description: str, og: bool) -> list[str]:
    en = page.rel(page.path.removeprefix("ar/")) if page.lang == "ar" else page.rel(page.path)
    ar = page.rel(page.path) if page.lang == "ar" else page.rel(f"ar/{page.path}")
    out = [
        f'<link rel="stylesheet" href="{html.escape(page.rel("assets/site.css"))}">',
        f'<link rel="alternate" hreflang="en" href="{html.escape(en)}">',
        f'<link rel="alternate" hreflang="ar" href="{html.escape(ar)}">',
        f'<meta name="description" content="{html.escape(description)}">',
    ]
    if og:
        image = next((e["png"] for e in site.entries if e["lang"] == page.lang), None)
        out += [
            f'<meta property="og:title" content="{html.escape(title)}">',
            f'<meta property="og:description" content="{html.escape(description)}">',
            '<meta property="og:type" content="website">',
            f'<meta property="og:locale" content="{OG_LOCALE[page.lang]}">',
            f'<meta property="og:locale:alternate" content="{OG_LOCALE["ar" if page.lang == "en" else "en"]}">',
        ]
        if image:
            out.append(f'<meta property="og:image" content="{html.escape(page.rel(f"charts/{image}"))}">')
    return out


def frame(
    site: Site,
    page: Page,
    title: str,
    body: str,
    *,
    description: str = "",
    og: bool = False,
    head: Sequence[str] = (),
    scripts: Sequence[str] = (),
    wide: bool = False,
) -> str:
    """A whole page: head, skip link, header with the site navigation and the twin, ``main#main``, footer."""
    a, lang = site.a, page.lang
    dir_ = "rtl" if lang == "ar" else "ltr"
    other = "ar" if lang == "en" else "en"
    full_title = f"{title} · {say('site_name', lang)}" if title != say("overview_title", lang) else title
    nav = [
        f'<li><a href="{html.escape(page.edition("index.html"))}">{html.escape(say("nav_overview", lang))}</a></li>',
        f'<li><a href="{html.escape(page.edition("facts.html"))}">{html.escape(say("nav_facts", lang))}</a></li>',
        f'<li><a href="{html.escape(page.twin)}" hreflang="{other}" lang="{other}" rel="alternate">'
        f"{html.escape(say('other_language', lang))}</a></li>",
    ]
    footer = [
        f"<p>{html.escape(attribution(site, lang))}</p>",
        f"<p>{html.escape(say('footer_version', lang, version=a.version))} "
        f"{html.escape(say('licence', lang))}: {html.escape(a.licence)}."
        + (
            f' <a href="{html.escape(site.repository)}">{html.escape(say("repository", lang))}</a>'
            if site.repository
            else ""
        )
        + "</p>",
    ]
    main_class = ' class="wide"' if wide else ""
    script_tags = [f'<script src="{html.escape(page.rel(f"assets/{s}"))}" defer></script>' for s in scripts]
    return (
        f'<!doctype html>\n<html lang="{lang}" dir="{dir_}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(full_title)}</title>\n"
        + "\n".join([*_head_meta(site, page, full_title, description or title, og), *head, *script_tags])
        + "\n</head>\n<body>\n"
        f'<a class="skip" href="#main">{html.escape(say("skip", lang))}</a>\n'
        f'<header><p class="site"><a href="{html.escape(page.edition("index.html"))}">'
        f"{html.escape(say('site_name', lang))}</a></p>\n"
        f'<nav aria-label="{html.escape(say("nav_site", lang))}"><ul>{"".join(nav)}</ul></nav></header>\n'
        f'<main id="main"{main_class}>\n{body}\n</main>\n<footer>{"".join(footer)}</footer>\n</body>\n</html>\n'
    )


# ---------------------------------------------------------------------------------------------------------------
# Writing


def _write(directory: Path, path: str, text: str) -> None:
    target = directory / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def asset(name: str) -> bytes:
    return (resources.files("iraq_war_facts.report") / "assets" / name).read_bytes()


def write_site(a: Analysis, entries: Sequence[dict[str, Any]], directory: Path, root: Path | None = None) -> None:
    """Write both editions into ``directory``: overview, facts table, a page per record and per source, assets."""
    site = Site(a, entries, repository(root))
    for name in ASSETS:
        (directory / "assets").mkdir(parents=True, exist_ok=True)
        (directory / "assets" / name).write_bytes(asset(name))
    for lang in LANGS:
        page = Page(_lang_path("index.html", lang), lang)
        title, blocks = overview_page(site, page)
        body = render_body(blocks, links_for(site, page))
        description = say(
            "overview_lead",
            lang,
            facts=a.facts.height,
            derived=a.derived.height,
            events=len(site.events),
            sources=len(site.sources),
            version=a.version,
        )
        ld = f'<script type="application/ld+json">\n{json_ld(site, page)}\n</script>'
        _write(directory, page.path, frame(site, page, title, body, description=description, og=True, head=[ld]))

        page = Page(_lang_path("facts.html", lang), lang)
        title, blocks, form = facts_page(site, page)
        links = links_for(site, page)
        body = render_body(blocks[:2], links) + "\n" + form + "\n" + render_body(blocks[2:], links)
        _write(directory, page.path, frame(site, page, title, body, scripts=["facts.js"], wide=True))

        records: list[tuple[str, Any, dict[str, Any]]] = [
            *((i, fact_page, r) for i, r in a.by_id.items()),
            *((i, derived_page, r) for i, r in a.derived_by_id.items()),
            *((i, event_page, r) for i, r in site.events.items()),
            *((i, source_page, r) for i, r in site.sources.items()),
        ]
        for record_id, make, row in records:
            page = Page(_lang_path(site.pages[record_id], lang), lang)
            title, blocks = make(site, page, row)
            body = render_body(blocks, links_for(site, page))
            _write(directory, page.path, frame(site, page, title, body, wide=make is source_page))
