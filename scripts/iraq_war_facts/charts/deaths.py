"""Coalition military deaths by country, hostile action against other causes, with the coalition totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.patches import Patch

from iraq_war_facts.analysis import Analysis, ChartSpec
from iraq_war_facts.charts import style
from iraq_war_facts.charts.style import Drawn, tr
from iraq_war_facts.model import LOWER_BOUNDS
from iraq_war_facts.wording import format_claim, format_number, format_time

HOSTILE = style.OKABE_ITO["vermillion"]
OTHER = style.OKABE_ITO["sky_blue"]
UNSTATED = "#BDBDBD"


@dataclass(frozen=True)
class Row:
    """One bar: the total claim and, where known, its hostile and other-cause parts (fact or derived ids)."""

    total: str
    hostile: str | None = None
    other: str | None = None


def _rows(spec: ChartSpec) -> list[Row]:
    """The bars the chart specification declares, in order."""
    return [Row(p["bar"], p.get("hostile_part"), p.get("other_part")) for p in spec.positions() if "bar" in p]


def draw(data: Analysis, spec: ChartSpec, lang: str) -> Drawn:
    """The deaths chart in ``lang``."""
    facts, derived = data.by_id, data.derived_by_id

    def value(ref: str | None) -> float | None:
        if ref is None:
            return None
        row = facts.get(ref) or derived.get(ref)
        return None if row is None else (row.get("value") if row.get("value") is not None else row.get("lo"))

    rows = [r for r in _rows(spec) if value(r.total) is not None]
    used_facts: set[str] = set()
    used_derived: set[str] = set()
    for r in rows:
        for ref in (r.total, r.hostile, r.other):
            if ref in facts:
                used_facts.add(ref)
            elif ref in derived:
                used_derived.add(ref)
                used_facts.update(derived[ref]["fact_ids"].split())
    drawn_facts = [facts[f] for f in sorted(used_facts)]
    title = spec.title[lang]
    subtitle = spec.subtitle[lang]
    rect, edge = style.panel_layout(lang, 0.17)
    fig, ax = style.new_chart(data, lang, title, subtitle, style.footer_lines(data, drawn_facts, lang), rect)
    rtl = style.is_rtl(lang)
    ys = list(range(len(rows)))[::-1]
    top = max(value(r.total) or 0 for r in rows) if rows else 1.0
    after = "right" if rtl else "left"
    urls = style.links(data, lang)
    ticks = []
    for y, r in zip(ys, rows, strict=True):
        total = value(r.total) or 0.0
        hostile, other = value(r.hostile), value(r.other)
        source = facts.get(r.total) or derived[r.total]
        is_derived = r.total in derived
        party = source.get("party") or "coalition"
        when = format_time(source, lang) if not is_derived else _derived_span(derived[r.total], lang)
        ticks.append(f"{data.label(party, lang)}\n{when}")
        if hostile is not None and other is not None:
            bars = [
                ax.barh(y, hostile, color=HOSTILE, height=0.62),
                ax.barh(y, other, left=hostile, color=OTHER, height=0.62),
            ]
            for bar, ref in zip(bars, (r.hostile, r.other), strict=True):
                bar.patches[0].set_url(urls.get(ref or ""))
            for start, width, ref, colour in ((0, hostile, r.hostile, HOSTILE), (hostile, other, r.other, OTHER)):
                if width / top > 0.12:
                    text = f"{format_number(width, 'persons', lang)}\n{ref}"
                    ink = "white" if colour == HOSTILE else style.INK
                    style.rich(
                        ax,
                        (start + width / 2, y),
                        text,
                        urls,
                        lang,
                        ha="center",
                        va="center",
                        color=ink,
                        id_color=ink,
                        fontsize=11.5,
                        fontweight="bold",
                    )
        elif is_derived:
            bar = ax.barh(y, total, facecolor="none", edgecolor=style.INK, ls="--", lw=1.6, height=0.62)
            bar.patches[0].set_url(urls.get(r.total))
        else:
            bar = ax.barh(y, total, color=UNSTATED, hatch="//", edgecolor="white", lw=0, height=0.62)
            bar.patches[0].set_url(urls.get(r.total))
        label = _total_text(data, r, facts, derived, lang, parts=hostile is None or hostile / top <= 0.12)
        x = total + top * 0.012
        if source.get("qualifier") in LOWER_BOUNDS:
            arrow = {"arrowstyle": "-|>", "color": style.GREY, "lw": 2.2, "mutation_scale": 18}
            ax.annotate("", xy=(total + top * 0.07, y), xytext=(total, y), arrowprops=arrow)
            x = total + top * 0.085
        style.rich(ax, (x, y), label, urls, lang, ha=after, va="center", fontsize=11.5, linespacing=1.3)
    ax.set_yticks(ys, ticks)
    ax.set_xlim(0, top * 1.3)
    ax.xaxis.set_major_formatter(lambda v, _: format_number(v, "persons", lang))
    ax.grid(axis="x")
    ax.set_xlabel(tr(lang, "Military deaths (persons)", "القتلى العسكريون (أشخاص)"))
    ax.tick_params(axis="y", length=0)
    style.mirror(ax, lang)
    legend = [
        Patch(facecolor=HOSTILE, label=data.label("hostile", lang)),
        Patch(facecolor=OTHER, label=tr(lang, "Other causes (derived)", "أسباب أخرى (مشتق)")),
        Patch(facecolor=UNSTATED, hatch="//", edgecolor="white", label=tr(lang, "Cause not stated", "السبب غير مذكور")),
        Patch(facecolor="none", edgecolor=style.INK, ls="--", label=tr(lang, "Derived total", "مجموع مشتق")),
    ]
    notes = [f"{derived[d]['label_' + lang]}\n{d} = {derived[d]['formula']}" for d in sorted(used_derived)]
    style.side_panel(fig, lang, edge, legend, tr(lang, "Derived figures", "الأرقام المشتقة"), notes, urls=urls)
    alt = tr(
        lang,
        "Horizontal bar chart of coalition military deaths in Iraq by country, 2003 to 2011: deaths in hostile action "
        "and from other causes where the source gives both, and the coalition totals.",
        "مخطط أعمدة أفقية لقتلى التحالف العسكريين في العراق حسب الدولة، من 2003 حتى 2011: القتلى في الأعمال القتالية "
        "ولأسباب أخرى حيث يذكر المصدر الرقمين، ومجاميع التحالف.",
    )
    drawn = Drawn(spec.name, lang, fig, title, alt, sorted(used_facts), [], sorted(used_derived))
    drawn.description = _alt(data, rows, facts, derived, lang)
    return drawn


def _derived_span(row: dict[str, Any], lang: str) -> str:
    start, end = row.get("start"), row.get("end")
    if start is None or end is None:
        return ""
    return f"{start.year} – {end.year}"


def _total_text(
    data: Analysis,
    r: Row,
    facts: dict[str, dict[str, Any]],
    derived: dict[str, dict[str, Any]],
    lang: str,
    parts: bool = True,
) -> str:
    """The figure at the end of a bar: the total and its parts, each with the fact or derived id behind it."""
    if r.total in derived:
        d = derived[r.total]
        figure = format_number(d["value"], d["unit"], lang)
        return f"{figure} · {r.total} ({tr(lang, 'derived', 'مشتق')})"
    text = f"{format_claim(facts[r.total], lang)} · {r.total}"
    if not parts:
        return text
    shown = []
    for ref, en, ar in ((r.hostile, "hostile", "في الأعمال القتالية"), (r.other, "other causes", "لأسباب أخرى")):
        if ref in facts:
            shown.append(f"{tr(lang, en, ar)} {format_claim(facts[ref], lang)} · {ref}")
        elif ref in derived:
            d = derived[ref]
            shown.append(f"{tr(lang, en, ar)} {format_number(d['value'], d['unit'], lang)} · {ref}")
    return f"{text}\n{tr(lang, ', ', '، ').join(shown)}" if shown else text


def _alt(
    data: Analysis, rows: list[Row], facts: dict[str, dict[str, Any]], derived: dict[str, dict[str, Any]], lang: str
) -> str:
    sep = tr(lang, "; ", "؛ ")
    parts = []
    for r in rows:
        row = facts.get(r.total) or derived[r.total]
        party = data.label(row.get("party") or "coalition", lang)
        parts.append(f"{party}: {_total_text(data, r, facts, derived, lang)}".replace("\n", ": "))
    body = sep.join(parts)
    if lang == "ar":
        return f"مخطط أعمدة أفقية لقتلى التحالف العسكريين في العراق حسب الدولة، من 2003 حتى 2011. {body}."
    return f"Horizontal bar chart of coalition military deaths in Iraq by country, 2003 to 2011. {body}."
