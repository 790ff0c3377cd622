"""Tests for iraq_war_facts.arabic (Arabic number normalization and extraction)."""

from __future__ import annotations

import itertools
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iraq_war_facts.arabic import (
    Mention,
    find_mentions,
    mentions_values,
    normalize_digits,
    parse_number,
    strip_marks,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
D = Decimal


def one(text: str) -> Mention:
    """The single mention found in text."""
    ms = find_mentions(text)
    assert len(ms) == 1, ms
    return ms[0]


def summary(text: str) -> list[tuple[str, str, Decimal | None, Decimal | None, Decimal | None]]:
    """(kind, text, value, low, high) for every mention in text."""
    return [(m.kind, m.text, m.value, m.low, m.high) for m in find_mentions(text)]


# ---------------------------------------------------------------------------
# Normalization helpers
# ---------------------------------------------------------------------------


def test_normalize_digits() -> None:
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize_digits("١٬٥٠٠٫٢٥") == "1,500.25"
    assert normalize_digits("عام 2003") == "عام 2003"


def test_strip_marks() -> None:
    assert strip_marks("ثَلَاثَةُ آلَافٍ") == "ثلاثة آلاف"
    assert strip_marks("ألفاً") == "ألفا"
    assert strip_marks("مـــلـيـون") == "مليون"
    assert strip_marks("هٰذا") == "هذا"


# ---------------------------------------------------------------------------
# Real examples from the seed articles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention_text", "value"),
    [
        ("التي بلغت حوالي 500 مليار دولار فإن", "500 مليار", D(500_000_000_000)),
        ("يزيد عددها عن 150 ألفاً بكل معداتها", "150 ألفاً", D(150_000)),
        ("أكثر من 4000 قتيل من الجنود", "4000", D(4000)),
        ("مبلغا قدره 802 مليار دولار أمريكي", "802 مليار", D(802_000_000_000)),
        ("تخصيص 747.6 مليار دولار منها", "747.6 مليار", D(747_600_000_000)),
        ("قد بلغت ثلاثة تريليونات مليار دولار", "ثلاثة تريليونات مليار", D(3 * 10**21)),
        ("بلغت 14.32 مليار دولار", "14.32 مليار", D(14_320_000_000)),
        ("مبلغ 861 مليون دولار على المساعدات", "861 مليون", D(861_000_000)),
        ("أن حوالي 1.6 مليون عراقي أبعدوا", "1.6 مليون", D(1_600_000)),
        ("وقد عاد حوالي 400 ألف من أولئك", "400 ألف", D(400_000)),
        ("بلغ قوامها 160 ألفاً عند احتلال", "160 ألفاً", D(160_000)),
        ("وتتركز القوات في ثلاث قواعد فقط", "ثلاث", D(3)),
        ("أفضل بكثير خلال السنوات السبع الماضية", "السبع", D(7)),
        ("التي بدأت قبل أربع سنوات فاشلة", "أربع", D(4)),
        ("فإن مصيراً واحداً ينتظره", "واحداً", D(1)),
    ],
)
def test_seed_numbers(text: str, mention_text: str, value: Decimal) -> None:
    m = one(text)
    assert m.kind == "number"
    assert m.text == mention_text
    assert m.value == value
    assert m.low is None and m.high is None
    assert text[m.start : m.end] == mention_text
    assert m.values() == frozenset({value})


def test_exact_decimal_not_float() -> None:
    m = one("747.6 مليار")
    assert m.value == D("747600000000")
    assert str(m.value) == "747600000000"
    assert str(one("ثلاثة تريليونات مليار").value) == "3000000000000000000000"


def test_indefinite_thousands() -> None:
    text = "أكثر من 4000 قتيل من الجنود وآلاف الجرحى وآلاف الفارين"
    assert summary(text) == [
        ("number", "4000", D(4000), None, None),
        ("indefinite", "وآلاف", None, D(3000), None),
        ("indefinite", "وآلاف", None, D(3000), None),
    ]


def test_indefinite_tens_with_prefix() -> None:
    assert summary("إن أعداد القتلى بالعشرات.") == [("indefinite", "بالعشرات", None, D(30), None)]
    assert summary("مقتل عشرات العناصر") == [("indefinite", "عشرات", None, D(30), None)]
    assert summary("مئات") == [("indefinite", "مئات", None, D(300), None)]
    assert summary("عشرات الآلاف من النازحين")[0][3] == D(30_000)


