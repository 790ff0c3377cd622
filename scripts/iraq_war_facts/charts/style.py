"""The one look of every chart: size, Okabe–Ito colours, fonts, title block, footer and reproducible saving."""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from iraq_war_facts.analysis import Analysis
from iraq_war_facts.wording import format_date

WIDTH_IN, HEIGHT_IN, DPI = 16, 9, 100
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
    "text.parse_math": False,  # "$802 billion ... $3 trillion" is money, not mathtext
    "svg.fonttype": "path",
    "svg.hashsalt": "iraq-war-facts",
    "svg.id": None,
    "path.simplify": True,
}
AXES_RECT = (0.07, 0.2, 0.88, 0.6)  # left, bottom, width, height of the plotting area
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
        lines += textwrap.wrap(line, 190, break_on_hyphens=False)
    small = {"va": "bottom", "fontsize": 10.5, "color": "#444444"}
    fig.text(x, FOOTER_Y, "\n".join(lines), ha=ha, linespacing=1.3, **small)
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
    """Make the root an image in ``lang`` with a <title> (matplotlib writes it from the metadata) and a <desc>."""
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    root = svg[start:end]
    if "xml:lang" not in root:
        root = root[:-1] + f' xml:lang="{lang}" role="img">'
    rest = svg[end:]
    head = f"\n <title>{escape(title)}</title>"
    if rest.lstrip().startswith("<title>"):
        close = rest.index("</title>") + len("</title>")
        head, rest = rest[:close], rest[close:]
    return svg[:start] + root + head + f"\n <desc>{escape(alt)}</desc>" + rest


def save(drawn: Drawn, directory: Path) -> list[Path]:
    """Write ``<name>-<lang>.svg`` and ``.png`` at the fixed size, with the alt text embedded, reproducibly."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{drawn.name}-{drawn.lang}"
    meta_common = {"Title": drawn.title, "Description": drawn.alt}
    buf = io.BytesIO()
    drawn.fig.savefig(
        buf,
        format="svg",
        dpi=DPI,
        metadata={**meta_common, "Date": None, "Creator": None, "Language": drawn.lang, "Rights": drawn.rights},
    )
    svg_path = directory / f"{stem}.svg"
    svg_path.write_text(_svg_with_title(buf.getvalue().decode("utf-8"), drawn.title, drawn.alt, drawn.lang), "utf-8")
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


def place_labels(ax: Axes, labels: Sequence[Label], gap_px: float = 19.0, pad_px: float = 16.0) -> None:
    """Draw labels beside their points; labels on the same left/right side are pushed apart, with a leader line."""
    to_px = ax.transData.transform
    for side in ("left", "right", "above", "below", "offset"):
        placed: list[tuple[Label, float, float]] = []
        for lab in sorted((lb for lb in labels if lb.side == side), key=lambda lb: -to_px((lb.x, lb.y))[1]):
            py = float(to_px((lab.x, lab.y))[1])
            ty = py + {"above": pad_px, "below": -pad_px, "offset": lab.offset[1]}.get(side, 0.0)
            if placed and side in ("left", "right"):
                ty = min(ty, placed[-1][2] - gap_px)
            placed.append((lab, py, ty))
        for lab, py, ty in placed:
            moved = side in ("left", "right") and abs(ty - py) > 2
            ax.annotate(
                lab.text,
                xy=(lab.x, lab.y),
                xytext=({"left": -pad_px, "right": pad_px, "offset": lab.offset[0]}.get(side, 0.0), ty - py),
                textcoords="offset pixels",
                ha={"left": "right", "right": "left", "offset": lab.ha}.get(side, "center"),
                va={"above": "bottom", "below": "top"}.get(side, "center"),
                fontsize=lab.fontsize,
                color=ink(lab.colour),
                bbox={"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                arrowprops={"arrowstyle": "-", "lw": 0.7, "color": GREY, "shrinkA": 0, "shrinkB": 9} if moved else None,
                annotation_clip=False,
            )


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
    fig: Figure, lang: str, edge: float, handles: Sequence, heading: str, notes: Sequence[str], top: float = 0.8
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
    blocks = [
        "\n".join(w for line in note.split("\n") for w in textwrap.wrap(line, 40, break_on_hyphens=False))
        for note in notes
    ]
    fig.text(x, y - 0.035, "\n\n".join(blocks), ha=ha, va="top", fontsize=11, linespacing=1.25, color="#333333")
