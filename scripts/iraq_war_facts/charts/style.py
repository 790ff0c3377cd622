"""The one look of every chart: size, Okabe–Ito colours, fonts, title block, footer and reproducible saving."""

from __future__ import annotations

import contextlib
import html
import io
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

from iraq_war_facts.analysis import Analysis
from iraq_war_facts.wording import format_date

WIDTH_IN, HEIGHT_IN, DPI = 16, 9, 100
POINT = 72 / DPI  # points per pixel: offsets are measured in pixels and given in points, the same in SVG and PNG
LANGS = ("en", "ar")

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#6E6E6E"
LIGHT = "#D9D9D9"
INK = "#1A1A1A"
ID_COLOUR = "#707070"  # fact ids: lighter than the figures they label, still 4.9:1 on white
# The font the charts are drawn in, then what a viewer without it should use (Verdana and Bitstream Vera share its
# metrics; Noto Sans Arabic and Tahoma carry Arabic).
FONT_STACK = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, 'Noto Sans', 'Noto Sans Arabic', Tahoma, sans-serif"
PARTY_COLOURS = {
    "us": OKABE_ITO["blue"],
    "uk": OKABE_ITO["vermillion"],
    "coalition": OKABE_ITO["orange"],
    "coalition_other": OKABE_ITO["reddish_purple"],
    "iraq_forces": OKABE_ITO["bluish_green"],
    "iraqis": OKABE_ITO["bluish_green"],
    "iraq_civilians": OKABE_ITO["sky_blue"],
    "iraq_militias": OKABE_ITO["black"],
}


def ink(colour: str) -> str:
    """A darker shade of ``colour`` for text on white (the light Okabe–Ito hues are too faint for small type)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(int(c * 0.62) for c in (r, g, b)))


RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 13,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "grid.color": LIGHT,
    "grid.linewidth": 0.8,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.frameon": False,
    "text.color": INK,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    # unhinted glyph metrics: what matplotlib measures is what a browser draws from the SVG's text (within 0.1 px)
    "text.hinting": "no_hinting",
    "text.parse_math": False,  # "$802 billion ... $3 trillion" is money, not mathtext
    "svg.fonttype": "none",  # text stays text: selectable, translatable, found by search
    "svg.hashsalt": "iraq-war-facts",
    "svg.id": None,
    "path.simplify": True,
}
AXES_RECT = (0.07, 0.2, 0.88, 0.6)  # left, bottom, width, height of the plotting area
MARGIN = 0.035  # left and right margin of the title block and footer, in figure fraction
SEPARATORS = ("; ", "؛ ")  # where a footer line may wrap
FOOTER_Y = 0.018  # baseline of the lowest footer line, in figure fraction
LINE_H = 0.0205  # height of one footer line, in figure fraction


@contextlib.contextmanager
def context() -> Iterator[None]:
    """rcParams for drawing and saving; restored afterwards."""
    with mpl.rc_context(RC):
        yield


def tr(lang: str, en: str, ar: str) -> str:
    """Pick the English or Arabic wording."""
    return ar if lang == "ar" else en


def is_rtl(lang: str) -> bool:
    return lang == "ar"


@dataclass
class Drawn:
    """A finished chart: the figure and what the index says about it."""

    name: str
    lang: str
    fig: Figure
    title: str
    alt: str
    fact_ids: list[str]
    event_ids: list[str] = field(default_factory=list)
    derived_ids: list[str] = field(default_factory=list)
    rights: str = ""
    description: str = ""  # the long description, when the alt text (at most 250 characters) cannot say it all


def source_phrase(data: Analysis, source_id: str, lang: str) -> str:
    """``src-002 (Sky News Arabia, Dec 2021)``: publisher and date as far as the sources table knows them."""
    sources = data.table("sources")
    rows = sources.filter(sources["source_id"] == source_id).to_dicts() if not sources.is_empty() else []
    if not rows:
        return source_id
    row = rows[0]
    publisher = row.get("publisher") or tr(lang, "publisher unknown", "الناشر غير معروف")
    if row.get("published") is not None:
        when = format_date(row["published"], row.get("published_precision"), lang)
    elif row.get("published_not_before") is not None:
        day = format_date(row["published_not_before"], "day", lang)
        when = tr(lang, f"{day} or later", f"{day} أو بعده")
    else:
        when = tr(lang, "date unknown", "التاريخ غير معروف")
    sep = tr(lang, ", ", "، ")
    return f"{source_id} ({publisher}{sep}{when})"


def footer_lines(data: Analysis, facts: Iterable[dict], lang: str, extra_sources: Sequence[str] = ()) -> list[str]:
    """Footer text: the sources drawn and whom they credit."""
    rows = list(facts)
    source_ids = sorted({r["source_id"] for r in rows} | set(extra_sources))
    credited = sorted({r["attributed_to"] for r in rows if r.get("attributed_to")}, key=lambda c: (c == "article", c))
    sep = tr(lang, "; ", "؛ ")
    sources = sep.join(source_phrase(data, s, lang) for s in source_ids)
    credits = sep.join(data.label(c, lang) for c in credited)
    return [
        tr(lang, f"Sources: {sources}.", f"المصادر: {sources}."),
        tr(lang, f"Figures credited to: {credits}.", f"الأرقام منسوبة إلى: {credits}."),
    ]


def links(data: Analysis, lang: str) -> dict[str, str]:
    """Page of every id a chart may draw, relative to the charts folder, in the chart's language.

    Facts, derived figures and events have a page under ``fact/``, sources under ``source/``; the Arabic edition
    lives under ``ar/``.
    """
    edition = "../ar/" if is_rtl(lang) else "../"
    pages = [*data.by_id, *data.derived_by_id]
    events = data.table("events")
    if "event_id" in events.columns:
        pages += events["event_id"].to_list()
    out = {ident: f"{edition}fact/{ident}.html" for ident in pages}
    sources = data.table("sources")
    if "source_id" in sources.columns:
        out |= {ident: f"{edition}source/{ident}.html" for ident in sources["source_id"].to_list()}
    return out


_TOKEN = re.compile(r"([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)")  # a hyphenated word: a candidate id
RLM, LRM = "\u200f", "\u200e"


def strong(text: str) -> str:
    """Direction of the first strongly directional character: ``R`` (Arabic, Hebrew, RLM), ``L`` or ``N`` (none)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "N"


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


