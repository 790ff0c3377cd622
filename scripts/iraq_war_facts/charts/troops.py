"""Troop levels over time: points, ranges, lower bounds and plans, with the key events of the war below."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import matplotlib.dates as mdates
import polars as pl
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from iraq_war_facts.analysis import Analysis, ChartSpec
from iraq_war_facts.charts import style
from iraq_war_facts.charts.style import Drawn, Label, tr
from iraq_war_facts.model import LOWER_BOUNDS, unit_end
from iraq_war_facts.wording import format_claim, format_date, format_time

MAIN_RECT = (0.075, 0.385, 0.875, 0.455)
EVENTS_RECT = (0.075, 0.175, 0.875, 0.17)
ROWS = 4
BAR_POSITIONS = (0.5, 0.3, 0.7, 0.2, 0.8)  # where in its period a range's bar may stand, in order of preference


def _num(day: dt.date) -> float:
    return float(mdates.date2num(day))


def _span(row: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """First and last day a claim refers to, at the precision of its dates."""
    if row["period_start"] is not None:
        end = row["period_end"] or row["period_start"]
        return row["period_start"], unit_end(end, row["period_end_precision"])
    return row["as_of"], unit_end(row["as_of"], row["as_of_precision"])


def claim_text(data: Analysis, row: dict[str, Any], lang: str, bare: bool = False) -> str:
    """Label of one claim: party, figure, scope and plan, fact id (``bare``: figure, scope and plan only)."""
    parts = [format_claim(row, lang)]
    if row.get("detail") and row["detail"] != "all_forces":
        parts.append(data.label(row["detail"], lang).lower() if lang == "en" else data.label(row["detail"], lang))
    if row["claim_type"] == "planned":
        parts.append(tr(lang, "planned", "مخطط"))
    sep = tr(lang, ", ", "، ")
    if bare:
        return sep.join(parts)
    return f"{data.label(row['party'], lang)}: {sep.join(parts)} · {row['fact_id']}"


def _events_strip(
    fig: Any, ax: Any, events: list[dict[str, Any]], lang: str, data: Analysis, urls: dict[str, str]
) -> None:
    """Key events as labelled diamonds on as few rows as keep labels apart; dotted lines run up through the chart."""
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    x0, x1 = ax.get_xlim()
    left_px, right_px = ax.transData.transform((x0, 0))[0], ax.transData.transform((x1, 0))[0]
    rows: list[list[tuple[float, float]]] = [[] for _ in range(ROWS)]
    placed = []
    for ev in sorted(events, key=lambda e: e["date"]):
        x = _num(ev["date"])
        when = format_date(ev["date"], ev["date_precision"], lang)
        text = f"{data.label(ev['event'], lang)} ({when}) · {ev['event_id']}"
        width = style.text_width_px(fig, text, 11.5) + 16
        px = float(ax.transData.transform((x, 0))[0])
        options = [(px, px + width), (px - width, px)]
        if style.is_rtl(lang):
            options.reverse()
        options = [o for o in options if o[0] >= left_px - 40 and o[1] <= right_px + 40] or options

        def clash(r: int, span: tuple[float, float]) -> float:
            return sum(max(0.0, min(span[1], b) - max(span[0], a) + 12) for a, b in rows[r])

        free = [(r, o) for r in range(len(rows)) for o in options if clash(r, o) == 0]
        if not free:  # every row is taken there: a new row below the others
            rows.append([])
            free = [(len(rows) - 1, options[0])]
        r, span = min(free, key=lambda ro: (options.index(ro[1]), ro[0]))
        rows[r].append(span)
        placed.append((ev, x, r, span[0] == px, text))
    ax.set_ylim(0, len(rows))
    for ev, x, r, right, text in placed:
        y = len(rows) - 0.5 - r
        (mark,) = ax.plot([x], [y], marker="D", ms=7, color=style.INK, zorder=3)
        mark.set_url(urls.get(ev["event_id"]))
        ax.vlines(x, y, len(rows), colors=style.GREY, linestyles=":", lw=1.1)
        style.rich(ax, (x, y), text, urls, lang, offset=(12 if right else -12, 0), ha="left" if right else "right")
    ax.tick_params(axis="x", length=5)


def _bar_x(x0: float, x1: float, others: list[float]) -> float:
    """Where a range's vertical bar stands in its period: the middle, unless another mark is near it."""
    near = 0.04 * (x1 - x0) + 200
    for frac in BAR_POSITIONS:
        x = x0 + frac * (x1 - x0)
        if all(abs(x - o) > near for o in others):
            return x
    return x0 + 0.5 * (x1 - x0)