def test_range_with_shared_scale() -> None:
    text = "في العراق ما بين 100 و150 ألف عسكري، إذا"
    m = one(text)
    assert m.kind == "range"
    assert m.text == "100 و150 ألف"
    assert (m.value, m.low, m.high) == (None, D(100_000), D(150_000))
    assert m.values() == frozenset({D(100_000), D(150_000)})


def test_range_with_intervening_word() -> None:
    text = "في الفترة الممتدة ما بين عامي 2006 و2010، ويشكل"
    assert summary(text) == [("range", "2006 و2010", None, D(2006), D(2010))]


def test_numbers_joined_by_waw_outside_range_are_separate() -> None:
    assert [m.value for m in find_mentions("عامي 2006 و2010")] == [D(2006), D(2010)]
    assert [m.value for m in find_mentions("العدد 100 و150")] == [D(100), D(150)]


def test_percent() -> None:
    m = one("ويشكل هذا العدد 5.5 في المئة من عدد سكان البلاد")
    assert (m.kind, m.text, m.value) == ("percent", "5.5 في المئة", D("5.5"))
    for suffix in (" في المائة", " بالمئة", " بالمائة", "%", " ٪"):
        m = one(f"نسبة 12{suffix} من السكان")
        assert m.kind == "percent" and m.value == D(12)
        assert m.text == f"12{suffix}"


def test_ordinal_with_shahr() -> None:
    text = "في التاسع عشر من شهر مارس من عام 2003."
    assert summary(text) == [
        ("ordinal", "التاسع عشر", D(19), None, None),
        ("number", "2003", D(2003), None, None),
    ]


def test_ordinal_first_of_september() -> None:
    text = "منذ الأول من شهر سبتمبر/أيلول 2010، فقد بلغ 305 شخصا."
    assert summary(text) == [
        ("ordinal", "الأول", D(1), None, None),
        ("number", "2010", D(2010), None, None),
        ("number", "305", D(305), None, None),
    ]


def test_ordinal_variants_and_non_dates() -> None:
    assert summary("الحادي والعشرين من يناير")[0][:3] == ("ordinal", "الحادي والعشرين", D(21))
    assert summary("العاشر أكتوبر")[0][:3] == ("ordinal", "العاشر", D(10))
    assert summary("الحادي عشر من سبتمبر")[0][2] == D(11)
    assert find_mentions("فهذا ليس الانسحاب الأول للقوات الأمريكية") == []
    assert find_mentions("في القرن التاسع عشر") == []
    assert find_mentions("الأول من نوعه") == []


def test_glued_digits() -> None:
    assert summary("ليرحلوا عنها في ديسمبر عام2011 وما") == [("number", "2011", D(2011), None, None)]
    assert summary("في نوفمبر2021 أن") == [("number", "2021", D(2021), None, None)]


def test_weekday_is_not_number() -> None:
    assert find_mentions("قاعدة عين الأسد العسكرية، الثلاثاء، يستمر") == []
    assert summary("وفي يوم الأربعاء 6 يوليو 2016 أعلن") == [
        ("number", "6", D(6), None, None),
        ("number", "2016", D(2016), None, None),
    ]
    assert find_mentions("يوم الاثنين") == []


def test_month_name_kanun_al_awwal() -> None:
    text = "القوات القتالية في 31 كانون الأول/ ديسمبر المقبل ثابت"
    assert summary(text) == [("number", "31", D(31), None, None)]


def test_not_numbers() -> None:
    assert find_mentions("أحد المسؤولين") == []
    assert find_mentions("بلاده لست بحاجة للقوات") == []
    assert find_mentions("إحدى القواعد") == []


