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


def relation_words(row: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]], lang: str = "en") -> str:
    """What an evaluated relation (a row of the analysis's relations) computed, in ``lang``."""
    if lang == "en" and row.get("detail"):
        return str(row["detail"])
    fid, kind = row.get("fact_id"), row.get("relation")
    others = str(row.get("other_fact_ids") or "").split()
    unit = by_id.get(fid, {}).get("unit")
    unit2 = by_id.get(others[0], {}).get("unit") if others else None
    value, total = row.get("fact_value"), row.get("others_value")
    if row.get("holds") is None or value is None or total is None:
        return say("not_computed", lang)
    if kind == "sum_of":
        terms = " + ".join(format_number(by_id[i]["value"], unit, lang) for i in others if i in by_id)
        vs = say("versus", lang)
        return f"{format_number(value, unit, lang)} {vs} {terms} = {format_number(total, unit, lang)}"
    if kind == "at_most":
        share = f" ({format_number(row['implied'], 'percent', lang)})" if row.get("implied") is not None else ""
        return f"{format_number(value, unit, lang)} {say('of', lang)} {format_number(total, unit, lang)}{share}"
    low = format_number(row.get("expected_low"), unit2, lang)
    high = format_number(row.get("expected_high"), unit2, lang)
    ratio = f"{format_number(total, unit2, lang)} / {format_number(value, unit, lang)}"
    implied = format_number(row.get("implied"), unit2, lang)
    return f"{ratio} = {implied}; " + say("expected_range", lang, low=low, high=high)


# ---------------------------------------------------------------------------------------------------------------
# The web edition's phrases: every heading, label and sentence, in English and Arabic.