def draw(data: Analysis, spec: ChartSpec, lang: str) -> Drawn:
    """The troop-level chart in ``lang``."""
    facts = data.facts.filter(pl.col("topic") == spec.section).to_dicts()
    events = data.events(spec.refs("event"))
    title = spec.title[lang]
    subtitle = spec.subtitle[lang]
    fig, ax = style.new_chart(data, lang, title, subtitle, style.footer_lines(data, facts, lang), MAIN_RECT)
    spans = [_span(r) for r in facts] + [(e["date"], e["date"]) for e in events]
    first = min(s[0] for s in spans) if spans else dt.date(2003, 1, 1)
    last = max(s[1] for s in spans) if spans else dt.date(2021, 12, 31)
    xlim = (_num(dt.date(first.year - 1, 7, 1)), _num(dt.date(last.year + 1, 6, 30)))
    lows = [r["lo"] for r in facts if r["lo"]] or [1000.0]
    highs = [r["hi"] for r in facts if r["hi"]] or [100000.0]
    ylim = (10 ** math.floor(math.log10(min(lows) / 1.5)), max(highs) * 2.4)
    ax.set_xlim(xlim)
    ax.set_yscale("log")
    ax.set_ylim(ylim)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(axis="y", which="major")
    ax.set_ylabel(tr(lang, "Troops (persons, log scale)", "الجنود (أشخاص، مقياس لوغاريتمي)"))
    ax.tick_params(axis="x", labelbottom=False)
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_minor_locator(mdates.YearLocator(1))

    urls = style.links(data, lang)
    labels: list[Label] = []
    mid_x = (xlim[0] + xlim[1]) / 2
    for row in facts:
        colour = style.PARTY_COLOURS.get(row["party"], style.GREY)
        start, end = _span(row)
        x0, x1 = _num(start), _num(end)
        xm = (x0 + x1) / 2
        planned = row["claim_type"] == "planned"
        face = "none" if planned else colour
        text = claim_text(data, row, lang)
        if row["value"] is None and row["value_high"] is not None:
            low, high = row["value_low"], row["value_high"]
            ax.add_patch(Rectangle((x0, low), x1 - x0, high - low, facecolor=colour, alpha=0.13, lw=0, zorder=1))
            ax.hlines([low, high], x0, x1, colors=colour, lw=1, alpha=0.5, zorder=1)
            xb = _bar_x(x0, x1, [_num(_span(r)[0]) / 2 + _num(_span(r)[1]) / 2 for r in facts if r is not row])
            ax.plot([xb, xb], [low, high], color=colour, lw=3, zorder=3, solid_capstyle="butt")[0].set_url(
                urls.get(row["fact_id"])
            )
            ax.plot([xb, xb], [low, high], ls="none", marker="_", ms=22, mew=3, color=colour, zorder=3)
            labels.append(Label(xb, low, text, "below", colour))
            continue
        y = row["value"] if row["value"] is not None else row["lo"]
        if x1 - x0 > 1:
            ax.plot([x0, x1], [y, y], color=colour, lw=2.5, alpha=0.55, solid_capstyle="butt", zorder=2)
        marker = "^" if row["qualifier"] in LOWER_BOUNDS else "o"
        (mark,) = ax.plot(
            [xm], [y], ls="none", marker=marker, ms=17 if planned else 13, mfc=face, mec=colour, mew=2.2, zorder=4
        )
        mark.set_url(urls.get(row["fact_id"]))
        right_half = xm > mid_x
        if row["qualifier"] in LOWER_BOUNDS:
            ax.annotate(
                "",
                xy=(xm, y * 1.6),
                xytext=(xm, y * 1.1),
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2, "mutation_scale": 18},
            )
            offset = (-14.0, 0.0) if right_half else (14.0, 0.0)
            labels.append(
                Label(xm, y * 1.6, text, "offset", colour, offset=offset, ha="right" if right_half else "left")
            )
        elif right_half:
            labels.append(Label(xm, y, text, "left", colour))
        else:
            labels.append(Label(xm, y, text, "offset", colour, offset=(-10.0, 24.0), ha="left"))

    for ev in events:
        ax.axvline(_num(ev["date"]), color=style.GREY, ls=":", lw=1.1, zorder=0)
    style.place_labels(ax, labels, urls, lang, gap_px=21, pad_px=24)

    legend = [
        Patch(facecolor=style.PARTY_COLOURS["us"], label=data.label("us", lang)),
        Patch(facecolor=style.PARTY_COLOURS["coalition"], label=data.label("coalition", lang)),
        Line2D(
            [], [], ls="none", marker="o", ms=11, color=style.GREY, label=tr(lang, "Reported figure", "رقم مُبلَّغ عنه")
        ),
        Line2D(
            [],
            [],
            ls="none",
            marker="o",
            ms=13,
            mfc="none",
            mec=style.GREY,
            mew=2,
            label=tr(lang, "Planned figure", "رقم مُخطَّط"),
        ),
        Line2D(
            [],
            [],
            ls="none",
            marker="^",
            ms=11,
            color=style.GREY,
            label=tr(lang, "“More than”: a lower bound", "«أكثر من»: حد أدنى"),
        ),
        Line2D(
            [],
            [],
            color=style.GREY,
            lw=3,
            marker="_",
            ms=16,
            mew=3,
            label=tr(lang, "Range over the period shaded", "نطاق خلال الفترة المظللة"),
        ),
        Line2D(
            [],
            [],
            color=style.GREY,
            lw=2.5,
            alpha=0.55,
            label=tr(lang, "Date known only to the year or month", "التاريخ معروف بالسنة أو الشهر فقط"),
        ),
    ]
    ax.legend(
        handles=legend,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.02),
        ncol=2,
        markerfirst=not style.is_rtl(lang),
        fontsize=11.5,
        columnspacing=1.6,
        handlelength=2.2,
        frameon=True,
        facecolor="white",
        edgecolor="none",
        framealpha=1,
    )

    ev_ax = fig.add_axes(EVENTS_RECT, sharex=ax)
    ev_ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ev_ax.xaxis.set_minor_locator(mdates.YearLocator(1))
    ev_ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ev_ax.set_xlim(xlim)
    _events_strip(fig, ev_ax, events, lang, data, urls)
    ev_ax.set_ylabel(tr(lang, "Key events", "أحداث رئيسية"), rotation=0, ha="right", va="center", labelpad=8)

    n, m = len(facts), len(events)
    alt = tr(
        lang,
        f"Chart of troop levels in Iraq, {first.year} to {last.year}, as the sources state them, on a logarithmic "
        f"scale: {n} claims on US and coalition troops, each labelled with its fact id, and {m} key events below.",
        f"رسم بياني لعدد القوات في العراق من {first.year} حتى {last.year} كما تذكره المصادر، على مقياس لوغاريتمي: "
        f"{n} ادعاءات عن القوات الأمريكية وقوات التحالف، لكل منها رمز حقيقته، و{m} أحداث رئيسية في الأسفل.",
    )
    drawn = Drawn(
        spec.name, lang, fig, title, alt, sorted(r["fact_id"] for r in facts), [e["event_id"] for e in events]
    )
    drawn.description = _alt(data, facts, events, lang)
    return drawn


def _alt(data: Analysis, facts: list[dict[str, Any]], events: list[dict[str, Any]], lang: str) -> str:
    sep = tr(lang, "; ", "؛ ")
    parts = []
    for party in sorted({r["party"] for r in facts}):
        claims = [
            f"{claim_text(data, r, lang, bare=True)}{tr(lang, ', ', '، ')}{format_time(r, lang)} ({r['fact_id']})"
            for r in facts
            if r["party"] == party
        ]
        parts.append(f"{data.label(party, lang)}: {sep.join(claims)}")
    evs = sep.join(
        f"{data.label(e['event'], lang)} ({format_date(e['date'], e['date_precision'], lang)}, {e['event_id']})"
        for e in events
    )
    if lang == "ar":
        return (
            "رسم بياني لعدد القوات في العراق كما تذكره المصادر، على مقياس لوغاريتمي. "
            + ". ".join(parts)
            + f". الأحداث الرئيسية المبينة: {evs}."
        )
    return (
        "Chart of troop levels in Iraq as the sources state them, on a logarithmic scale. "
        + ". ".join(parts)
        + f". Key events marked: {evs}."
    )
