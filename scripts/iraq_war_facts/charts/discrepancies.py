"""Where the sources disagree: each quantity stated more than once, its claims relative to the smallest one."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from iraq_war_facts.analysis import Analysis, ChartSpec
from iraq_war_facts.charts import style
from iraq_war_facts.charts.style import Drawn, tr
from iraq_war_facts.model import INDEFINITE, LOWER_BOUNDS
from iraq_war_facts.wording import format_number

SOURCE_COLOURS = (
    style.OKABE_ITO["orange"],
    style.OKABE_ITO["blue"],
    style.OKABE_ITO["bluish_green"],
    style.OKABE_ITO["vermillion"],
    style.OKABE_ITO["reddish_purple"],
    style.OKABE_ITO["sky_blue"],
    style.OKABE_ITO["yellow"],
    style.OKABE_ITO["black"],
)
DIMENSIONS_AR = {
    "date": "التاريخ",
    "scope": "النطاق",
    "estimator": "الجهة المقدِّرة",
    "claim type": "نوع الادعاء",
    "source": "المصدر",
    "qualifier": "الصيغة",
    "derived": "رقم مشتق",
}
# Where a fact id may go around its mark, in order of preference: (dx, dy) in pixels and alignment.
SPOTS = (
    (0.0, 10.0, "center", "bottom"),
    (0.0, -10.0, "center", "top"),
    (10.0, 0.0, "left", "center"),
    (-10.0, 0.0, "right", "center"),
    (0.0, 24.0, "center", "bottom"),
    (0.0, -24.0, "center", "top"),
)


ROW_HEIGHT = 0.075  # figure fraction per quantity drawn
TOP = 0.75  # top of the plotting area
LIST_FONT = 11.5


def draw(data: Analysis, spec: ChartSpec, lang: str) -> Drawn:
    """The discrepancy chart in ``lang``: genuine disagreements drawn, differences of scope or time listed below."""
    facts_frame = data.facts
    derived = data.derived
    table = data.discrepancies.to_dicts()
    apart = data.scope_differences.to_dicts()
    facts = {r["fact_id"]: r for r in facts_frame.iter_rows(named=True)}
    dvals = {r["derived_id"]: r for r in derived.iter_rows(named=True)}
    sources = sorted({facts[f]["source_id"] for row in table for f in row["fact_ids"].split()})
    colours = {s: SOURCE_COLOURS[i % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}
    every = table + apart
    used = sorted({f for row in every for f in row["fact_ids"].split()})
    used_derived = sorted({d for row in every for d in row["derived_ids"].split()})
    urls = style.links(data, lang)
    title = spec.title[lang]
    subtitle = spec.subtitle[lang]
    rtl = style.is_rtl(lang)
    height = min(0.5, ROW_HEIGHT * max(len(table), 1) + 0.05)
    rect = (0.2 if not rtl else 0.25, TOP - height, 0.54, height)
    fig, ax = style.new_chart(
        data, lang, title, subtitle, style.footer_lines(data, [facts[f] for f in used], lang), rect
    )
    ys = list(range(len(table)))[::-1]
    top_ratio = max((row["ratio"] or 1.0) for row in table) if table else 1.0
    xmax = max(top_ratio * 2.5, 3.0)
    ax.set_xscale("log")
    ax.set_xlim(0.8, xmax)
    ax.set_ylim(-0.7, max(len(table), 1) - 0.3)
    steps = [m * 10**k for k in range(0, 6) for m in (1, 2, 5) if m * 10**k <= xmax]
    ax.xaxis.set_major_locator(FixedLocator(steps))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.grid(axis="x")
    ticks = []
    points: list[tuple[float, float, str, str]] = []
    for y, row in zip(ys, table, strict=True):
        low = row["low"] or 1.0
        ax.axhline(y, color=style.LIGHT, lw=0.8, zorder=0)
        for fid in row["fact_ids"].split():
            f = facts[fid]
            colour = colours[f["source_id"]]
            lo, hi = (f["lo"] or low) / low, (f["hi"] or f["lo"] or low) / low
            if hi > lo:
                ax.plot([lo, hi], [y, y], color=colour, lw=4, solid_capstyle="butt", zorder=2)[0].set_url(urls.get(fid))
            marker = ("<" if rtl else ">") if f["qualifier"] in LOWER_BOUNDS | {INDEFINITE} else "o"
            face = "none" if f["claim_type"] == "planned" else colour
            x = (lo + hi) / 2 if hi > lo else lo
            (mark,) = ax.plot([x], [y], ls="none", marker=marker, ms=11, mfc=face, mec=colour, mew=2, zorder=3)
            mark.set_url(urls.get(fid))
            points.append((x, y, fid, colour))
        for did in row["derived_ids"].split():
            x = dvals[did]["value"] / low
            (mark,) = ax.plot([x], [y], ls="none", marker="D", ms=10, mfc="none", mec=style.INK, mew=1.8, zorder=3)
            mark.set_url(urls.get(did))
            points.append((x, y, did, style.INK))
        sep = tr(lang, " · ", " · ")
        what = f"{data.label(row['metric'], lang)}{sep}{data.label(row['party'], lang)}"
        if row["scope"]:
            what += f"\n{data.label(row['scope'], lang)}"
        n, k, m = row["claims"], row["sources"], len(row["derived_ids"].split())
        if lang == "ar":
            counts = f"ادعاءات: {n}، مصادر: {k}" + (f"، مشتق: {m}" if m else "")
        else:
            counts = f"{n} claim{'s' * (n > 1)}, {k} source{'s' * (k > 1)}" + (f", {m} derived" if m else "")
        ticks.append(f"{what}\n{counts}")
        low_text = format_number(row["low"], row["unit"], lang)
        high_text = format_number(row["high"], row["unit"], lang)
        spread = tr(
            lang,
            f"×{_ratio(row['ratio'])}: {low_text} – {high_text}",
            f"التفاوت ×{_ratio(row['ratio'])}: من {low_text} إلى {high_text}",
        )
        dims = row["differs"].split(", ") if row["differs"] else []
        if lang == "ar":
            dims = [DIMENSIONS_AR.get(d, d) for d in dims]
            differs = "يختلف: " + "، ".join(dims) if dims else "لا اختلاف"
        else:
            differs = "differ in: " + ", ".join(dims) if dims else "no difference"
        differs = "\n".join(textwrap.wrap(differs, 48))
        ax.annotate(
            f"{spread}\n{differs}",
            xy=(1.0 if not rtl else 0.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(14 * style.POINT if not rtl else -14 * style.POINT, 0),
            textcoords="offset points",
            ha="left" if not rtl else "right",
            va="center",
            fontsize=11,
            linespacing=1.3,
            annotation_clip=False,
        )
    if not table:
        ax.text(
            0.5,
            0.5,
            tr(lang, "No two claims of one scope and time disagree.", "لا يختلف ادعاءان عن النطاق والوقت نفسيهما."),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=style.GREY,
        )
    ax.set_yticks(ys, ticks)
    ax.tick_params(axis="y", length=0, labelsize=11.5)
    ax.set_xlabel(
        tr(lang, "Claim ÷ smallest claim of the row (log scale)", "الادعاء ÷ أصغر ادعاء في السطر (مقياس لوغاريتمي)")
    )
    style.mirror(ax, lang)
    _label_points(fig, ax, points, urls)
    _apart_list(fig, data, apart, lang, urls, TOP - height - 0.1)
    handles = [Line2D([], [], ls="none", marker="o", ms=10, color=colours[s], label=s) for s in sources]
    handles += [
        Line2D(
            [],
            [],
            ls="none",
            marker="<" if rtl else ">",
            ms=10,
            color=style.GREY,
            label=tr(lang, "Lower bound (more than, at least)", "حد أدنى (أكثر من، على الأقل)"),
        ),
        Line2D(
            [], [], ls="none", marker="o", ms=10, mfc="none", mec=style.GREY, mew=2, label=tr(lang, "Planned", "مخطط")
        ),
        Line2D(
            [],
            [],
            ls="none",
            marker="D",
            ms=9,
            mfc="none",
            mec=style.INK,
            mew=1.8,
            label=tr(lang, "Derived (DRV-)", "مشتق (DRV-)"),
        ),
        Line2D([], [], color=style.GREY, lw=4, label=tr(lang, "Range", "نطاق")),
    ]
    fig.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.835),
        ncol=5,
        fontsize=10.5,
        markerfirst=not rtl,
        columnspacing=1.2,
        handletextpad=0.4,
    )
    alt, description = _alt(data, table, apart, lang)
    drawn = Drawn(spec.name, lang, fig, title, alt, used, [], used_derived)
    drawn.description = description
    return drawn


def _apart_line(data: Analysis, row: dict[str, Any], lang: str) -> str:
    """One quantity whose figures differ in scope or time: what, the spread, what differs, the ids."""
    sep = tr(lang, " · ", " · ")
    what = f"{data.label(row['metric'], lang)}{sep}{data.label(row['party'], lang)}"
    low, high = format_number(row["low"], row["unit"], lang), format_number(row["high"], row["unit"], lang)
    scopes = tr(lang, ", ", "، ").join(data.label(c, lang) for c in row["scopes"].split())
    parts = []
    if "scope" in row["differs"]:
        parts.append(tr(lang, f"scopes: {scopes}", f"النطاقات: {scopes}"))
    if "time" in row["differs"]:
        parts.append(tr(lang, "different times", "فترات مختلفة"))
    ids = " ".join(x for x in (row["fact_ids"], row["derived_ids"]) if x)
    spread = tr(lang, f"{low} – {high}", f"من {low} إلى {high}")
    return f"{what}: {spread}{tr(lang, '; ', '؛ ')}{tr(lang, '; ', '؛ ').join(parts)} · {ids}"


def _apart_list(
    fig: Any, data: Analysis, apart: list[dict[str, Any]], lang: str, urls: dict[str, str], y: float
) -> None:
    """Below the chart: the quantities whose figures differ only in scope or time, as many lines as fit."""
    if not apart:
        return
    rtl = style.is_rtl(lang)
    x, ha = (0.965, "right") if rtl else (0.035, "left")
    heading = tr(
        lang,
        "Not disagreements: figures that differ because they count a different scope or time",
        "ليست اختلافات: أرقام تختلف لأنها تعدّ نطاقاً أو فترة مختلفة",
    )
    fig.text(x, y, heading, ha=ha, va="top", fontsize=12, fontweight="bold")
    room = int((y - 0.035 - 0.13) * style.HEIGHT_IN * style.DPI // (LIST_FONT * 1.9))
    width = (1 - 2 * style.MARGIN) * style.WIDTH_IN * style.DPI
    lines: list[str] = []
    for shown, row in enumerate(apart):
        wrapped = style.wrap(fig, _apart_line(data, row, lang), width, LIST_FONT, style.SEPARATORS)
        if len(lines) + len(wrapped) > room - (shown < len(apart) - 1):
            rest = len(apart) - shown
            lines.append(tr(lang, f"… and {rest} more (see the tables)", f"… و{rest} أخرى (انظر الجداول)"))
            break
        lines += wrapped
    style.rich(
        fig,
        (x, y - 0.035),
        "\n".join(lines),
        urls,
        lang,
        xycoords="figure fraction",
        ha=ha,
        va="top",
        fontsize=LIST_FONT,
        linespacing=1.45,
    )


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2f}".rstrip("0").rstrip(".")


def _label_points(fig: Any, ax: Any, points: list[tuple[float, float, str, str]], urls: dict[str, str]) -> None:
    """Fact ids around their marks, each at the first spot that overlaps no mark and no label already placed."""
    to_px = ax.transData.transform
    renderer = fig.canvas.get_renderer()
    boxes = []
    for x, y, _, _ in points:
        px, py = to_px((x, y))
        boxes.append((px - 8, py - 8, px + 8, py + 8))
    for x, y, ident, colour in sorted(points, key=lambda p: (-p[1], p[0], p[2])):
        px, py = (float(v) for v in to_px((x, y)))
        probe = fig.text(0, 0, ident, fontsize=10)
        ext = probe.get_window_extent(renderer=renderer)
        probe.remove()
        w, h = ext.width + 4, ext.height + 2
        chosen = SPOTS[-1]
        for spot in SPOTS:
            dx, dy, ha, va = spot
            x0 = px + dx - {"left": 0, "center": w / 2, "right": w}[ha]
            y0 = py + dy - {"bottom": 0, "center": h / 2, "top": h}[va]
            box = (x0, y0, x0 + w, y0 + h)
            if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
                chosen = spot
                boxes.append(box)
                break
        dx, dy, ha, va = chosen
        label = ax.annotate(
            ident,
            (x, y),
            xytext=(dx * style.POINT, dy * style.POINT),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=10,
            color=style.ink(colour),
        )
        label.set_url(urls.get(ident))


def _alt(data: Analysis, table: list[dict[str, Any]], apart: list[dict[str, Any]], lang: str) -> tuple[str, str]:
    """Alt text (short) and the long description: every disagreement, then every difference of scope or time."""
    sep = tr(lang, "; ", "؛ ")
    items = []
    for row in table:
        what = f"{data.label(row['metric'], lang)}, {data.label(row['party'], lang)}"
        span = f"{format_number(row['low'], row['unit'], lang)} ({row['low_id']}) – "
        span += f"{format_number(row['high'], row['unit'], lang)} ({row['high_id']})"
        ids = " ".join(x for x in (row["fact_ids"], row["derived_ids"]) if x)
        items.append(f"{what}: {span}, ×{_ratio(row['ratio'])} [{ids}]")
    others = sep.join(_apart_line(data, row, lang) for row in apart)
    n, m = len(table), len(apart)
    if lang == "ar":
        alt = (
            f"مخطط نقطي للكميات التي تختلف فيها المصادر عن النطاق والفترة نفسيهما ({n})، كل ادعاء نسبةً إلى أصغرها؛ "
            f"وتحته {m} كميات تختلف أرقامها لاختلاف النطاق أو الفترة فقط."
        )
        long = alt + " " + sep.join(items) + "." + (f" ليست اختلافات: {others}." if others else "")
        return alt, long
    alt = (
        f"Dot chart of the {n} quantit{'y' if n == 1 else 'ies'} on which sources disagree for the same scope and "
        f"time, each claim relative to the smallest; below, {m} whose figures differ only in scope or time."
    )
    long = alt + " " + sep.join(items) + "." + (f" Not disagreements: {others}." if others else "")
    return alt, long
