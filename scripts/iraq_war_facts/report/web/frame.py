"""The frame of every page (head, header, footer) and the writing of both editions."""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from iraq_war_facts.analysis import Analysis
from iraq_war_facts.report.document import (
    render_body,
)
from iraq_war_facts.report.web.base import ASSETS, LANGS, OG_LOCALE, Page, Site, _lang_path, links_for, repository
from iraq_war_facts.report.web.overview import attribution, json_ld, overview_page
from iraq_war_facts.report.web.pages import derived_page, event_page, fact_page, facts_page, source_page
from iraq_war_facts.wording import (
    say,
)

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