# ---------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("خمسة وعشرون", 25),
        ("مئة وخمسون ألفا", 150_000),
        ("ثلاثة آلاف", 3000),
        ("عشرة ملايين", 10**7),
        ("ألف", 1000),
        ("مليون", 10**6),
        ("ألفان", 2000),
        ("ألفين", 2000),
        ("مليونان", 2 * 10**6),
        ("مليونين", 2 * 10**6),
        ("ملياران", 2 * 10**9),
        ("مليارين", 2 * 10**9),
        ("أحد عشر", 11),
        ("إحدى عشرة", 11),
        ("اثنا عشر", 12),
        ("اثني عشر", 12),
        ("تسعة عشر", 19),
        ("تسعين", 90),
        ("مائتين", 200),
        ("ثلاثمائة", 300),
        ("تسعمئة", 900),
        ("ثلاث مئة", 300),
        ("اربعة", 4),
        ("ألفان وثلاثمئة وخمسة وأربعون", 2345),
        ("ثلاثة ملايين وخمسمئة ألف", 3_500_000),
        ("3 ملايين و500 ألف", 3_500_000),
        ("مليون ونصف", 1_500_000),
        ("نصف مليون", 500_000),
        ("مئتا ألف", 200_000),
        ("ثَلَاثَةُ آلَافٍ", 3000),
        ("ثلاثـــة", 3),
        ("1,500,000", 1_500_000),
        ("1.600.000", 1_600_000),
    ],
)
def test_parse_number_words(text: str, value: int) -> None:
    assert parse_number(text) == D(value)


