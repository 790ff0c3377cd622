"""A small document model for the report, rendered to GitHub Markdown and to a standalone HTML page.

Every text is embedded as text, whatever it holds (a codebook label, a translation, the version): in Markdown the
characters that start inline syntax are backslash-escaped (emphasis, code, links and images, strikethrough, math),
``<`` and ``>`` become entities, so no raw HTML, and line breaks become spaces; code spans are fenced with more
backticks than they hold. In HTML everything is escaped. A link keeps its address only when it is a web (http,
https), mail or relative address, percent-encoded; any other (``javascript:``, ``data:``...) leaves its text alone.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


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
class English:
    """An English run inside an Arabic page: a translation, a note the data holds in English only."""

    text: str


@dataclass(frozen=True)
class Ids:
    """Ids of facts, derived figures, events, sources...: links to their pages when the renderer is given links."""

    ids: tuple[str, ...]


Inline = str | Code | Arabic | English | Link | Strong | Ids
Links = Callable[[str], str | None]
"""The address of an id's page relative to the page being rendered, or None when it has no page."""
Cell = Inline | list[Inline]


@dataclass
class Heading:
    level: int
    text: str
    anchor: str


@dataclass
class Para:
    parts: list[Inline]
    lang: str = ""  # HTML only: a paragraph in another language than its page's (``en`` or ``ar``)
    style: str = ""  # HTML only: ``cite`` for the attribution line


@dataclass
class Bullets:
    items: list[list[Inline]]


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    rtl_columns: set[int] = field(default_factory=set)
    ltr_columns: set[int] = field(default_factory=set)
    row_attrs: list[dict[str, str]] | None = None  # HTML only: data-* attributes of each row (names are ours)
    table_id: str = ""


@dataclass
class Figure:
    entry: dict[str, Any]


@dataclass
class Quote:
    """A verbatim Arabic quote with its translation and where it comes from."""

    arabic: str
    translation: str
    translation_label: str
    cite: list[Inline] = field(default_factory=list)


@dataclass
class Fields:
    """Named values of one record, as a description list."""

    items: list[tuple[str, Cell]]


@dataclass
class Chart:
    """A chart embedded as its SVG (links inside work) with the PNG as fallback, and its long description."""

    svg: str  # addresses relative to the page
    png: str
    width: int
    height: int
    alt: str
    title: str
    anchor: str
    description: str
    description_label: str
    lang: str
    links: list[Inline] = field(default_factory=list)


Block = Heading | Para | Bullets | Table | Figure | Quote | Fields | Chart


def _parts(cell: Cell) -> list[Inline]:
    return cell if isinstance(cell, list) else [cell]


LINE_BREAK = re.compile(r"\r\n|[\r\n]")
MD_SPECIAL = re.compile(r"([\\`*_\[\]~$])")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
SCHEMES = frozenset({"http", "https", "mailto"})
URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"  # kept as they are in an address; anything else is percent-encoded
URL_STRIPPED = "".join(map(chr, range(0x21)))  # C0 controls and space, which browsers strip from an address's ends


def _md_escape(text: str) -> str:
    """``text`` with the characters that start Markdown inline syntax backslash-escaped, line breaks as spaces."""
    return MD_SPECIAL.sub(r"\\\1", LINE_BREAK.sub(" ", text))


def _md_text(text: str) -> str:
    """``text`` as Markdown text: inline syntax escaped, ``<`` and ``>`` as entities (no raw HTML)."""
    return _md_escape(text).replace("<", "&lt;").replace(">", "&gt;")


def _md_code(text: str) -> str:
    """A code span holding ``text`` exactly: fenced with more backticks than any run inside, padded where needed."""
    text = LINE_BREAK.sub(" ", text)
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip())
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"


def safe_href(href: str) -> str | None:
    """``href`` percent-encoded, or None unless it is a web (http, https), mail or relative address.

    Tabs and line breaks are dropped and the ends stripped first, as browsers do, so ``java\\tscript:`` is refused.
    """
    url = urllib.parse.quote(re.sub(r"[\t\n\r]", "", href).strip(URL_STRIPPED), safe=URL_SAFE)
    scheme = SCHEME.match(url)
    if not url or (scheme is not None and scheme.group(1).lower() not in SCHEMES):
        return None
    return url


