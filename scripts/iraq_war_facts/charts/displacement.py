"""Iraqis displaced inside Iraq and those who returned, with the shares the package derives from them."""

from __future__ import annotations

from typing import Any

import polars as pl
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from iraq_war_facts.analysis import Analysis, ChartSpec
from iraq_war_facts.charts import style
from iraq_war_facts.charts.style import Drawn, tr
from iraq_war_facts.wording import format_claim, format_number, format_time

COLOURS = {"displaced": style.OKABE_ITO["bluish_green"], "returned": style.OKABE_ITO["sky_blue"]}
METRIC_ORDER = ("displaced", "returned")


def draw(data: Analysis, spec: ChartSpec, lang: str) -> Drawn:
    """The displacement chart in ``lang``."""
    facts_frame = data.facts
    topic = facts_frame.filter(pl.col("topic") == spec.section).to_dicts()
    bars = sorted(
        (r for r in topic if r["unit"] == "persons"),
        key=lambda r: (METRIC_ORDER.index(r["metric"]) if r["metric"] in METRIC_ORDER else 9, r["fact_id"]),
    )
    ids = {r["fact_id"] for r in topic}
    derived = [d for d in data.derived.to_dicts() if d["value"] is not None and set(d["fact_ids"].split()) <= ids]
    title = spec.title[lang]
    subtitle = spec.subtitle[lang]
    rect, edge = style.panel_layout(lang, 0.23, top=0.78, bottom=0.22)
    fig, ax = style.new_chart(data, lang, title, subtitle, style.footer_lines(data, topic, lang), rect)
    rtl = style.is_rtl(lang)
    ys = list(range(len(bars)))[::-1]
    top = max((r["hi"] or 0) for r in bars) if bars else 1.0
    urls = style.links(data, lang)
    ticks = []
    for y, row in zip(ys, bars, strict=True):
        colour = COLOURS.get(row["metric"], style.GREY)
        ax.barh(y, row["lo"] or 0, color=colour, height=0.58).patches[0].set_url(urls.get(row["fact_id"]))
        label = f"{format_claim(row, lang)} · {row['fact_id']}"
        value = row["lo"] or 0.0
        inside = value / top > 0.5
        style.rich(
            ax,
            (value - top * 0.015 if inside else value + top * 0.015, y),
            label,
            urls,
            lang,
            ha=("left" if rtl else "right") if inside else ("right" if rtl else "left"),
            va="center",
            fontsize=13,
            fontweight="bold",
            color="white" if inside else style.ink(colour),
            id_color="white" if inside else style.ID_COLOUR,
        )
        scope = data.label(row["detail"], lang) if row.get("detail") else ""
        sep = tr(lang, ", ", "، ")
        what = f"{data.label(row['metric'], lang)}{sep}{scope.lower() if lang == 'en' else scope}"
        ticks.append(f"{what}\n{format_time(row, lang)}\n{data.label(row['attributed_to'], lang)}")
    ax.set_yticks(ys, ticks)
    ax.set_ylim(-0.6, len(bars) - 0.4)
    ax.set_xlim(0, top * 1.35)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(lambda v, _: format_number(v, "persons", lang))
    ax.grid(axis="x")
    ax.tick_params(axis="y", length=0, labelsize=12)
    ax.set_xlabel(tr(lang, "Persons", "أشخاص"))
    style.mirror(ax, lang)
    shares = [r for r in topic if r["unit"] == "percent"]
    notes = [
        tr(
            lang,
            f"Displaced, share of the population: {format_claim(r, lang)} · {r['fact_id']}",
            f"نسبة المهجرين من السكان: {format_claim(r, lang)} · {r['fact_id']}",
        )
        for r in shares
    ]
    for d in derived:
        value = format_number(d["value"], d["unit"], lang)
        text = d["label_" + lang]
        notes.append(f"{text}: {value} ({tr(lang, 'derived', 'مشتق')})\n{d['derived_id']} = {d['formula']}")
    handles = [
        Patch(facecolor=COLOURS[m], label=data.label(m, lang))
        for m in METRIC_ORDER
        if any(r["metric"] == m for r in bars)
    ]
    style.side_panel(fig, lang, edge, handles, tr(lang, "Shares", "النسب"), notes, top=0.78, urls=urls)
    figures = tr(lang, ", ", "، ").join(f"{data.label(r['metric'], lang)} {format_claim(r, lang)}" for r in bars)
    alt = tr(
        lang,
        f"Bar chart of Iraqis displaced inside Iraq and of those who returned ({figures}), with the shares derived "
        "from them.",
        f"مخطط أعمدة للمهجَّرين داخل العراق والعائدين منهم ({figures})، مع النسب المشتقة منها.",
    )
    drawn = Drawn(spec.name, lang, fig, title, alt, sorted(ids), [], [d["derived_id"] for d in derived])
    drawn.description = _alt(data, bars, shares, derived, lang)
    return drawn


def _alt(
    data: Analysis, bars: list[dict[str, Any]], shares: list[dict[str, Any]], derived: list[dict[str, Any]], lang: str
) -> str:
    sep = tr(lang, "; ", "؛ ")
    items = [
        f"{data.label(r['metric'], lang)} ({format_time(r, lang)}): {format_claim(r, lang)} ({r['fact_id']})"
        for r in [*bars, *shares]
    ]
    extra = [f"{d['derived_id']} = {d['formula']} = {format_number(d['value'], d['unit'], lang)}" for d in derived]
    if lang == "ar":
        return "مخطط أعمدة للمهجَّرين داخل العراق والعائدين منهم. " + sep.join(items + extra) + "."
    return "Bar chart of Iraqis displaced inside Iraq and of those who returned. " + sep.join(items + extra) + "."