@dataclass
class Segment:
    """A piece of one line: text, or an id with the page it links to; ``space`` when a blank follows it."""

    text: str
    url: str | None = None
    space: bool = False


def segments(line: str, urls: Mapping[str, str]) -> list[Segment]:
    """``line`` cut into text and the ids of ``urls`` (blanks at the cuts recorded, not kept)."""
    out: list[Segment] = []
    buffer = ""

    def flush(buffer: str) -> None:
        if out and buffer[:1].isspace():
            out[-1].space = True
        if buffer.strip():
            out.append(Segment(buffer.strip(), None, buffer[-1:].isspace()))

    for i, part in enumerate(_TOKEN.split(line)):
        if i % 2 and part in urls:
            flush(buffer)
            out.append(Segment(part, urls[part]))
            buffer = ""
        else:
            buffer += part
    flush(buffer)
    return out


def visual_order(items: list[Segment], rtl: bool) -> list[Segment]:
    """Segments from left to right as a reader of ``rtl`` text expects them, with the marks each needs.

    A line without Arabic reads left to right, as a browser's first-strong rule would have it. In a line with Arabic,
    runs that go from a Latin segment to a Latin one (ids and the numbers and signs between them, as in
    ``DRV-0001 = CAS-0004 + CAS-0011``) read left to right as one block; the blocks and the Arabic segments are
    placed from the right. Each Arabic or neutral segment outside a block starts with a right-to-left mark, each
    neutral segment inside one with a left-to-right mark, so that matplotlib and a browser order the characters of
    every segment the same way.
    """
    if not rtl or not any(_has_rtl(seg.text) for seg in items):
        return list(items)  # a line without Arabic (a formula, a figure and its id) reads left to right
    kinds = ["R" if _has_rtl(seg.text) else strong(seg.text) for seg in items]
    groups: list[list[int]] = []
    i = 0
    while i < len(items):
        if kinds[i] == "L":
            j = i
            k = i + 1
            while k < len(items) and kinds[k] != "R":
                if kinds[k] == "L":
                    j = k
                k += 1
            groups.append(list(range(i, j + 1)))
            i = j + 1
        else:
            groups.append([i])
            i += 1
    out = []
    for g in range(len(groups) - 1, -1, -1):
        group = groups[g]
        block = len(group) > 1 or kinds[group[0]] == "L"
        for pos, idx in enumerate(group):
            text = items[idx].text
            if not block and strong(text) != "R":
                text = RLM + text
            elif block and kinds[idx] == "N":
                text = LRM + text
            last = pos == len(group) - 1
            # the blank after a segment on screen: inside a block the logical one; after a block or segment, the one
            # logically before it (the group to its left on screen follows it in reading order)
            space = items[idx].space if not last else (g > 0 and items[groups[g - 1][-1]].space)
            out.append(Segment(text, items[idx].url, bool(space)))
    return out