def _md_inline(part: Inline, links: Links | None = None) -> str:
    if isinstance(part, Ids):
        out = []
        for i in part.ids:
            href = safe_href(links(i) or "") if links else None
            out.append(f"[{_md_code(i)}]({href})" if href else _md_code(i))
        return " ".join(out)
    if isinstance(part, Code):
        return _md_code(part.text)
    if isinstance(part, Arabic):
        return f'<span dir="rtl" lang="ar">{_md_escape(html.escape(part.text))}</span>'
    if isinstance(part, English):
        return _md_text(part.text)
    if isinstance(part, Link):
        href = safe_href(part.href)
        return f"[{_md_text(part.text)}]({href})" if href else _md_text(part.text)
    if isinstance(part, Strong):
        return f"**{_md_text(part.text)}**"
    return _md_text(part)


def _md_parts(parts: Iterable[Inline], links: Links | None) -> str:
    return "".join(_md_inline(p, links) for p in parts)


def render_markdown(blocks: Iterable[Block], links: Links | None = None) -> str:
    """GitHub-flavoured Markdown; with ``links``, ids link to their pages."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {_md_text(block.text)}")
        elif isinstance(block, Para):
            out.append(_md_parts(block.parts, links))
        elif isinstance(block, Bullets):
            out.append("\n".join("- " + _md_parts(item, links) for item in block.items))
        elif isinstance(block, Table):
            lines = ["| " + " | ".join(_md_text(h) for h in block.header) + " |"]
            lines.append("|" + "|".join("---" for _ in block.header) + "|")
            for row in block.rows:
                cells = [_md_parts(_parts(c), links).replace("|", "\\|").replace("\n", " ") for c in row]
                lines.append("| " + " | ".join(cells) + " |")
            out.append("\n".join(lines))
        elif isinstance(block, Figure):
            e = block.entry
            attrs = ' dir="rtl" lang="ar"' if e["lang"] == "ar" else ""
            svg, png, alt = (html.escape(e[k]) for k in ("svg", "png", "alt"))
            out.append(f'<p{attrs}><a href="charts/{svg}"><img src="charts/{png}" width="800" alt="{alt}"></a></p>')
        elif isinstance(block, Quote):
            out.append(f'> <span dir="rtl" lang="ar">{_md_escape(html.escape(block.arabic))}</span>')
            out.append(f"{_md_text(block.translation_label)}: {_md_text(block.translation)}")
        elif isinstance(block, Fields):
            out.append("\n".join(f"- {_md_text(k)}: {_md_parts(_parts(v), links)}" for k, v in block.items))
        elif isinstance(block, Chart):
            out.append(f"[{_md_text(block.title)}]({safe_href(block.svg) or ''})")
    return "\n\n".join(out) + "\n"


def _html_inline(part: Inline, links: Links | None = None) -> str:
    if isinstance(part, Ids):
        out = []
        for i in part.ids:
            href = safe_href(links(i) or "") if links else None
            text = html.escape(i)
            out.append(f'<a class="fid" href="{html.escape(href)}">{text}</a>' if href else f"<code>{text}</code>")
        return " ".join(out)
    if isinstance(part, Code):
        return f"<code>{html.escape(part.text)}</code>"
    if isinstance(part, Arabic):
        return f'<span dir="rtl" lang="ar">{html.escape(part.text)}</span>'
    if isinstance(part, English):
        return f'<span dir="ltr" lang="en">{html.escape(part.text)}</span>'
    if isinstance(part, Link):
        href = safe_href(part.href)
        return f'<a href="{html.escape(href)}">{html.escape(part.text)}</a>' if href else html.escape(part.text)
    if isinstance(part, Strong):
        return f"<strong>{html.escape(part.text)}</strong>"
    return html.escape(part)


def _html_parts(parts: Iterable[Inline], links: Links | None) -> str:
    return "".join(_html_inline(p, links) for p in parts)


LANG_ATTRS = {"ar": ' dir="rtl" lang="ar"', "en": ' dir="ltr" lang="en"'}
ATTR_NAME = re.compile(r"[a-z][a-z0-9-]*")


def _html_table(block: Table, links: Links | None) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in block.header)
    rows = []
    for n, row in enumerate(block.rows):
        cells = []
        for i, cell in enumerate(row):
            attrs = LANG_ATTRS["ar"] if i in block.rtl_columns else LANG_ATTRS["en"] if i in block.ltr_columns else ""
            cells.append(f"<td{attrs}>{_html_parts(_parts(cell), links)}</td>")
        extra = block.row_attrs[n] if block.row_attrs else {}
        attrs = "".join(
            f' data-{name}="{html.escape(value)}"' for name, value in extra.items() if ATTR_NAME.fullmatch(name)
        )
        rows.append(f"<tr{attrs}>" + "".join(cells) + "</tr>")
    table_id = f' id="{html.escape(block.table_id)}"' if block.table_id else ""
    return (
        f'<div class="scroll"><table{table_id}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table></div>"
    )


def _html_chart(c: Chart) -> str:
    lang = LANG_ATTRS.get(c.lang, "")
    anchor, desc = html.escape(c.anchor), html.escape(f"{c.anchor}-description")
    return (
        f'<figure class="chart" id="{anchor}"{lang}>'
        f'<object type="image/svg+xml" data="{html.escape(safe_href(c.svg) or "")}" '
        f'width="{c.width}" height="{c.height}" aria-describedby="{desc}">'
        f'<img src="{html.escape(safe_href(c.png) or "")}" width="{c.width}" height="{c.height}" '
        f'alt="{html.escape(c.alt)}"></object>'
        f"<figcaption>{_html_parts(c.links, None)}</figcaption>"
        f'<details id="{desc}"><summary>{html.escape(c.description_label)}</summary>'
        f"<p>{html.escape(c.description)}</p></details></figure>"
    )


def render_body(blocks: Iterable[Block], links: Links | None = None) -> str:
    """The blocks as HTML, everything escaped; with ``links``, ids are ``<a class="fid">`` links to their pages."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = f' id="{html.escape(block.anchor)}"' if block.anchor else ""
            body.append(f"<h{block.level}{anchor}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            text = _html_parts(block.parts, links)
            cite = block.style == "cite" or (block.parts and block.parts[0] == Strong("Attribution:"))
            cls = ' class="cite"' if cite else ""
            body.append(f"<p{cls}{LANG_ATTRS.get(block.lang, '')}>{text}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_html_parts(item, links)}</li>" for item in block.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            body.append(_html_table(block, links))
        elif isinstance(block, Quote):
            cite = f'<p class="source">{_html_parts(block.cite, links)}</p>' if block.cite else ""
            body.append(
                f'<blockquote class="quote" lang="ar" dir="rtl"><p>{html.escape(block.arabic)}</p></blockquote>'
                f'<p class="translation"><strong>{html.escape(block.translation_label)}:</strong> '
                f'<span lang="en" dir="ltr">{html.escape(block.translation)}</span></p>{cite}'
            )
        elif isinstance(block, Fields):
            items = "".join(
                f"<dt>{html.escape(k)}</dt><dd>{_html_parts(_parts(v), links)}</dd>" for k, v in block.items
            )
            body.append(f'<dl class="fields">{items}</dl>')
        elif isinstance(block, Chart):
            body.append(_html_chart(block))
        elif isinstance(block, Figure):
            e = block.entry
            attrs = ' dir="rtl" lang="ar"' if e["lang"] == "ar" else ' lang="en"'
            svg_text = "SVG" if e["lang"] == "en" else "نسخة SVG"
            ids = " ".join([*e["fact_ids"], *e["derived_ids"], *e["event_ids"]])
            body.append(
                f"<figure{attrs}>"
                f'<img src="charts/{html.escape(e["png"])}" width="{html.escape(str(e["width"]))}" '
                f'height="{html.escape(str(e["height"]))}" '
                f'alt="{html.escape(e["alt"])}">'
                f"<figcaption>{html.escape(e['title'])} · "
                f'<a href="charts/{html.escape(e["svg"])}">{svg_text}</a> · '
                f'<bdi dir="ltr">{html.escape(ids)}</bdi></figcaption></figure>'
            )
    return "\n".join(body)


def render_html(blocks: Iterable[Block], title: str, links: Links | None = None) -> str:
    """A minimal standalone page of the blocks (the site's pages are framed by :mod:`.site`)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<main>\n"
        + render_body(blocks, links)
        + "\n</main>\n</body>\n</html>\n"
    )
