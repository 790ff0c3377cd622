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
from collections.abc import Iterable
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


def _md_inline(part: Inline) -> str:
    if isinstance(part, Ids):
        return " ".join(_md_code(i) for i in part.ids)
    if isinstance(part, Code):
        return _md_code(part.text)
    if isinstance(part, Arabic):
        return f'<span dir="rtl" lang="ar">{_md_escape(html.escape(part.text))}</span>'
    if isinstance(part, Link):
        href = safe_href(part.href)
        return f"[{_md_text(part.text)}]({href})" if href else _md_text(part.text)
    if isinstance(part, Strong):
        return f"**{_md_text(part.text)}**"
    return _md_text(part)


def render_markdown(blocks: Iterable[Block]) -> str:
    """GitHub-flavoured Markdown."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {_md_text(block.text)}")
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
            svg, png, alt = (html.escape(e[k]) for k in ("svg", "png", "alt"))
            out.append(f'<p{attrs}><a href="charts/{svg}"><img src="charts/{png}" width="800" alt="{alt}"></a></p>')
    return "\n\n".join(out) + "\n"


def _html_inline(part: Inline) -> str:
    if isinstance(part, Ids):
        return " ".join(f"<code>{html.escape(i)}</code>" for i in part.ids)
    if isinstance(part, Code):
        return f"<code>{html.escape(part.text)}</code>"
    if isinstance(part, Arabic):
        return f'<span dir="rtl" lang="ar">{html.escape(part.text)}</span>'
    if isinstance(part, Link):
        href = safe_href(part.href)
        return f'<a href="{html.escape(href)}">{html.escape(part.text)}</a>' if href else html.escape(part.text)
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
            body.append(f'<h{block.level} id="{html.escape(block.anchor)}">{html.escape(block.text)}</h{block.level}>')
            if block.level == 1:
                items = "".join(f'<li><a href="#{html.escape(h.anchor)}">{html.escape(h.text)}</a></li>' for h in toc)
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
                f'<img src="charts/{html.escape(e["png"])}" width="{html.escape(str(e["width"]))}" '
                f'height="{html.escape(str(e["height"]))}" '
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