@dataclass
class Placed:
    """Texts drawn by :func:`rich`, and their extent in pixels around the anchor (left, bottom, right, top)."""

    texts: list[Text]
    box: tuple[float, float, float, float]


def rich(
    target: Axes | Figure,
    xy: tuple[float, float],
    text: str,
    urls: Mapping[str, str],
    lang: str,
    *,
    xycoords: Any = "data",
    offset: tuple[float, float] = (0.0, 0.0),
    ha: str = "left",
    va: str = "center",
    fontsize: float = 11.5,
    color: str = INK,
    fontweight: str = "normal",
    linespacing: float = 1.3,
    id_color: str = ID_COLOUR,
    background: bool = False,
    zorder: float = 3,
) -> Placed:
    """Draw ``text`` (lines apart by newlines) at ``xy`` + ``offset`` pixels; every id of ``urls`` in it is a link.

    Offsets are computed in pixels of the PNG and written in points, so that the SVG (72 dpi) keeps the layout.

    Ids are drawn apart from the text around them, in ``id_color`` and normal weight, each linked to its page; in
    right-to-left charts the pieces of a line are laid out from the right (:func:`visual_order`). Each line is
    aligned on its own by ``ha``; ``va`` places the block.
    """
    fig = target if isinstance(target, Figure) else target.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    rtl = is_rtl(lang)
    lines = [visual_order(segments(line, urls), rtl) for line in text.split("\n")]
    height = _measure(fig, "lp", fontsize, fontweight, renderer)[1]
    step = height * linespacing
    space = (
        _measure(fig, "a a", fontsize, fontweight, renderer)[0] - _measure(fig, "aa", fontsize, fontweight, renderer)[0]
    )
    n = len(lines)
    top = {"top": 0.0, "center": (height + (n - 1) * step) / 2, "bottom": height + (n - 1) * step}.get(va, 0.0)
    texts: list[Text] = []
    box = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    for row, line in enumerate(lines):
        weights = [fontweight if seg.url is None else "normal" for seg in line]
        widths = [_measure(fig, seg.text, fontsize, w, renderer)[0] for seg, w in zip(line, weights, strict=True)]
        gaps = [space if seg.space else 0.0 for seg in line[:-1]]
        total = sum(widths) + sum(gaps)
        x = {"left": 0.0, "center": -total / 2, "right": -total}[ha] + offset[0]
        y = offset[1] + top - height / 2 - row * step
        for k, (seg, width, weight) in enumerate(zip(line, widths, weights, strict=True)):
            kwargs = {
                "xy": xy,
                "xycoords": xycoords,
                # anchored on the side the line is aligned to, so that a viewer's other font keeps that edge
                "xytext": ((x + width if ha == "right" else x) * POINT, y * POINT),
                "textcoords": "offset points",
                "ha": "right" if ha == "right" else "left",
                "va": "center",
                "fontsize": fontsize,
                "fontweight": weight,
                "color": color if seg.url is None else id_color,
                "annotation_clip": False,
                "zorder": zorder,
            }
            if background:
                kwargs["bbox"] = {
                    "boxstyle": "square,pad=0.12",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.85,
                }
            if isinstance(target, Figure):
                label = Annotation(seg.text, **kwargs)
                target.add_artist(label)
            else:
                label = target.annotate(seg.text, **kwargs)
            if seg.url is not None:
                label.set_url(seg.url)
            texts.append(label)
            box = [min(box[0], x), min(box[1], y - height / 2), max(box[2], x + width), max(box[3], y + height / 2)]
            x += width + (gaps[k] if k < len(gaps) else 0.0)
    return Placed(texts, (box[0], box[1], box[2], box[3]))


