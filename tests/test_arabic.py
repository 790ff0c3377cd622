"""Tests for iraq_war_facts.arabic (Arabic number normalization and extraction)."""

from __future__ import annotations

import itertools
import os
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iraq_war_facts.arabic import (
    KINDS,
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
    assert parse_number(words.replace(" و", " و ")) == D(n), words
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
        assert m.kind in KINDS
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
        if m.kind in ("number", "percent", "ordinal", "fraction"):
            assert m.value is not None and m.values() == frozenset({m.value})
            assert (m.fraction is not None) == (m.kind == "fraction")
        elif m.kind == "range":
            assert m.value is None and m.low is not None and m.high is not None and m.low <= m.high
        else:
            assert m.kind == "indefinite" and m.value is None and m.low is not None
            assert m.high is None or m.low < m.high
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


# ---------------------------------------------------------------------------
# Everyday news phrasing (issue 12, section 1): sentences composed for these tests
# ---------------------------------------------------------------------------


def kinds_values(text: str) -> list[tuple[str, Decimal | None, Decimal | None, Decimal | None]]:
    """(kind, value, low, high) for every mention in text."""
    return [(m.kind, m.value, m.low, m.high) for m in find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "mention_text", "low", "high"),
    [
        ("قدرت المصادر عدد المهاجمين من 800 إلى 1500 مسلح في الريف", "800 إلى 1500", 800, 1500),
        ("ينتشر ما بين 3 إلى 5 آلاف جندي على الحدود", "3 إلى 5 آلاف", 3000, 5000),
        ("تضم الكتيبة بين 2000-3000 مقاتل", "2000-3000", 2000, 3000),
        ("تضم الكتيبة بين 2000–3000 مقاتل", "2000–3000", 2000, 3000),
        ("تضم الكتيبة بين 2000 - 3000 مقاتل", "2000 - 3000", 2000, 3000),
        ("نقل من 15 حتى 20 معتقلا إلى السجن", "15 حتى 20", 15, 20),
        ("يعيش نحو 3 إلى 5 آلاف نازح في المخيم", "3 إلى 5 آلاف", 3000, 5000),
        ("يتراوح عددهم من ثلاثة إلى خمسة آلاف", "ثلاثة إلى خمسة آلاف", 3000, 5000),
        ("وصل من 1,5 إلى 2 مليون زائر", "1,5 إلى 2 مليون", 1_500_000, 2_000_000),
    ],
)
def test_ranges_beyond_bayn(text: str, mention_text: str, low: int, high: int) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value, m.low, m.high, m.percent) == ("range", mention_text, None, D(low), D(high), False)


def test_percent_ranges_carry_the_percent_flag() -> None:
    m = one("تراوحت نسبة المشاركة ما بين 10% و15% في المحافظات")
    assert (m.kind, m.text, m.low, m.high, m.percent) == ("range", "10% و15%", D(10), D(15), True)
    m = one("ما بين 10 و15 في المئة من الناخبين")
    assert (m.kind, m.text, m.low, m.high, m.percent) == ("range", "10 و15 في المئة", D(10), D(15), True)
    m = one("بنسبة تراوحت من 20 إلى 25 بالمئة")
    assert (m.kind, m.low, m.high, m.percent) == ("range", D(20), D(25), True)
    assert one("بلغت 5.5 في المئة").percent
    assert not one("قتل 55 شخصا").percent


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("ارتفع عدد الضحايا من 120 إلى 180 خلال أسبوع", [120, 180]),
        ("انخفض عدد الهجمات من 300 إلى 50 شهريا", [300, 50]),
        ("زاد عدد المعتقلين من 200 إلى 400", [200, 400]),
        ("تراجعت الصادرات من 3 إلى 2 مليون برميل", [3_000_000, 2_000_000]),
        ("قفزت الأسعار من 10 إلى 40 دولارا", [10, 40]),
        ("هبط عدد الزوار من 900 إلى 100", [900, 100]),
        ("تضاعف عدد النازحين من 200 إلى 400", [200, 400]),
        ("سجلت الإحصاءات ارتفاعا في عدد النازحين من 40 إلى 65 ألفاً", [40_000, 65_000]),
        ("مع انخفاض عدد القتلى من 70 إلى 90", [70, 90]),
        ("عدد القوات من 160 إلى 50 جنديا", [160, 50]),
        ("ارتفع الرقم من 800 إلى 1.2 مليون", [800, 1_200_000]),
        ("تراجع العدد من 50 إلى 5 آلاف", [50_000, 5000]),
        ("تراجع العدد من 51 إلى 5 آلاف", [51, 5000]),
    ],
)
def test_changes_are_two_numbers(text: str, values: list[int]) -> None:
    ms = find_mentions(text)
    assert [(m.kind, m.value) for m in ms] == [("number", D(v)) for v in values]


