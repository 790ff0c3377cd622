"""Bilingual wording shared by charts and report: figures, claims with their hedges, dates at their precision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "ar": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}
SCALE_WORDS = {
    "en": (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)),
    "ar": (("تريليون", 1e12), ("مليار", 1e9), ("مليون", 1e6)),
}
QUALIFIER_WORDS = {
    "en": {
        "approximately": "about {}",
        "more_than": "more than {}",
        "at_least": "at least {}",
        "up_to": "up to {}",
        "less_than": "less than {}",
    },
    "ar": {
        "approximately": "حوالي {}",
        "more_than": "أكثر من {}",
        "at_least": "{} على الأقل",
        "up_to": "حتى {}",
        "less_than": "أقل من {}",
    },
}


def _trim(x: float, digits: int) -> str:
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float | None, unit: str | None = None, lang: str = "en") -> str:
    """A figure for reading: 4,487; 1.6 million; $802 billion; $0.86 billion; $3 trillion; 5.5%."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{_trim(value, 1)}%"
    if unit == "times":
        return f"{_trim(value, 1)}×"
    if unit == "USD":
        (trillion, _), (billion, _), _ = SCALE_WORDS[lang]
        amount = f"{_trim(value / 1e12, 2)} {trillion}" if value >= 1e12 else f"{_trim(value / 1e9, 2)} {billion}"
        return f"${amount}" if lang == "en" else f"{amount} دولار"
    if abs(value) >= 1e6:
        word, scale = SCALE_WORDS[lang][2]
        return f"{_trim(value / scale, 2)} {word}"
    return _trim(value, 1)


def format_claim(row: Mapping[str, Any], lang: str = "en") -> str:
    """A claim's figure with its hedge: "more than 4,000", "100,000–150,000", "at least 3,000 (indefinite plural)"."""
    unit = row.get("unit")
    qualifier = row.get("qualifier")
    if qualifier == "range" or (row.get("value") is None and row.get("value_high") is not None):
        low, high = format_number(row.get("value_low"), unit, lang), format_number(row.get("value_high"), unit, lang)
        return f"{low}–{high}" if lang == "en" else f"بين {low} و{high}"
    if qualifier == "indefinite" or row.get("value") is None:
        low = format_number(row.get("value_low"), unit, lang)
        return f"at least {low} (indefinite plural)" if lang == "en" else f"{low} على الأقل (جمع غير محدد)"
    text = format_number(row.get("value"), unit, lang)
    return QUALIFIER_WORDS[lang].get(str(qualifier), "{}").format(text)


def format_date(day: dt.date | None, precision: str | None, lang: str = "en") -> str:
    """A date at its precision: 31 Aug 2010, Aug 2010, 2010."""
    if day is None:
        return "date not stated" if lang == "en" else "التاريخ غير مذكور"
    if precision == "year":
        return str(day.year)
    month = MONTHS[lang][day.month - 1]
    if precision == "month":
        return f"{month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_time(row: Mapping[str, Any], lang: str = "en") -> str:
    """When a claim holds: a date, or a period "20 Mar 2003 – 2011"."""
    if row.get("time_type") == "period" or row.get("period_start") is not None:
        start = format_date(row.get("period_start"), row.get("period_start_precision"), lang)
        end = format_date(row.get("period_end"), row.get("period_end_precision"), lang)
        return f"{start} – {end}"
    return format_date(row.get("as_of"), row.get("as_of_precision"), lang)


COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_word(n: int) -> str:
    """A small count in words (``five``), a larger one in digits."""
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else f"{n:,}"


def relation_detail(result: Any, rel: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> str:
    """What an evaluated relation computed, in words: ``4,487 vs 4,421 + 66 = 4,487``."""
    kind, fid = rel.get("relation"), rel.get("fact_id")
    others = str(rel.get("other_fact_ids") or "").split()
    unit = by_id.get(fid, {}).get("unit")
    unit2 = by_id.get(others[0], {}).get("unit") if others else None
    if result.holds is None:
        return "cannot be evaluated" if kind in ("sum_of", "at_most", "share_of") else f"unknown relation {kind!r}"
    value, total = float(result.fact_value), float(result.others_value)
    if kind == "sum_of":
        terms = " + ".join(format_number(by_id[i]["value"], unit) for i in others)
        return f"{format_number(value, unit)} vs {terms} = {format_number(total, unit)}"
    if kind == "at_most":
        share = f" ({format_number(float(result.implied), 'percent')})" if result.implied is not None else ""
        return f"{format_number(value, unit)} of {format_number(total, unit)}{share}"
    bounds = f"{format_number(rel.get('expected_low'), unit2)} to {format_number(rel.get('expected_high'), unit2)}"
    ratio = f"{format_number(total, unit2)} / {format_number(value, unit)}"
    return f"{ratio} = {format_number(float(result.implied), unit2)}; expected {bounds}"