def _measure(fig: Figure, text: str, fontsize: float, weight: str, renderer: Any) -> tuple[float, float]:
    probe = fig.text(0, 0, text, fontsize=fontsize, fontweight=weight)
    ext = probe.get_window_extent(renderer=renderer)
    probe.remove()
    return float(ext.width), float(ext.height)


def wrap(fig: Figure, text: str, width_px: float, fontsize: float, separators: Sequence[str]) -> list[str]:
    """``text`` in lines of at most ``width_px``, cut after a separator (``; ``), else at a blank outside brackets."""
    pieces = [text]
    for sep in separators:
        pieces = [p for piece in pieces for p in _cut_after(piece, sep)]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]

    def fits(line: str) -> bool:
        return _measure(fig, line, fontsize, "normal", renderer)[0] <= width_px

    lines: list[str] = []
    for piece in pieces:
        for part in [piece] if fits(piece) else _words_outside_brackets(piece):
            if lines and fits(lines[-1] + part):
                lines[-1] += part
            else:
                lines.append(part)
    return [line.strip() for line in lines if line.strip()]


def _cut_after(text: str, sep: str) -> list[str]:
    parts = text.split(sep)
    return [p + sep for p in parts[:-1]] + [parts[-1]]


def _words_outside_brackets(text: str) -> list[str]:
    """Words, a bracketed group kept whole: ``src-001 (publisher unknown, 2016)`` never breaks inside the brackets."""
    out, depth, word = [], 0, ""
    for ch in text:
        word += ch
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == " " and depth <= 0:
            out.append(word)
            word = ""
    return [*out, word] if word else out


def licence_line(data: Analysis) -> str:
    return f"{data.licence} · {data.name} v{data.version}"


def new_chart(
    data: Analysis,
    lang: str,
    title: str,
    subtitle: str,
    footer: Sequence[str],
    rect: Sequence[float] = AXES_RECT,
) -> tuple[Figure, Axes]:
    """A 16x9 in figure with title, subtitle, footer and licence line, and one axes at ``rect``."""
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)  # a renderer, so text can be measured while laying out
    rtl = is_rtl(lang)
    x, ha = (0.965, "right") if rtl else (0.035, "left")
    fig.text(x, 0.955, title, ha=ha, va="top", fontsize=23, fontweight="bold", color=INK)
    sub = "\n".join(textwrap.wrap(subtitle, 150, break_on_hyphens=False))
    fig.text(x, 0.895, sub, ha=ha, va="top", fontsize=14, color="#333333", linespacing=1.35)
    lines: list[str] = []
    for line in footer:
        lines += wrap(fig, line, (1 - 2 * MARGIN) * WIDTH_IN * DPI, 10.5, SEPARATORS)
    small = {"va": "bottom", "fontsize": 10.5, "color": "#444444"}
    rich(fig, (x, FOOTER_Y), "\n".join(lines), links(data, lang), lang, xycoords="figure fraction", ha=ha, **small)
    top = FOOTER_Y + LINE_H * len(lines)
    fig.text(x, top, licence_line(data), ha=ha, fontweight="bold", **small)
    note = tr(lang, "Figures are claims as stated by their sources.", "الأرقام ادعاءات كما ذكرتها مصادرها.")
    fig.text(1 - x, top, note, ha="left" if rtl else "right", **small)
    ax = fig.add_axes(tuple(rect))
    return fig, ax


def mirror(ax: Axes, lang: str) -> None:
    """Arabic layout for category charts: labels on the right, values growing leftwards."""
    if not is_rtl(lang):
        return
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    ax.spines["right"].set_visible(True)
    ax.spines["left"].set_visible(False)
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = ax.get_yticklabels()
    widest = max((lab.get_window_extent(renderer=renderer).width for lab in labels if lab.get_text()), default=0.0)
    for lab in labels:
        lab.set_horizontalalignment("right")
        lab.set_multialignment("right")
    ax.tick_params(axis="y", pad=widest * 72 / DPI + 4)