def test_to_without_a_number_is_no_range() -> None:
    assert kinds_values("نقل 300 إلى المدينة و50 إلى القرية") == [
        ("number", D(300), None, None),
        ("number", D(50), None, None),
    ]
    assert kinds_values("فاز الفريق 3-1 أمس") == [("number", D(3), None, None), ("number", D(1), None, None)]


@pytest.mark.parametrize(
    ("text", "mention_text", "value"),
    [
        ("تبلغ الكلفة 1,5 مليون دولار", "1,5 مليون", D(1_500_000)),
        ("خصصت الحكومة 2,25 مليار دولار", "2,25 مليار", D(2_250_000_000)),
        ("قتل 4,487 جنديا", "4,487", D(4487)),
        ("نشر 12,000 عنصر", "12,000", D(12000)),
        ("بلغ 1,500 شخص", "1,500", D(1500)),
        ("بلغ 1,50 شخص", "1,50", D("1.5")),
        ("بلغ 1,5000 شخص", "1,5000", D("1.5")),
        ("بلغ 0,500 مليون", "0,500 مليون", D(500_000)),
        ("بلغت 1,234,567 دولارا", "1,234,567", D(1_234_567)),
        ("بلغ ١٫٥ مليون", "١٫٥ مليون", D(1_500_000)),
    ],
)
def test_comma_decimal_or_thousands_by_grouping(text: str, mention_text: str, value: Decimal) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value) == ("number", mention_text, value)


def test_comma_decimal_percent_and_arabic_comma() -> None:
    m = one("بنسبة 0,5 في المائة")
    assert (m.kind, m.value, m.text) == ("percent", D("0.5"), "0,5 في المائة")
    assert [m.value for m in find_mentions("سقط 12،5 منهم")] == [D(12), D(5)]
    assert [m.value for m in find_mentions("سقط 12، 5 منهم")] == [D(12), D(5)]


@pytest.mark.parametrize(
    ("text", "mention_text", "value"),
    [
        ("رصدت الحكومة مليارا دولار لإعادة الإعمار", "مليارا", 2 * 10**9),
        ("أرسلت الوزارة ألفا جندي إلى الحدود", "ألفا", 2000),
        ("يعيش مليوني نازح في المخيمات", "مليوني", 2 * 10**6),
        ("خصصت ملياري دولار", "ملياري", 2 * 10**9),
        ("وصل ألفان من الزوار", "ألفان", 2000),
        ("قتل 150 ألفاً من المدنيين", "150 ألفاً", 150_000),
        ("نزح مئة ألفا من السكان", "مئة ألفا", 100_000),
        ("جندت الفصائل ألفاً من الشبان", "ألفاً", 1000),
        ("جندت الفصائل ألفًا من الشبان", "ألفًا", 1000),
    ],
)
def test_duals_and_accusative_scale(text: str, mention_text: str, value: int) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value) == ("number", mention_text, D(value))


@pytest.mark.parametrize(
    ("text", "mention_text", "value"),
    [
        ("ارتفعت البطالة بنسبة %30 خلال العام", "%30", D(30)),
        ("ارتفعت البطالة بنسبة ٪٣٠ فقط", "٪٣٠", D(30)),
        ("ارتفعت البطالة بنسبة % 45 فقط", "% 45", D(45)),
        ("بنسبة %2.5 فقط", "%2.5", D("2.5")),
    ],
)
def test_percent_sign_before_the_number(text: str, mention_text: str, value: Decimal) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value, m.percent) == ("percent", mention_text, value, True)


def test_percent_sign_belongs_to_one_number() -> None:
    assert kinds_values("بنسبة 12% 5 مرات") == [("percent", D(12), None, None), ("number", D(5), None, None)]


