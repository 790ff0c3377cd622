"""A page per fact, derived figure, event and source, and the sections they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from iraq_war_facts import comparisons
from iraq_war_facts.analysis import Analysis
from iraq_war_facts.report.document import (
    Block,
    Bullets,
    Cell,
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
)
from iraq_war_facts.report.web.base import (
    LANGS,
    Page,
    Site,
    _period,
    claim_sentence,
    derived_label,
    event_sentence,
    what,
)
from iraq_war_facts.report.web.records import _filters, record_rows
from iraq_war_facts.wording import (
    format_claim,
    format_date,
    format_number,
    format_time,
    relation_words,
    say,
)

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


def _opening(title: str, sentences: dict[str, str], row: dict[str, Any], lang: str) -> list[Block]:
    """The top of a fact's or an event's page: its title, the claim in both languages, the quote with its
    translation and where it is cited from, and the heading of its details."""
    blocks: list[Block] = [Heading(1, title, ""), Heading(2, say("the_claim", lang), "claim")]
    blocks += _both(sentences, lang)
    blocks.append(Heading(2, say("quote", lang), "quote"))
    cite = [
        say("cited_from", lang),
        Ids((row["source_id"],)),
        say("comma", lang),
        say("paragraph", lang, n=row["paragraph"]),
    ]
    blocks.append(Quote(row["quote"], row["quote_en"], say("translation", lang), cite))
    blocks.append(Heading(2, say("details", lang), "details"))
    return blocks


# ---------------------------------------------------------------------------------------------------------------
# Pages


def fact_page(site: Site, page: Page, row: dict[str, Any]) -> tuple[str, list[Block]]:
    a, lang = site.a, page.lang
    fid = row["fact_id"]
    title = f"{fid}: {what(a, row, lang)}"
    blocks = _opening(title, {x: claim_sentence(a, row, x) for x in LANGS}, row, lang)
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
    blocks = _opening(title, {x: event_sentence(a, e, x) for x in LANGS}, e, lang)
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