def _svg_with_title(svg: str, title: str, alt: str, lang: str) -> str:
    """Make the root a document in ``lang`` with a <title> (matplotlib writes it from the metadata) and a <desc>."""
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    root = svg[start:end]
    if "xml:lang" not in root:
        root = root[:-1] + f' xml:lang="{lang}" text-rendering="geometricPrecision">'
    rest = svg[end:]
    head = f"\n <title>{escape(title)}</title>"
    if rest.lstrip().startswith("<title>"):
        close = rest.index("</title>") + len("</title>")
        head, rest = rest[:close], rest[close:]
    return svg[:start] + root + head + f"\n <desc>{escape(alt)}</desc>" + rest


_SVG_TEXT = re.compile(r'<text style="([^"]*)"([^>]*)>([^<]*)</text>')
_ANCHORS = {"start": "end", "end": "start", "middle": "middle"}


def _svg_text(match: re.Match[str]) -> str:
    """One <text>: the font stack, and right to left when its first strong character is (anchors swapped to match)."""
    style, attrs, content = match.groups()
    style = re.sub(r"font-family: [^;]*", f"font-family: {FONT_STACK}", style)
    if strong(html.unescape(content)) == "R":
        if "text-anchor" in style:
            style = re.sub(r"text-anchor: (\w+)", lambda m: f"text-anchor: {_ANCHORS[m.group(1)]}", style)
        else:  # a line of a multi-line text, placed by its left edge
            style += "; text-anchor: end"
        style += "; direction: rtl"
    return f'<text style="{style}"{attrs}>{content}</text>'


def finish_svg(svg: str) -> str:
    """matplotlib's SVG made fit for the web edition, deterministically.

    Links open in the page that embeds the chart (``target="_top"``, matplotlib writes ``_blank``); each text
    names the font with fallbacks; a text whose first strong character is right to left (Arabic, or the mark
    :func:`visual_order` puts first) gets ``direction: rtl``, as matplotlib's own layout read it, with its anchor
    swapped so that it stays where matplotlib placed it.
    """
    svg = svg.replace(' target="_blank"', ' target="_top"')
    return _SVG_TEXT.sub(_svg_text, svg)