@pytest.mark.parametrize(
    ("text", "mention_text", "kind", "value", "exact"),
    [
        ("سيطر المسلحون على ثلث مساحة المحافظة", "ثلث", "fraction", D("0.333333"), Fraction(1, 3)),
        ("يعيش ثلثا السكان تحت خط الفقر", "ثلثا", "fraction", D("0.666667"), Fraction(2, 3)),
        ("دمرت الحرب ثلثي المنازل", "ثلثي", "fraction", D("0.666667"), Fraction(2, 3)),
        ("ذهب ثلاثة أرباع الميزانية إلى الأمن", "ثلاثة أرباع", "fraction", D("0.75"), Fraction(3, 4)),
        ("انسحب ربع القوات", "ربع", "fraction", D("0.25"), Fraction(1, 4)),
        ("عاد نصف النازحين", "نصف", "fraction", D("0.5"), Fraction(1, 2)),
        ("نزح قرابة نصف المليون شخص", "نصف المليون", "number", D(500_000), None),
        ("نزح نصف مليون شخص", "نصف مليون", "number", D(500_000), None),
        ("نزح مليون ونصف المليون شخص", "مليون ونصف المليون", "number", D(1_500_000), None),
        ("نزح مليون و نصف المليون شخص", "مليون و نصف المليون", "number", D(1_500_000), None),
        ("نزح مليون و نصف", "مليون و نصف", "number", D(1_500_000), None),
        ("نزح ربع مليون شخص", "ربع مليون", "number", D(250_000), None),
        ("نزح ثلاثة أرباع المليون", "ثلاثة أرباع المليون", "number", D(750_000), None),
        ("نزح ثلث مليون شخص", "ثلث مليون", "fraction", D(333_333), Fraction(1_000_000, 3)),
        ("نزح ثلثا مليون شخص", "ثلثا مليون", "fraction", D(666_667), Fraction(2_000_000, 3)),
        ("أنفق مليار وثلث", "مليار وثلث", "fraction", D(1_333_333_333), Fraction(4_000_000_000, 3)),
    ],
)
def test_fractions(text: str, mention_text: str, kind: str, value: Decimal, exact: Fraction | None) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value, m.fraction) == (kind, mention_text, value, exact)
    assert m.low is None and m.high is None


def test_fraction_not_read_without_its_noun() -> None:
    assert kinds_values("بقي ثلاث سنوات ونصف.") == [("number", D(3), None, None)]
    assert kinds_values("في النصف الثاني من العام") == []
    assert parse_number("ثلث مليون") is None
    assert parse_number("نصف مليون") == D(500_000)


@pytest.mark.parametrize(
    ("text", "mention_text", "value"),
    [
        ("شاركت إحدى وعشرون دولة في القمة", "إحدى وعشرون", 21),
        ("وصل أحد وثلاثون مراقبا", "أحد وثلاثون", 31),
        ("أصيب أحد عشر جنديا", "أحد عشر", 11),
        ("تضم الهيئة مئة وإحدى وعشرين عضوا", "مئة وإحدى وعشرين", 121),
        ("تضم الهيئة مئة وأحد وعشرين عضوا", "مئة وأحد وعشرين", 121),
        ("تضم الهيئة مئة و إحدى و عشرين عضوا", "مئة و إحدى و عشرين", 121),
    ],
)
def test_ihda_and_ahad_as_units_digit(text: str, mention_text: str, value: int) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value) == ("number", mention_text, D(value))


def test_ahad_alone_is_not_a_number() -> None:
    assert find_mentions("قال أحد المسؤولين إن إحدى القواعد أخليت") == []


@pytest.mark.parametrize(
    ("text", "mention_text", "low", "high"),
    [
        ("استقبلت المخيمات آلافاً من النازحين", "آلافاً", 3000, None),
        ("استقبلت المخيمات آلافا من النازحين", "آلافا", 3000, None),
        ("عاد بضعة آلاف إلى المدينة", "بضعة آلاف", 3000, 9000),
        ("قاتل بضع مئات من المسلحين", "بضع مئات", 300, 900),
        ("نزح بضعة ملايين", "بضعة ملايين", 3_000_000, 9_000_000),
        ("نزح ببضعة آلاف", "ببضعة آلاف", 3000, 9000),
        ("قتل بضع عشرات الآلاف", "بضع عشرات الآلاف", 30_000, 90_000),
        ("فر عدة آلاف من السكان", "عدة آلاف", 3000, None),
        ("فر لعدة مئات من السكان", "لعدة مئات", 300, None),
    ],
)
def test_indefinite_quantities(text: str, mention_text: str, low: int, high: int | None) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value, m.low) == ("indefinite", mention_text, None, D(low))
    assert m.high == (None if high is None else D(high))


