"""The overview: key numbers, disagreements, charts, downloads, licence and how to cite; its JSON-LD."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from iraq_war_facts.analysis import Analysis
from iraq_war_facts.report.document import (
    Block,
    Bullets,
    Cell,
    Chart,
    Code,
    English,
    Heading,
    Ids,
    Inline,
    Link,
    Para,
    Strong,
    Table,
    safe_href,
)
from iraq_war_facts.report.web.base import MAX_ALT, Page, Site
from iraq_war_facts.report.web.pages import _disagreement_frames, _discrepancy_table, _published, _quality
from iraq_war_facts.wording import (
    format_claim,
    format_number,
    say,
)

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