PHRASES: dict[str, tuple[str, str]] = {
    # frame
    "site_name": ("Iraq war facts", "حقائق حرب العراق"),
    "skip": ("Skip to content", "انتقل إلى المحتوى"),
    "nav_site": ("Site", "الموقع"),
    "nav_overview": ("Overview", "نظرة عامة"),
    "nav_facts": ("All facts", "كل الحقائق"),
    "other_language": ("العربية", "English"),
    "footer_version": ("Version {version}.", "الإصدار {version}."),
    "repository": ("Repository", "المستودع"),
    "licence": ("Licence", "الترخيص"),
    # overview
    "overview_title": (
        "Iraq war facts: what five Arabic articles say, figure by figure",
        "حقائق حرب العراق: ما تقوله خمسة مقالات عربية، رقمًا رقمًا",
    ),
    "overview_lead": (
        "{facts} facts, {derived} derived figures and {events} dated events about the 2003–2021 Iraq war, from "
        "{sources} Arabic news articles. Each fact is one claim as its article states it, with its hedge, time, "
        "the person or body it is credited to and a verbatim Arabic quote. Sources disagree and are kept apart: "
        "nothing is merged or averaged. Version {version}.",
        "{facts} حقيقة و{derived} رقمًا مشتقًا و{events} حدثًا مؤرخًا عن حرب العراق 2003–2021، من {sources} مقالات "
        "إخبارية عربية. كل حقيقة ادعاء واحد كما يذكره مقاله، مع صيغة التحفظ والزمن والجهة المنسوب إليها واقتباس عربي "
        "حرفي. المصادر تختلف وتبقى منفصلة: لا دمج ولا متوسطات. الإصدار {version}.",
    ),
    "digits_note": (
        "Numbers, dates and ids are written in Western digits (0–9), as the source articles mostly write them.",
        "تُكتب الأرقام والتواريخ والرموز في هذه النسخة بالأرقام الغربية (0–9)، كما تكتبها المقالات المصدر في الغالب، "
        "مع أسماء الأشهر وكلمات المراتب (مليون، مليار) بالعربية.",
    ),
    "on_this_page": ("On this page", "في هذه الصفحة"),
    "key_numbers": ("Key numbers", "الأرقام الرئيسية"),
    "key_numbers_intro": (
        "Every quantity the articles state, with the least and the greatest figure given for it and how many claims "
        "and sources stand behind it. Each id opens the fact: its quote, its source and what it takes part in.",
        "كل كمية تذكرها المقالات، مع أصغر رقم وأكبر رقم ذُكرا لها، وعدد الادعاءات والمصادر التي تقف وراءها. يفتح كل رمز "
        "صفحة الحقيقة: اقتباسها ومصدرها وما تدخل فيه.",
    ),
    "col_quantity": ("quantity", "الكمية"),
    "col_least": ("least", "الأصغر"),
    "col_greatest": ("greatest", "الأكبر"),
    "col_claims": ("claims", "الادعاءات"),
    "col_sources": ("sources", "المصادر"),
    "col_span": ("earliest to latest", "من الأقدم إلى الأحدث"),
    "to": ("to", "إلى"),
    "comma": (", ", "، "),
    "disagree": ("Where the sources disagree", "حيث تختلف المصادر"),
    "disagree_intro": (
        "The same quantity (what is counted, of whom, in what unit) stated more than once with different figures. "
        "The spread is the greatest figure over the least; the last column says what differs between the claims.",
        "الكمية نفسها (ما يُعدّ، ولمن، وبأي وحدة) مذكورة أكثر من مرة بأرقام مختلفة. التفاوت هو نسبة أكبر رقم إلى أصغره؛ "
        "ويذكر العمود الأخير ما يختلف بين الادعاءات.",
    ),
    "scope": ("Differences of scope", "اختلافات النطاق"),
    "scope_intro": (
        "Figures of the same quantity that count different things (another period, another definition): not "
        "disagreements between sources.",
        "أرقام للكمية نفسها تعدّ أشياء مختلفة (فترة أخرى أو تعريف آخر): ليست خلافًا بين المصادر.",
    ),
    "col_spread": ("spread", "التفاوت"),
    "col_differs": ("what differs", "ما يختلف"),
    "charts": ("Charts", "الرسوم البيانية"),
    "charts_intro": (
        "Each chart is drawn from the data in English and Arabic, as SVG (text kept as text, each id a link to its "
        "fact) and PNG, 1600×900 px. Reuse them with the attribution line.",
        "كل رسم مرسوم من البيانات بالعربية والإنجليزية، بصيغة SVG (النصوص نصوص، وكل رمز رابط إلى حقيقته) وPNG بحجم "
        "1600×900 بكسل. أعد استخدامها مع سطر الإسناد.",
    ),
    "chart_alt": ("{title}. Described in full below the chart.", "{title}. الوصف الكامل أسفل الرسم."),
    "chart_description": ("Full description of the chart", "الوصف الكامل للرسم"),
    "chart_files": ("Files:", "الملفات:"),
    "consistency": ("Consistency checks", "فحوص الاتساق"),
    "consistency_intro": (
        "{held} of {total} declared arithmetic relations between facts hold, computed exactly from the values as "
        "written, with each relation's tolerance.",
        "{held} من {total} علاقة حسابية مُعلنة بين الحقائق متحققة، محسوبة بدقة من القيم كما كُتبت، مع هامش كل علاقة.",
    ),
    "col_relation": ("relation", "العلاقة"),
    "col_kind": ("kind", "النوع"),
    "col_fact": ("fact", "الحقيقة"),
    "col_other_facts": ("other facts", "الحقائق الأخرى"),
    "col_computed": ("computed", "الحساب"),
    "col_result": ("result", "النتيجة"),
    "col_note": ("what it says", "ما تعنيه"),
    "holds": ("holds", "متحققة"),
    "fails": ("fails", "غير متحققة"),
    "not_computed": ("not computed", "لم تُحسب"),
    "versus": ("vs", "مقابل"),
    "of": ("of", "من"),
    "expected_range": ("expected {low} to {high}", "المتوقع من {low} إلى {high}"),
    "downloads": ("Downloads", "التنزيلات"),
    "downloads_intro": (
        "The data package's files, each with its size and SHA-256 checksum (from datapackage.json):",
        "ملفات حزمة البيانات، مع حجم كل ملف وبصمته SHA-256 (من datapackage.json):",
    ),
    "col_file": ("file", "الملف"),
    "col_title": ("what", "المحتوى"),
    "col_size": ("size", "الحجم"),
    "bytes": ("{n} bytes", "{n} بايت"),
    "releases": (
        "Each release also offers, on the repository's releases page:",
        "ويقدّم كل إصدار أيضًا، في صفحة الإصدارات في المستودع:",
    ),
    "releases_link": ("Releases page", "صفحة الإصدارات"),
    "release_zip": ("the zipped data package with this report", "حزمة البيانات مضغوطة مع هذا التقرير"),
    "release_sqlite": (
        "SQLite database (with Datasette metadata)",
        "قاعدة بيانات SQLite (مع بيانات Datasette الوصفية)",
    ),
    "release_xlsx": ("spreadsheet, one sheet per table", "جدول بيانات، ورقة لكل جدول"),
    "release_parquet": ("Parquet, one file per table", "ملفات Parquet، ملف لكل جدول"),
    "release_json": ("JSON, one file per table", "ملفات JSON، ملف لكل جدول"),
    "release_sums": ("SHA-256 checksums of every file", "بصمات SHA-256 لكل الملفات"),
    "report_files": ("This edition's own tables:", "جداول هذه النسخة:"),
    "cite": ("Licence and how to cite", "الترخيص وطريقة الاستشهاد"),
    "cite_text": (
        "{creator} ({year}). {title} (version {version}) [Data set]. {licence}.",
        "{creator} ({year}). {title} (الإصدار {version}) [مجموعة بيانات]. {licence}.",
    ),
    "licence_text": (
        "The data, the charts and this edition are under {licence}: reuse them freely, keeping the attribution line:",
        "البيانات والرسوم وهذه النسخة مرخصة بموجب {licence}: أعد استخدامها بحرية مع الاحتفاظ بسطر الإسناد:",
    ),
    "attribution": (
        "Data: {name} ({licence}), compiled from {sources} Arabic news articles; figures are claims as stated by "
        "their sources.",
        "البيانات: {name} ({licence})، مجموعة من {sources} مقالات إخبارية عربية؛ الأرقام ادعاءات كما تذكرها مصادرها.",
    ),
    "repository_text": ("Source, issues and releases:", "المصدر والملاحظات والإصدارات:"),
    "all_facts_link": (
        "Every fact, derived figure and event in one table",
        "كل الحقائق والأرقام المشتقة والأحداث في جدول واحد",
    ),
    "sources_heading": ("Sources", "المصادر"),
    # facts table
    "facts_title": ("Every fact, derived figure and event", "كل الحقائق والأرقام المشتقة والأحداث"),
    "facts_intro": (
        "One row each: {facts} facts, {derived} derived figures, {events} events. Filter by topic, party or source, "
        "or search in English or Arabic (ids, labels, quotes and translations).",
        "صف لكل منها: {facts} حقيقة و{derived} رقمًا مشتقًا و{events} حدثًا. صفِّ حسب الموضوع أو الطرف أو المصدر، "
        "أو ابحث بالعربية أو الإنجليزية (الرموز والتسميات والاقتباسات والترجمات).",
    ),
    "filters": ("Filter the table", "تصفية الجدول"),
    "search": ("Search", "بحث"),
    "search_hint": ("words in English or Arabic", "كلمات بالعربية أو الإنجليزية"),
    "topic": ("Topic", "الموضوع"),
    "party": ("Party", "الطرف"),
    "source": ("Source", "المصدر"),
    "any": ("any", "الكل"),
    "reset": ("Show all", "إظهار الكل"),
    "count": ("{shown} of {total} rows shown", "{shown} من {total} صفًا معروضة"),
    "col_id": ("id", "الرمز"),
    "col_topic": ("topic", "الموضوع"),
    "col_what": ("what", "ماذا"),
    "col_figure": ("figure as stated", "الرقم كما ذُكر"),
    "col_when": ("when", "متى"),
    "col_claim": ("claim", "نوع الادعاء"),
    "col_credited": ("credited to", "منسوب إلى"),
    "col_source": ("source", "المصدر"),
    "col_quote": ("quote", "الاقتباس"),
    "col_translation": ("translation", "الترجمة"),
    "events": ("Events", "الأحداث"),
    "derived": ("Derived", "مشتق"),
    "derived_credit": ("computed here", "محسوب هنا"),
    "quality": ("Data quality", "جودة البيانات"),
    "col_count": ("count", "العدد"),
    "qualifiers": ("Qualifiers (hedges)", "صيغ التحفظ"),
    "claim_types": ("Claim types", "أنواع الادعاء"),
    "not_tabulated": ("Numbers not tabulated", "أرقام لم تُجدول"),
    "not_tabulated_intro": (
        "Every other number in the articles (a year in a date, a duration, an idiom) is listed in "
        "data/not_tabulated.csv with its reason.",
        "كل رقم آخر في المقالات (سنة في تاريخ، مدة، تعبير) مُدرج في data/not_tabulated.csv مع سببه.",
    ),
    "col_reason": ("reason", "السبب"),
    "col_ids": ("ids", "الرموز"),
    # record pages
    "the_claim": ("The claim", "الادعاء"),
    "claim_sentence": (
        "{what}: {figure}, {when}; {claim_type}, credited to {who}.",
        "{what}: {figure}، {when}؛ {claim_type}، منسوب إلى {who}.",
    ),
    "event_sentence": (
        "{what}: {when}; {claim_type}, credited to {who}.",
        "{what}: {when}؛ {claim_type}، منسوب إلى {who}.",
    ),
    "in_english": ("In English:", "بالإنجليزية:"),
    "in_arabic": ("In Arabic:", "بالعربية:"),
    "quote": ("Quote", "الاقتباس"),
    "translation": ("Translation", "الترجمة"),
    "cited_from": ("Source: ", "المصدر: "),
    "paragraph": ("paragraph {n}", "الفقرة {n}"),
    "details": ("Details", "التفاصيل"),
    "f_kind": ("kind", "النوع"),
    "kind_fact": ("fact", "حقيقة"),
    "kind_derived": ("derived figure", "رقم مشتق"),
    "kind_event": ("event", "حدث"),
    "f_metric": ("what is counted", "ما يُعدّ"),
    "f_party": ("of whom", "لمن"),
    "f_detail": ("scope", "النطاق"),
    "f_figure": ("figure as stated", "الرقم كما ذُكر"),
    "f_unit": ("unit", "الوحدة"),
    "f_qualifier": ("qualifier", "صيغة التحفظ"),
    "f_time": ("time", "الزمن"),
    "f_time_basis": ("date", "التاريخ"),
    "f_claim_type": ("claim type", "نوع الادعاء"),
    "f_attributed": ("credited to", "منسوب إلى"),
    "f_source": ("source", "المصدر"),
    "f_literal": ("literal value (as written)", "القيمة الحرفية (كما كُتبت)"),
    "f_note": ("note (in English)", "ملاحظة (بالإنجليزية)"),
    "f_value": ("value", "القيمة"),
    "f_formula": ("formula", "الصيغة"),
    "f_facts": ("facts used", "الحقائق المستخدمة"),
    "f_basis": ("basis", "الأساس"),
    "f_compared": ("compared with", "مقارنة بـ"),
    "f_period": ("period of its facts", "فترة حقائقه"),
    "basis_derived": ("declared in data/derived.csv", "مُعلن في data/derived.csv"),
    "basis_relation": ("implied by relation {id}", "مستنتج من العلاقة {id}"),
    "difference": ("difference {d}", "الفرق {d}"),
    "relations": ("Relations it takes part in", "العلاقات التي تدخل فيها"),
    "derived_using": ("Derived figures computed from it", "الأرقام المشتقة المحسوبة منها"),
    "discrepancies_of": ("Disagreements it takes part in", "الخلافات التي تدخل فيها"),
    "charts_of": ("Charts that show it", "الرسوم التي تُظهرها"),
    "same_event": ("Other claims of the same event", "ادعاءات أخرى للحدث نفسه"),
    "rows_citing": ("Every row citing this source", "كل الصفوف المستندة إلى هذا المصدر"),
    "source_title": ("Source {id}", "المصدر {id}"),
    "s_headline": ("headline", "العنوان"),
    "s_publisher": ("publisher", "الناشر"),
    "s_published": ("published", "تاريخ النشر"),
    "s_not_before": ("{date} or later", "{date} أو بعده"),
    "s_language": ("language", "اللغة"),
    "s_sha": ("SHA-256 of the text", "بصمة SHA-256 للنص"),
    "s_bytes": ("size of the text", "حجم النص"),
    "s_summary": ("summary (in English)", "الملخص (بالإنجليزية)"),
    "s_provenance": ("provenance (in English)", "المصدر والتوثيق (بالإنجليزية)"),
    "unknown": ("unknown", "غير معروف"),
    "lang_ar": ("Arabic", "العربية"),
    "texts_not_shared": (
        "The article's text is not redistributed; its checksum identifies it.",
        "لا يُعاد نشر نص المقال؛ تعرّفه بصمته.",
    ),
}


def say(key: str, lang: str = "en", **values: Any) -> str:
    """The phrase ``key`` in ``lang`` (``en`` or ``ar``), its ``{placeholders}`` filled."""
    text = PHRASES[key][0 if lang == "en" else 1]
    return text.format(**values) if values else text