def test_some_and_several_without_a_plural_number_are_not_mentions() -> None:
    assert find_mentions("بعد بضعة أيام عاد عدة مرات مع العدة") == []


@pytest.mark.parametrize(
    ("detached", "attached", "value"),
    [
        ("خمسة و عشرون", "خمسة وعشرون", 25),
        ("مئة و خمسين", "مئة وخمسين", 150),
        ("مليون و نصف", "مليون ونصف", 1_500_000),
        ("ألف و خمسمائة", "ألف وخمسمائة", 1500),
        ("ثلاثة آلاف و مئتان و واحد", "ثلاثة آلاف ومئتان وواحد", 3201),
        ("مئة و أحد عشر", "مئة وأحد عشر", 111),
    ],
)
def test_conjunction_written_apart(detached: str, attached: str, value: int) -> None:
    assert parse_number(detached) == parse_number(attached) == D(value)
    m = one(f"قتل {detached} شخصا")
    assert (m.text, m.value) == (detached, D(value))


def test_detached_conjunction_between_separate_numbers() -> None:
    assert [m.value for m in find_mentions("ثلاثة و أربعة")] == [D(3), D(4)]
    assert [m.value for m in find_mentions("ألف و ألفين")] == [D(1000), D(2000)]


def test_zero_and_the_month_safar() -> None:
    assert kinds_values("انخفض عدد الهجمات إلى صفر") == [("number", D(0), None, None)]
    assert kinds_values("سجلت المدينة صفر إصابات") == [("number", D(0), None, None)]
    assert parse_number("صفر") == D(0)
    assert kinds_values("في 15 صفر 1445 هـ") == [("number", D(15), None, None), ("number", D(1445), None, None)]
    assert find_mentions("خلال شهر صفر الماضي") == []
    assert kinds_values("في العاشر من صفر") == [("ordinal", D(10), None, None)]
    assert kinds_values("في الحادي عشر من صفر") == [("ordinal", D(11), None, None)]
    assert kinds_values("من صفر إلى 10 إصابات") == [("range", None, D(0), D(10))]


def test_west_is_not_six() -> None:
    assert find_mentions("تخرج في أكاديمية وست بوينت العسكرية") == []
    assert find_mentions("نادي وست هام الإنجليزي") == []
    assert kinds_values("قتل ثلاثة جنود وست نساء") == [("number", D(3), None, None), ("number", D(6), None, None)]
    assert kinds_values("أسقطت وست طائرات") == [("number", D(6), None, None)]
    assert kinds_values("أصيب 3 في هجوم وست بوينت") == [("number", D(3), None, None)]
    assert kinds_values("خلال ست سنوات") == [("number", D(6), None, None)]
    assert parse_number("خمسة آلاف وستمئة") == D(5600)


@pytest.mark.parametrize(
    ("text", "mention_text", "value"),
    [
        ("أحيا الزوار زيارة الأربعين في كربلاء", "الأربعين", 40),
        ("في الذكرى العشرين للغزو", "العشرين", 20),
        ("منذ مطلع القرن العشرين", "العشرين", 20),
        ("في الذكرى الأولى للانسحاب", "الأولى", 1),
        ("في الذكرى السنوية العاشرة للحرب", "العاشرة", 10),
        ("للمرة الثانية هذا العام", "الثانية", 2),
        ("في الذكرى الحادية والعشرين", "الحادية والعشرين", 21),
        ("في القرن التاسع عشر", "التاسع عشر", 19),
    ],
)
def test_ordinals_after_an_ordinal_head(text: str, mention_text: str, value: int) -> None:
    m = one(text)
    assert (m.kind, m.text, m.value) == ("ordinal", mention_text, D(value))


def test_definite_cardinal_after_a_plural_is_a_count() -> None:
    assert kinds_values("خلال السنوات العشرين الماضية") == [("number", D(20), None, None)]
    assert find_mentions("فهذا ليس الانسحاب الأول للقوات الأمريكية") == []


def test_kinds_are_declared() -> None:
    assert {"number", "range", "indefinite", "percent", "ordinal", "fraction"} == KINDS
