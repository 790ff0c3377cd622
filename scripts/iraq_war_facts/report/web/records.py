"""The table of every row: facts.html, and the rows citing each source."""

from __future__ import annotations

import html
from typing import Any

from iraq_war_facts.report.document import (
    Cell,
    Ids,
    Table,
)
from iraq_war_facts.report.web.base import (
    LANGS,
    Page,
    Site,
    _label,
    _paragraph,
    _parties_of,
    _period,
    _sources_of,
    _topics_of,
    derived_label,
    what,
)
from iraq_war_facts.wording import (
    format_claim,
    format_date,
    format_number,
    format_time,
    say,
)

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