def save(drawn: Drawn, directory: Path) -> list[Path]:
    """Write ``<name>-<lang>.svg`` and ``.png`` at the fixed size, with the description embedded, reproducibly."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{drawn.name}-{drawn.lang}"
    described = drawn.description or drawn.alt
    meta_common = {"Title": drawn.title, "Description": described}
    buf = io.BytesIO()
    drawn.fig.savefig(
        buf,
        format="svg",
        dpi=DPI,
        metadata={**meta_common, "Date": None, "Creator": None, "Language": drawn.lang, "Rights": drawn.rights},
    )
    svg = finish_svg(_svg_with_title(buf.getvalue().decode("utf-8"), drawn.title, described, drawn.lang))
    svg_path = directory / f"{stem}.svg"
    svg_path.write_text(svg, "utf-8")
    png_path = directory / f"{stem}.png"
    drawn.fig.savefig(png_path, format="png", dpi=DPI, metadata={**meta_common, "Software": None})
    return [svg_path, png_path]


@dataclass
class Label:
    """A text beside a data point (``x`` in axis units: dates as ``date2num``).

    ``side``: left, right, above, below, or ``offset`` to put the text's anchor ``offset`` pixels from the point.
    """

    x: float
    y: float
    text: str
    side: str = "right"
    colour: str = INK
    fontsize: float = 11.5
    offset: tuple[float, float] = (0.0, 0.0)
    ha: str = "left"


def place_labels(
    ax: Axes, labels: Sequence[Label], urls: Mapping[str, str], lang: str, gap_px: float = 19.0, pad_px: float = 16.0
) -> list[Placed]:
    """Draw labels beside their points, their ids linked; labels on one left/right side are pushed apart.

    Labels pushed off their point stand in one column with the labels they were pushed by (right-aligned at the
    leftmost point of the group for the left side), and a leader line runs from the label's edge to its point through
    the gap between that column and the points, where no label of the group stands.
    """
    to_px = ax.transData.transform
    drawn: list[Placed] = []
    for side in ("left", "right", "above", "below", "offset"):
        mine = sorted((lb for lb in labels if lb.side == side), key=lambda lb: -to_px((lb.x, lb.y))[1])
        placed: list[tuple[Label, float, float, float]] = []  # label, point x and y, text y (pixels)
        clusters: list[list[int]] = []
        for lab in mine:
            px, py = (float(v) for v in to_px((lab.x, lab.y)))
            ty = py + {"above": pad_px, "below": -pad_px, "offset": lab.offset[1]}.get(side, 0.0)
            if placed and side in ("left", "right") and ty > placed[-1][3] - gap_px:
                ty = placed[-1][3] - gap_px
                clusters[-1].append(len(placed))
            else:
                clusters.append([len(placed)])
            placed.append((lab, px, py, ty))
        for cluster in clusters:
            xs = [placed[i][1] for i in cluster]
            column = min(xs) - pad_px if side == "left" else max(xs) + pad_px
            for i in cluster:
                lab, px, py, ty = placed[i]
                if side in ("left", "right"):
                    dx, ha, va = column - px, "right" if side == "left" else "left", "center"
                else:
                    dx = lab.offset[0] if side == "offset" else 0.0
                    ha = lab.ha if side == "offset" else "center"
                    va = {"above": "bottom", "below": "top"}.get(side, "center")
                drawn.append(
                    rich(
                        ax,
                        (lab.x, lab.y),
                        lab.text,
                        urls,
                        lang,
                        offset=(dx, ty - py),
                        ha=ha,
                        va=va,
                        fontsize=lab.fontsize,
                        color=ink(lab.colour),
                        background=True,
                        zorder=5,
                    )
                )
                if side in ("left", "right") and (abs(ty - py) > 2 or abs(abs(dx) - pad_px) > 2):
                    ax.annotate(
                        "",
                        xy=(lab.x, lab.y),
                        xytext=(dx * POINT, (ty - py) * POINT),
                        textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "lw": 0.7, "color": GREY, "shrinkA": 0, "shrinkB": 9},
                        annotation_clip=False,
                        zorder=4,
                    )
    return drawn


def text_width_px(fig: Figure, text: str, fontsize: float) -> float:
    """Width of ``text`` at ``fontsize`` in pixels."""
    probe = fig.text(0, 0, text, fontsize=fontsize)
    width = probe.get_window_extent(renderer=fig.canvas.get_renderer()).width  # type: ignore[attr-defined]
    probe.remove()
    return float(width)


PANEL_WIDTH = 0.2  # figure fraction of the side panel holding the legend and notes


def panel_layout(lang: str, label_width: float, top: float = 0.8, bottom: float = 0.2) -> tuple[tuple, float]:
    """Axes rect and side-panel edge for a category chart: labels, bars, then the panel (mirrored in Arabic)."""
    margin, gap = 0.035, 0.04
    width = 1 - 2 * margin - label_width - PANEL_WIDTH - gap
    if is_rtl(lang):
        return (margin + PANEL_WIDTH + gap, bottom, width, top - bottom), margin
    return (margin + label_width, bottom, width, top - bottom), 1 - margin


def side_panel(
    fig: Figure,
    lang: str,
    edge: float,
    handles: Sequence,
    heading: str,
    notes: Sequence[str],
    top: float = 0.8,
    urls: Mapping[str, str] | None = None,
) -> None:
    """Legend at the top of the side panel, then a heading and notes, each line wrapped to the panel's width."""
    rtl = is_rtl(lang)
    x = edge + PANEL_WIDTH if rtl else edge - PANEL_WIDTH
    legend = fig.legend(
        handles=handles,
        loc="upper right" if rtl else "upper left",
        bbox_to_anchor=(x, top),
        markerfirst=not rtl,
        fontsize=12,
        borderaxespad=0,
        borderpad=0,
        alignment="right" if rtl else "left",
    )
    if not notes:
        return
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = legend.get_window_extent(renderer=renderer).transformed(fig.transFigure.inverted())
    ha = "right" if rtl else "left"
    y = box.y0 - 0.045
    fig.text(x, y, heading, ha=ha, va="top", fontsize=12, fontweight="bold")
    width = PANEL_WIDTH * WIDTH_IN * DPI
    blocks = ["\n".join(w for line in note.split("\n") for w in wrap(fig, line, width, 11, ())) for note in notes]
    text = "\n\n".join(blocks)
    style = {"ha": ha, "va": "top", "fontsize": 11, "linespacing": 1.25, "color": "#333333"}
    rich(fig, (x, y - 0.035), text, urls or {}, lang, xycoords="figure fraction", **style)