@pytest.mark.parametrize("text", ["", "   ", "الثلاثاء", "أحد", "آلاف", "100 و150", "5 في المئة", "ألف جندي", "abc"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_word_numbers_joined_by_waw_that_are_not_compounds() -> None:
    assert [m.value for m in find_mentions("ثلاثة وأربعة")] == [D(3), D(4)]
    assert [m.value for m in find_mentions("ألف وألفين")] == [D(1000), D(2000)]


# ---------------------------------------------------------------------------
# Arabic-Indic and Persian digits
# ---------------------------------------------------------------------------


def test_arabic_indic_digits() -> None:
    assert summary("بقي ٢٥٠٠ جندي") == [("number", "٢٥٠٠", D(2500), None, None)]
    assert summary("نحو ١٬٥٠٠٬٠٠٠ نازح") == [("number", "١٬٥٠٠٬٠٠٠", D(1_500_000), None, None)]
    assert summary("بنسبة ٥٫٥٪ فقط") == [("percent", "٥٫٥٪", D("5.5"), None, None)]
    assert summary("حوالي ۳۵۰۰ من جنود") == [("number", "۳۵۰۰", D(3500), None, None)]


def test_offsets_with_diacritics() -> None:
    text = "قُتِلَ ثَلَاثَةُ آلَافٍ جُنْدِيٍّ و١٥٠ ألفاً"
    ms = find_mentions(text)
    assert [(m.text, m.value) for m in ms] == [("ثَلَاثَةُ آلَافٍ", D(3000)), ("١٥٠ ألفاً", D(150_000))]
    for m in ms:
        assert text[m.start : m.end] == m.text


def test_mentions_values() -> None:
    text = "ما بين 100 و150 ألف عسكري و4000 قتيل وآلاف الجرحى في المئة"
    assert mentions_values(text) == {D(100_000), D(150_000), D(4000), D(3000)}


# ---------------------------------------------------------------------------
# Property-based tests
# ---------------------------------------------------------------------------

_AR_DIGITS = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")


@settings(database=None, max_examples=300, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**12 - 1),
    arabic=st.booleans(),
    grouped=st.booleans(),
)
def test_integer_digits_roundtrip(n: int, arabic: bool, grouped: bool) -> None:
    s = f"{n:,}" if grouped else str(n)
    if arabic:
        s = s.translate(_AR_DIGITS)
    assert parse_number(s) == D(n)
    prefix = "قال التقرير إن "
    text = f"{prefix}{s} شخصا قتلوا في المدينة"
    m = one(text)
    assert (m.kind, m.value, m.start, m.end, m.text) == ("number", D(n), len(prefix), len(prefix) + len(s), s)


_UNITS_M = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
_TENS = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
_HUNDREDS = ["", "مئة", "مئتان", "ثلاثمئة", "أربعمئة", "خمسمئة", "ستمئة", "سبعمئة", "ثمانمئة", "تسعمئة"]


def below_thousand(n: int, hamza_free: bool = False) -> str:
    """Arabic words for 1 <= n <= 999 (masculine counting forms)."""
    h, rest = divmod(n, 100)
    parts: list[str] = []
    if h:
        hw = _HUNDREDS[h]
        parts.append(hw.replace("مئة", "مائة") if hamza_free else hw)
    if rest:
        if rest == 11:
            parts.append("أحد عشر")
        elif rest == 12:
            parts.append("اثنا عشر")
        elif 13 <= rest <= 19:
            parts.append(f"{_UNITS_M[rest - 10]} عشر")
        else:
            t, u = divmod(rest, 10)
            if u and t >= 2:
                parts.append(f"{_UNITS_M[u]} و{_TENS[t]}")
            else:
                parts.append(_TENS[t] if t else _UNITS_M[u])
    words = " و".join(parts)
    return words.replace("أ", "ا") if hamza_free else words


def to_arabic_words(n: int, hamza_free: bool = False) -> str:
    """Arabic words for 1 <= n <= 999999, e.g. 2345 -> "ألفان وثلاثمئة وخمسة وأربعون"."""
    th, rest = divmod(n, 1000)
    parts: list[str] = []
    if th == 1:
        parts.append("ألف")
    elif th == 2:
        parts.append("ألفان")
    elif 3 <= th <= 10:
        parts.append(f"{below_thousand(th)} آلاف")
    elif th == 200:
        parts.append("مئتا ألف")
    elif 11 <= th <= 99:
        parts.append(f"{below_thousand(th)} ألفا")
    elif th:
        parts.append(f"{below_thousand(th)} ألف")
    if rest:
        parts.append(below_thousand(rest))
    words = " و".join(parts)
    return words.replace("أ", "ا") if hamza_free else words


def test_word_generator_examples() -> None:
    assert to_arabic_words(2345) == "ألفان وثلاثمئة وخمسة وأربعون"
    assert to_arabic_words(150_000) == "مئة وخمسون ألف"
    assert to_arabic_words(11) == "أحد عشر"


@settings(database=None, max_examples=400, deadline=None)
@given(n=st.integers(min_value=1, max_value=999_999), hamza_free=st.booleans())
def test_words_roundtrip(n: int, hamza_free: bool) -> None:
    words = to_arabic_words(n, hamza_free)
    assert parse_number(words) == D(n), words
    text = f"قتل {words} شخصا"
    m = one(text)
    assert m.value == D(n) and m.text == words


@settings(database=None, max_examples=500, deadline=None)
@given(st.text())
def test_find_mentions_never_raises(text: str) -> None:
    ms = find_mentions(text)
    prev_end = 0
    for m in ms:
        assert 0 <= prev_end <= m.start < m.end <= len(text)
        assert m.text == text[m.start : m.end]
        assert m.kind in {"number", "range", "indefinite", "percent", "ordinal"}
        prev_end = m.end


_ARABIC_ALPHABET = st.sampled_from(
    [
        *"ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةى ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩٫٬0123456789.,%٪ ",
        *(" ألف ", " مليون ", " وعشرون ", " ثلاثة ", " بين ", " و", " آلاف ", " الأول من مارس ", " في المئة "),
    ]
)


@settings(database=None, max_examples=300, deadline=None)
@given(st.lists(_ARABIC_ALPHABET, max_size=60).map("".join))
def test_find_mentions_invariants_on_arabic_soup(text: str) -> None:
    ms = find_mentions(text)
    prev_end = 0
    for m in ms:
        assert prev_end <= m.start < m.end
        assert m.text == text[m.start : m.end]
        if m.kind in ("number", "percent", "ordinal"):
            assert m.value is not None and m.values() == frozenset({m.value})
        elif m.kind == "range":
            assert m.value is None and m.low is not None and m.high is not None and m.low <= m.high
        else:
            assert m.kind == "indefinite" and m.value is None and m.low is not None
        prev_end = m.end


@settings(database=None, max_examples=300, deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=10**12),
    frac=st.text(alphabet="0123456789", min_size=1, max_size=8),
    arabic_sep=st.booleans(),
    arabic_digits=st.booleans(),
)
def test_decimal_roundtrip(whole: int, frac: str, arabic_sep: bool, arabic_digits: bool) -> None:
    s = f"{whole}.{frac}"
    expected = D(s)
    if arabic_sep:
        s = s.replace(".", "٫")
    if arabic_digits:
        s = s.translate(_AR_DIGITS)
    assert parse_number(s) == expected
    assert one(f"بلغت الكلفة {s} دولار").value == expected


