"""War-cost estimates compared by estimator, date and scope, on a log scale from millions to trillions."""

from __future__ import annotations

from typing import Any

import polars as pl
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from iraq_war_facts.analysis import Analysis, ChartSpec
from iraq_war_facts.charts import style
from iraq_war_facts.charts.style import Drawn, tr
from iraq_war_facts.wording import format_claim, format_number, format_time

MARKERS = {"reported": "o", "estimated": "D", "planned": "s"}


def draw(data: Analysis, spec: ChartSpec, lang: str) -> Drawn:
    """The cost chart in ``lang``."""
    facts_frame = data.facts
    costs = facts_frame.filter(pl.col("topic") == spec.section)
    parties = costs.group_by("party").agg(pl.col("hi").max().alias("top")).sort("top", descending=True)["party"]
    order = {p: i for i, p in enumerate(parties.to_list())}
    rows = sorted(costs.to_dicts(), key=lambda r: (order[r["party"]], -(r["hi"] or 0), r["fact_id"]))
    ids = {r["fact_id"] for r in rows}
    derived = [d for d in data.derived.to_dicts() if d["value"] is not None and set(d["fact_ids"].split()) <= ids]
    title = spec.title[lang]
    subtitle = spec.subtitle[lang]
    rect, edge = style.panel_layout(lang, 0.24)
    fig, ax = style.new_chart(data, lang, title, subtitle, style.footer_lines(data, rows, lang), rect)
    ys = list(range(len(rows)))[::-1]
    lows = [r["lo"] for r in rows if r["lo"]] or [1e9]
    highs = [r["hi"] for r in rows if r["hi"]] or [1e12]
    xmin = 10 ** (len(str(int(min(lows)))) - 2)
    xmax = 10 ** (len(str(int(max(highs)))) + 0.3)
    urls = style.links(data, lang)
    ticks = []
    for y, row in zip(ys, rows, strict=True):
        colour = style.PARTY_COLOURS.get(row["party"], style.GREY)
        x = row["value"] if row["value"] is not None else row["lo"]
        ax.hlines(y, xmin, x, colors=style.LIGHT, lw=1.2, zorder=1)
        marker = MARKERS.get(row["claim_type"], "o")
        (mark,) = ax.plot([x], [y], ls="none", marker=marker, ms=14, color=colour, mec="white", mew=1.2, zorder=3)
        mark.set_url(urls.get(row["fact_id"]))
        label = f"{format_claim(row, lang)} · {row['fact_id']}"
        if row.get("literal_value") is not None:
            label += " *"
        style.rich(
            ax,
            (x, y),
            label,
            urls,
            lang,
            offset=(0, 13),
            ha="center",
            va="bottom",
            fontsize=12,
            color=style.ink(colour),
            fontweight="bold",
        )
        scope = data.label(row["detail"], lang) if row.get("detail") else ""
        when = format_time(row, lang)
        kind = data.label(row["claim_type"], lang)
        sep = tr(lang, " · ", " · ")
        ticks.append(f"{data.label(row['attributed_to'], lang)}\n{scope}{sep}{when}{sep}{kind}")
    for i in range(1, len(rows)):
        if rows[i]["party"] != rows[i - 1]["party"]:
            ax.axhline(ys[i] + 0.5, color=style.GREY, lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    decades = [10.0**k for k in range(len(str(int(xmin))) - 1, len(str(int(xmax))))]
    ax.xaxis.set_major_locator(FixedLocator(decades))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, "USD", lang).replace(" دولار", "")))
    ax.set_yticks(ys, ticks)
    ax.tick_params(axis="y", length=0, labelsize=11.5)
    ax.grid(axis="x")
    ax.set_xlabel(
        tr(
            lang,
            "US dollars (logarithmic scale: each step is ten times the previous)",
            "دولار أمريكي (مقياس لوغاريتمي: كل خطوة عشرة أضعاف سابقتها)",
        )
    )
    style.mirror(ax, lang)
    payers = [Patch(facecolor=style.PARTY_COLOURS.get(p, style.GREY), label=data.label(p, lang)) for p in order]
    kinds = [
        Line2D([], [], ls="none", marker=MARKERS[k], ms=11, color=style.GREY, label=data.label(k, lang))
        for k in sorted({r["claim_type"] for r in rows})
    ]
    notes = [
        f"{d['note'] or d['label_' + lang]}\n{d['derived_id']} = {_share(d, lang)}\n= {d['formula']}" for d in derived
    ]
    if lang == "ar":
        notes = [f"{_ar_share(d)}\n{d['derived_id']} = {d['formula']}" for d in derived]
    for row in rows:
        if row.get("literal_value") is not None:
            meant = format_number(row["value"], "USD", lang)
            notes.append(
                tr(
                    lang,
                    f"* {row['fact_id']}: the words state {sci(row['literal_value'])} dollars, a slip; "
                    f"drawn as {meant} (see its note).",
                    f"* النص في {row['fact_id']} يذكر {sci(row['literal_value'])} دولار، وهو سهو؛ "
                    f"المرسوم {meant} (انظر الملاحظة).",
                )
            )
    heading = tr(lang, "Derived figures and notes", "أرقام مشتقة وملاحظات")
    style.side_panel(fig, lang, edge, [*payers, *kinds], heading, notes, urls=urls)
    low = format_number(min(lows), "USD", lang)
    high = format_number(max(highs), "USD", lang)
    alt = tr(
        lang,
        f"Dot chart of {len(rows)} estimates of the Iraq war's cost, from {low} to {high}, by payer, estimator, scope "
        "and date, on a logarithmic scale; each labelled with its fact id.",
        f"مخطط نقطي لـ{len(rows)} تقديرات لتكلفة حرب العراق، من {low} إلى {high}، حسب الجهة الدافعة والمقدِّر والنطاق "
        "والتاريخ، على مقياس لوغاريتمي؛ لكل تقدير رمز حقيقته.",
    )
    drawn = Drawn(spec.name, lang, fig, title, alt, sorted(ids), [], [d["derived_id"] for d in derived])
    drawn.description = _alt(data, rows, derived, lang)
    return drawn


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sci(x: float) -> str:
    """Scientific notation for reading: 3 × 10²¹."""
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def _share(d: dict[str, Any], lang: str) -> str:
    return format_number(d["value"], d["unit"], lang)


def _ar_share(d: dict[str, Any]) -> str:
    part, whole = d["fact_ids"].split()[0], " + ".join(d["fact_ids"].split()[1:])
    return f"نسبة {part} إلى {whole}: {format_number(d['value'], d['unit'], 'ar')}"


def _alt(data: Analysis, rows: list[dict[str, Any]], derived: list[dict[str, Any]], lang: str) -> str:
    sep = tr(lang, "; ", "؛ ")
    items = [
        f"{data.label(r['party'], lang)}, {data.label(r['attributed_to'], lang)}, {data.label(r['detail'], lang)}, "
        f"{format_time(r, lang)}: {format_claim(r, lang)} ({r['fact_id']})"
        for r in rows
    ]
    shares = [f"{d['derived_id']} = {d['formula']} = {_share(d, lang)}" for d in derived]
    if lang == "ar":
        return (
            "مخطط نقطي لتقديرات تكلفة حرب العراق على مقياس لوغاريتمي. "
            + sep.join(i.replace(", ", "، ") for i in items)
            + (". أرقام مشتقة: " + sep.join(shares) if shares else "")
            + "."
        )
    return (
        "Dot chart of the Iraq war's cost estimates on a logarithmic scale. "
        + sep.join(items)
        + (". Derived: " + sep.join(shares) if shares else "")
        + "."
    )