@settings(database=None, max_examples=200, deadline=None)
@given(d=st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_strategy_roundtrip(d: Decimal) -> None:
    assert parse_number(f"{d:f}") == d
    assert parse_number(f"{d:f}".replace(".", "٫")) == d


# ---------------------------------------------------------------------------
# Seed files and performance
# ---------------------------------------------------------------------------


def _seed_texts() -> dict[str, str]:
    if not SEEDS.is_dir():
        reason = f"seed directory not found: {SEEDS}"
        if os.environ.get("IWF_REQUIRE_SOURCES") == "1":
            pytest.fail(f"{reason}, and IWF_REQUIRE_SOURCES=1 makes it mandatory")
        pytest.skip(reason)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    if not texts:
        pytest.skip(f"no seed *.txt files in {SEEDS}")
    return texts


def _by_prefix(texts: dict[str, str], prefix: str) -> str:
    for name, text in texts.items():
        if name.startswith(prefix):
            return text
    pytest.skip(f"seed file {prefix}_*.txt not present")
    raise AssertionError  # unreachable


def test_seed_files() -> None:
    texts = _seed_texts()
    for name, text in texts.items():
        ms = find_mentions(text)
        # Every article states at least a few figures but far fewer than one per 20 characters.
        assert 3 <= len(ms) <= len(text) // 20, (name, len(ms))
        for a, b in itertools.pairwise(ms):
            assert a.end <= b.start
        for m in ms:
            assert text[m.start : m.end] == m.text

    s000 = summary(_by_prefix(texts, "000"))
    assert ("number", "500 مليار", D(500_000_000_000), None, None) in s000
    assert ("number", "150 ألفاً", D(150_000), None, None) in s000
    assert ("number", "4000", D(4000), None, None) in s000
    assert s000.count(("indefinite", "وآلاف", None, D(3000), None)) == 2

    s001 = summary(_by_prefix(texts, "001"))
    for expected in [
        ("range", "100 و150 ألف", None, D(100_000), D(150_000)),
        ("range", "2006 و2010", None, D(2006), D(2010)),
        ("ordinal", "التاسع عشر", D(19), None, None),
        ("ordinal", "الأول", D(1), None, None),
        ("number", "2011", D(2011), None, None),
        ("number", "802 مليار", D(802_000_000_000), None, None),
        ("number", "747.6 مليار", D(747_600_000_000), None, None),
        ("number", "ثلاثة تريليونات مليار", D(3 * 10**21), None, None),
        ("number", "14.32 مليار", D(14_320_000_000), None, None),
        ("number", "861 مليون", D(861_000_000), None, None),
        ("number", "1.6 مليون", D(1_600_000), None, None),
        ("percent", "5.5 في المئة", D("5.5"), None, None),
        ("number", "400 ألف", D(400_000), None, None),
        ("number", "4487", D(4487), None, None),
        ("number", "32000", D(32000), None, None),
    ]:
        assert expected in s001, expected
    assert not any(k == "number" and v in (D(100), D(150)) for k, _, v, _, _ in s001)

    s002 = summary(_by_prefix(texts, "002"))
    assert ("number", "ثلاث", D(3), None, None) in s002
    assert ("number", "السبع", D(7), None, None) in s002
    assert ("number", "160 ألفاً", D(160_000), None, None) in s002
    assert ("number", "2500", D(2500), None, None) in s002
    assert not any(t == "لست" for _, t, *_ in s002)

    s003 = summary(_by_prefix(texts, "003"))
    assert ("indefinite", "بالعشرات", None, D(30), None) in s003
    assert ("indefinite", "عشرات", None, D(30), None) in s003
    assert ("number", "22", D(22), None, None) in s003

    s004 = summary(_by_prefix(texts, "004"))
    assert ("number", "2021", D(2021), None, None) in s004
    assert ("number", "31", D(31), None, None) in s004
    assert ("number", "3500", D(3500), None, None) in s004
    assert not any(k == "ordinal" for k, *_ in s004)
    assert not any("الثلاثاء" in t for _, t, *_ in s004)


def test_performance_10kb() -> None:
    if SEEDS.is_dir() and any(SEEDS.glob("*.txt")):
        base = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    else:
        base = "قتل 4000 جندي وآلاف الجرحى ما بين 100 و150 ألف في التاسع عشر من شهر مارس 5.5 في المئة. "
    text = (base * (10_240 // len(base) + 1))[:10_240]
    find_mentions(text)  # warm caches
    best = min(_timed(text) for _ in range(5))
    assert best < 0.05, best


def _timed(text: str) -> float:
    t0 = time.perf_counter()
    find_mentions(text)
    return time.perf_counter() - t0
