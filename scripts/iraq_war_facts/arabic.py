"""Arabic numeral normalization and extraction of numeric mentions from text.

The extractor works on a folded copy of the text (diacritics, tatweel and
invisible format characters removed; Arabic-Indic digits, hamza-carrying
alefs, alef maqsura and ta marbuta normalized) and maps every match back to
character offsets in the original string. One left-to-right scan over tokens.

Reading rules for everyday news writing:

- Digits. A comma between digits is a thousands separator when the first
  group has one to three digits (not a lone 0) and every comma is followed by
  exactly three digits ("4,487", "12,000", "1,234,567"); any other single
  comma is a decimal mark ("1,5 مليون", "2,25", "0,5", "0,500", "1,5000").
  The Arabic decimal separator ٫ is a decimal mark, the Arabic thousands
  separator ٬ follows the comma rule, and the Arabic comma ، is never part of
  a number.
- Ranges. "(ما) بين X و/إلى Y", "بين X-Y" (hyphen or en dash), "من X إلى/حتى
  Y" and "X إلى Y" are ranges; a scale written only after Y applies to X when
  X has none and the range stays ordered ("ما بين 3 إلى 5 آلاف": 3000-5000).
  "من X إلى Y" and "X إلى Y" are two numbers, not a range, after a change word
  (ارتفع، انخفض، زاد، تراجع، قفز، هبط، تضاعف، ارتفاع، انخفاض...) or when X is
  not below Y; then X takes Y's scale when that puts it within a factor of ten
  of Y ("ارتفع من 120 إلى 180 ألفاً": 120000 and 180000).
- Percent: after the number (%, ٪, في المئة, بالمائة) or before it ("%30",
  "٪ ٣٠"). Percent and percent-range mentions carry ``percent=True``.
- Duals: "ألفان/ألفين/ألفي", "مليونا دولار", "ألفا جندي" are two of the scale.
  A scale ending in ا right after a number is the accusative singular ("150
  ألفاً", "مئة ألفا"); at the start of a number it is the dual, unless the
  original text marks it with tanween ("ألفاً" alone is 1000).
- Fractions: نصف، ربع، ثلث، ثلثا/ثلثي، ثلاثة أرباع. Of a scale ("نصف المليون",
  "مليون ونصف المليون", "ربع مليون") the value is exact when it is a
  terminating decimal (kind "number"). Otherwise, and for a bare share of a
  noun ("ثلث السكان"), the kind is "fraction": ``fraction`` holds the exact
  rational value and ``value`` rounds it to the nearest integer when it is at
  least 1 ("ثلث مليون": 333333) and to six decimal places below 1 ("ثلث":
  0.333333).
- Indefinite plurals: "آلاف/آلافاً", "عشرات الآلاف" give low = three of the
  unit; "بضع/بضعة" before them is three to nine of the unit (low and high:
  "بضعة آلاف" 3000-9000, the grammarians' definition of بضع); "عدة" is at
  least three, with no upper bound (low only), as عدة has no defined ceiling.
- Words: the conjunction و attached or written apart ("خمسة و عشرون"); أحد
  and إحدى as the units digit before "و + tens" ("إحدى وعشرون": 21); صفر is 0
  except as the month (after a day number, after شهر, before a year).
- Not counts: "وست" (as in "وست بوينت") is و + six only with counting
  evidence nearby (a counted plural or number word after it, or a number
  one or two words before it); an ordinal after a noun that takes one ("الذكرى العشرين",
  "القرن العشرين", "زيارة الأربعين", "للمرة الأولى") has kind "ordinal".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "KINDS",
    "MONTH_NAMES",
    "QUALIFIED_MONTHS",
    "Mention",
    "find_mentions",
    "fold",
    "mentions_values",
    "normalize_digits",
    "parse_number",
    "strip_marks",
]

# Exact arithmetic: additions and multiplications never round.
_CTX = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_ONE = Decimal(1)

# ---------------------------------------------------------------------------
# Character tables
# ---------------------------------------------------------------------------

_DIGIT_MAP: dict[int, str] = {}
for _i in range(10):
    _DIGIT_MAP[0x0660 + _i] = str(_i)  # Arabic-Indic
    _DIGIT_MAP[0x06F0 + _i] = str(_i)  # Extended Arabic-Indic (Persian/Urdu)
_DIGIT_MAP[0x066B] = "."  # Arabic decimal separator
_DIGIT_MAP[0x066C] = ","  # Arabic thousands separator

_MARK_CODES: frozenset[int] = frozenset(
    [
        *range(0x0610, 0x061B),
        *range(0x064B, 0x0660),
        0x0670,
        *range(0x06D6, 0x06DD),
        *range(0x06DF, 0x06E5),
        0x06E7,
        0x06E8,
        *range(0x06EA, 0x06EE),
        0x0640,
    ]
)
_FORMAT_CODES: frozenset[int] = frozenset(
    [*range(0x200B, 0x2010), 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
)
_MARK_CHARS = frozenset(chr(c) for c in _MARK_CODES)
_DELETED_CHARS = frozenset(chr(c) for c in _MARK_CODES | _FORMAT_CODES)

_STRIP_TABLE: dict[int, str | None] = dict.fromkeys(_MARK_CODES)
_FOLD_TABLE: dict[int, str | None] = {
    **_DIGIT_MAP,
    **dict.fromkeys(_MARK_CODES | _FORMAT_CODES),
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ی"): "ي",
    ord("ة"): "ه",
    ord("ک"): "ك",
}

_HSPACE = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def normalize_digits(s: str) -> str:
    """Convert Arabic-Indic and Persian digits and separators to ASCII."""
    return s.translate(_DIGIT_MAP)


def strip_marks(s: str) -> str:
    """Remove Arabic diacritics (tashkeel, Quranic marks) and tatweel."""
    return s.translate(_STRIP_TABLE)


# ---------------------------------------------------------------------------
# Lexicon (keys are folded: no hamza on alef, ى→ي, ة→ه)
# ---------------------------------------------------------------------------


def _d(x: int | str) -> Decimal:
    """Shorthand Decimal constructor."""
    return Decimal(x)


_UNITS: dict[str, int] = {
    "واحد": 1,
    "واحده": 1,
    "واحدا": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثنتان": 2,
    "ثنتين": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
}
_TEEN_HEADS: dict[str, int] = {
    **{k: v for k, v in _UNITS.items() if v < 10},
    "احد": 1,
    "احدي": 1,
    "اثنا": 2,
    "اثني": 2,
    "اثنتا": 2,
    "اثنتي": 2,
}
_TEEN_TAILS = frozenset({"عشر", "عشره"})
_TENS: dict[str, int] = {}
for _stem, _v in (
    ("عشر", 20),
    ("ثلاث", 30),
    ("اربع", 40),
    ("خمس", 50),
    ("ست", 60),
    ("سبع", 70),
    ("ثمان", 80),
    ("تسع", 90),
):
    _TENS[_stem + "ون"] = _v
    _TENS[_stem + "ين"] = _v
_HUNDRED_WORDS = frozenset({"مئه", "مائه"})
_HUNDREDS: dict[str, int] = {
    "مئه": 100,
    "مائه": 100,
    "مئتان": 200,
    "مئتين": 200,
    "مائتان": 200,
    "مائتين": 200,
    "مئتا": 200,
    "مائتا": 200,
    "مئتي": 200,
    "مائتي": 200,
}
for _stem, _v in (
    ("ثلاث", 3),
    ("ثلث", 3),
    ("اربع", 4),
    ("خمس", 5),
    ("ست", 6),
    ("سبع", 7),
    ("ثمان", 8),
    ("ثماني", 8),
    ("تسع", 9),
):
    for _h in _HUNDRED_WORDS:
        _HUNDREDS[_stem + _h] = _v * 100

_THOUSAND, _MILLION = _d(10**3), _d(10**6)
_BILLION, _TRILLION = _d(10**9), _d(10**12)
_BARE_SCALES: dict[str, Decimal] = {
    "الف": _THOUSAND,
    "الفا": _THOUSAND,
    "مليون": _MILLION,
    "مليونا": _MILLION,
    "مليار": _BILLION,
    "مليارا": _BILLION,
    "بليون": _BILLION,
    "بليونا": _BILLION,
    "تريليون": _TRILLION,
    "تريليونا": _TRILLION,
    "ترليون": _TRILLION,
    "ترليونا": _TRILLION,
}
_PLURAL_SCALES: dict[str, Decimal] = {
    "الاف": _THOUSAND,
    "الوف": _THOUSAND,
    "ملايين": _MILLION,
    "مليارات": _BILLION,
    "بلايين": _BILLION,
    "تريليونات": _TRILLION,
    "ترليونات": _TRILLION,
}
_SCALES: dict[str, Decimal] = {**_BARE_SCALES, **_PLURAL_SCALES}
_DUALS: dict[str, Decimal] = {}
for _stem, _m in (
    ("الف", _THOUSAND),
    ("مليون", _MILLION),
    ("مليار", _BILLION),
    ("بليون", _BILLION),
    ("تريليون", _TRILLION),
    ("ترليون", _TRILLION),
):
    for _suffix in ("ان", "ين", "ي"):
        _DUALS[_stem + _suffix] = _m
# A scale word ending in alef: the accusative singular after a number, else the dual in construct ("مليارا دولار").
_ALIF_SCALES = frozenset(k for k in _BARE_SCALES if k.endswith("ا"))
_INDEFINITE: dict[str, Decimal] = {
    "عشرات": _d(10),
    "مئات": _d(100),
    "الافا": _THOUSAND,
    "الوفا": _THOUSAND,
    **_PLURAL_SCALES,
}
_SOME: dict[str, bool] = {"بضع": True, "بضعه": True, "عده": False}  # bounded (3 to 9) or at least 3
_FRACTIONS: dict[str, Fraction] = {
    "نصف": Fraction(1, 2),
    "ربع": Fraction(1, 4),
    "ثلث": Fraction(1, 3),
    "ثلثا": Fraction(2, 3),
    "ثلثي": Fraction(2, 3),
}
_QUARTERS = "ارباع"  # "ثلاثة أرباع": three quarters
_ONE_WORDS = frozenset({"احد", "احدي"})  # the units digit of 21, 31... before "و" + tens
_ZERO = "صفر"

_ORD_UNITS: dict[str, int] = {
    "اول": 1,
    "ثاني": 2,
    "ثالث": 3,
    "رابع": 4,
    "خامس": 5,
    "سادس": 6,
    "سابع": 7,
    "ثامن": 8,
    "تاسع": 9,
    "عاشر": 10,
    "حادي": 1,
    "واحد": 1,
}
_ORD_COMPOUND_ONLY = frozenset({"حادي", "واحد", "حاديه"})
_ORD_FEM: dict[str, int] = {
    "اولي": 1,
    "ثانيه": 2,
    "ثالثه": 3,
    "رابعه": 4,
    "خامسه": 5,
    "سادسه": 6,
    "سابعه": 7,
    "ثامنه": 8,
    "تاسعه": 9,
    "عاشره": 10,
    "حاديه": 1,
}
_ORD_ANY: dict[str, int] = {**_ORD_UNITS, **_ORD_FEM}
# Singular nouns numbered by an ordinal: after them "العشرين" is the twentieth, not twenty of something.
_ORD_HEADS = frozenset(
    {"ذكري", "قرن", "زياره", "دوره", "جوله", "مره", "طبعه", "نسخه", "حلقه", "مرحله", "ولايه", "عيد", "مؤتمر"}
)
_ORD_HEAD_ADJECTIVES = frozenset({"السنويه"})
_ORD_TENS: dict[str, int] = {"عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30}
_MONTHS = frozenset(
    {
        "يناير",
        "فبراير",
        "مارس",
        "ابريل",
        "مايو",
        "يونيو",
        "يونيه",
        "يوليو",
        "يوليه",
        "اغسطس",
        "سبتمبر",
        "اكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون",
        "شباط",
        "اذار",
        "نيسان",
        "ايار",
        "حزيران",
        "تموز",
        "اب",
        "ايلول",
        "تشرين",
        "محرم",
        "صفر",
        "ربيع",
        "جمادي",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
    }
)
_DHU_MONTHS = frozenset({"القعده", "الحجه"})
_QUALIFIED_MONTHS = frozenset({"كانون", "تشرين", "ربيع", "جمادي"})
#: Month names (Gregorian, Levantine and Hijri), folded; a qualified one (كانون، تشرين...) takes a second word.
MONTH_NAMES = _MONTHS | _DHU_MONTHS
QUALIFIED_MONTHS = _QUALIFIED_MONTHS

_LEXICON = frozenset(
    {
        *_UNITS,
        *_TEEN_HEADS,
        *_TENS,
        *_HUNDREDS,
        *_SCALES,
        *_DUALS,
        *_INDEFINITE,
        *_FRACTIONS,
        *_ORD_UNITS,
        *_ORD_TENS,
        *_ORD_FEM,
        *_SOME,
        _QUARTERS,
        _ZERO,
        "بين",
    }
)
_PREFIXES = "وفبلك"
_STOP_TOKENS = frozenset({"لست"})  # "I am not", not ل + ست
_WEEKDAY_CORES = frozenset({"اثنين", "اثنان"})  # الاثنين = Monday
# "وست" is also the usual spelling of "West" (وست بوينت): as "and six" it needs counting evidence.
_EVIDENCE_NEEDED = frozenset({"ست"})
_FEMININE_BROKEN_PLURALS = frozenset({"دول", "مدن", "قري", "نساء", "سنين", "ليال", "اسر", "قواعد", "مرات"})
# Change verbs and nouns (one family a line): after them "من X إلى Y" is a change, two numbers.
_CHANGE_FAMILIES = (
    "ارتفع يرتفع ترتفع ارتفاع",
    "انخفض ينخفض تنخفض انخفاض",
    "زاد يزيد تزيد زياده ازداد يزداد تزداد ازدياد تزايد يتزايد",
    "تراجع يتراجع",
    "قفز يقفز تقفز قفزه",
    "هبط يهبط تهبط هبوط",
    "تضاعف يتضاعف ضاعف مضاعفه",
    "صعد يصعد تصعد صعود",
    "نما نمت ينمو تنمو نمو",
    "تقلص يتقلص قلص يقلص تقليص",
    "خفض يخفض تخفض تخفيض",
    "رفع يرفع ترفع",
    "تدني يتدني تناقص يتناقص",
    "انكمش ينكمش انكماش",
)
_CHANGE_WORDS = frozenset(
    w + suffix for family in _CHANGE_FAMILIES for w in family.split() for suffix in ("", "ت", "ا", "وا")
)
_TO_WORDS = frozenset({"الي"})  # إلى
_UNTIL_WORDS = frozenset({"حتي"})  # حتى, only after من
_FROM_WORDS = frozenset({"من", "ومن"})
_DASHES = frozenset({"-", "–"})
_PERCENT_SIGNS = "%٪"
_BETWEEN_CONNECTORS = frozenset({"و", *_TO_WORDS})
_FROM_CONNECTORS = frozenset({*_TO_WORDS, *_UNTIL_WORDS})

# ---------------------------------------------------------------------------
# Tokenization
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"(?P<n>[0-9]{1,3}(?:\.[0-9]{3}(?![0-9])){2,}"  # 1.600.000
    r"|[1-9][0-9]{0,2}(?:,[0-9]{3}(?![0-9]))+(?:\.[0-9]+)?)"  # 4,487 and 1,500,000.25: thousands
    r"|(?P<c>(?<![0-9],)[0-9]+,[0-9]+(?![0-9]|,[0-9]))"  # any other single comma: 1,5 and 0,500: decimal
    r"|(?P<p>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<w>[^\W\d_]+)"
)
_PERCENT_RE = re.compile(
    r"[ \t\u00a0]*[%٪]"
    r"|[ \t\u00a0]+(?:في[ \t\u00a0]+ال|بال)(?:مئه|مائه)(?![^\W\d_])"
)


class _Tok(NamedTuple):
    kind: str  # "n" digits, "w" word
    fs: int  # folded start
    fe: int  # folded end
    txt: str  # folded token text
    pre: str  # clitic prefix (و ف ب ل ك) or ""
    art: bool  # definite article stripped
    core: str | None  # lexicon key, or None when not a number-related word


@lru_cache(maxsize=8192)
def _analyze(word: str) -> tuple[str, bool, str | None]:
    """Split a folded word into (prefix, has_article, lexicon core)."""
    if word in _STOP_TOKENS:
        return "", False, None
    cands: list[tuple[str, bool, str]] = [("", False, word)]
    if word.startswith("ال"):
        cands.append(("", True, word[2:]))
    if len(word) > 1 and word[0] in _PREFIXES:
        rest = word[1:]
        cands.append((word[0], False, rest))
        if rest.startswith("ال"):
            cands.append((word[0], True, rest[2:]))
    if word.startswith("لل"):
        cands.append(("ل", True, word[2:]))
    for pre, art, core in cands:
        if core in _LEXICON:
            if art and core in _WEEKDAY_CORES:
                return pre, art, None
            return pre, art, core
    return "", False, None


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Fold text for matching; return it with a folded→original index map."""
    folded = text.translate(_FOLD_TABLE)
    if len(folded) == len(text):
        return folded, None
    return folded, [i for i, ch in enumerate(text) if ch not in _DELETED_CHARS]


def fold(text: str) -> tuple[str, list[int] | None]:
    """Text folded as the parser matches it (marks and invisible characters removed, hamza forms, ى and ة
    normalized, Arabic digits made ASCII), with the index in ``text`` of each folded character (None: the same)."""
    return _fold(text)


def _digits_value(s: str) -> Decimal:
    """Value of a digit token (thousands separators dropped; a decimal comma is already a dot)."""
    if s.count(".") > 1:
        return Decimal(s.replace(".", ""))
    return Decimal(s.replace(",", ""))


def _clean(d: Decimal) -> Decimal:
    """Drop a zero fractional part so integral values print as integers."""
    if d == d.to_integral_value(context=_CTX):
        return d.quantize(_ONE, context=_CTX)
    return d.normalize(context=_CTX)


def _from_fraction(f: Fraction) -> tuple[Decimal, Fraction | None]:
    """(value, exact): the exact Decimal and None when f is a terminating decimal, else f rounded and f itself."""
    den = f.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:
        return _clean(_CTX.divide(Decimal(f.numerator), Decimal(f.denominator))), None
    if f >= 1:
        return Decimal(round(f)), f
    return Decimal(round(f * 10**6)).scaleb(-6).normalize(context=_CTX), f


@lru_cache(maxsize=4096)
def _bare(word: str) -> frozenset[str]:
    """A folded word with a leading clitic and/or the article stripped, every way that applies."""
    out = {word}
    if word.startswith("لل"):
        out.add(word[2:])
    if len(word) > 2 and word[0] in _PREFIXES:
        out.add(word[1:])
    out |= {w[2:] for w in out if w.startswith("ال")}
    return frozenset(out)


# ---------------------------------------------------------------------------
# Public data type
# ---------------------------------------------------------------------------

#: Every value of Mention.kind:
#: number (a cardinal: value), range (low and high), indefinite (an indefinite plural: low, and high for بضع),
#: percent (a percentage: value), ordinal (a day of a date or an ordinal after a noun such as الذكرى: value; never
#: a count), fraction (a share or a non-terminating fraction of a scale: value rounded, fraction exact).
KINDS = frozenset({"number", "range", "indefinite", "percent", "ordinal", "fraction"})


@dataclass(frozen=True)
class Mention:
    """A numeric mention; ``text == original[start:end]``.

    Word mentions span whole tokens, so a leading clitic stays in the text
    ("وآلاف", "بالعشرات"). Ranges carry low/high and no value; indefinite
    plurals carry low (three of the unit) and, after بضع, high (nine of it).
    ``percent`` marks a percentage (kind percent, or a range of percentages);
    ``fraction`` is the exact value of a kind "fraction" mention.
    """

    start: int
    end: int
    text: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    kind: str
    percent: bool = False
    fraction: Fraction | None = None

    def values(self) -> frozenset[Decimal]:
        """Every figure the mention states (value, low and high if present)."""
        return frozenset(v for v in (self.value, self.low, self.high) if v is not None)


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


class _Group(NamedTuple):
    value: Decimal
    mult: Decimal  # product of the scale words of the group (1 if none)
    end: int  # token index after the group
    exact: Fraction | None = None  # set when value is a rounded non-terminating fraction


class _Expr(NamedTuple):
    value: Decimal
    first_mult: Decimal
    scaled: bool
    end: int
    exact: Fraction | None = None


class _Pair(NamedTuple):
    second: _Expr
    start: int  # token index of the second figure
    first_pct: int | None  # folded end of the first figure's percent sign, if any
    second_pct: int | None  # folded end of the second figure's percent phrase, if any


class _Parser:
    """Token-level recognizer for one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.index = _fold(text)
        toks: list[_Tok] = []
        for m in _TOKEN_RE.finditer(self.folded):
            s, e = m.span()
            kind = m.lastgroup
            if kind == "w":
                w = m.group()
                pre, art, core = _analyze(w)
                toks.append(_Tok("w", s, e, w, pre, art, core))
            else:
                txt = m.group()
                toks.append(_Tok("n", s, e, txt, "", False, txt.replace(",", ".") if kind == "c" else txt))
        self.toks = toks
        f = self.folded
        self.joined = [not f[toks[i].fe : toks[i + 1].fs].strip(_HSPACE) for i in range(len(toks) - 1)] + [False]
        self.out: list[Mention] = []
        self.last_end = 0  # folded end of the last mention

    # -- helpers ---------------------------------------------------------

    def _word(self, k: int, pre: str | None = "", art: bool | None = False) -> str | None:
        """Core of word token k if its prefix/article match (None = any)."""
        if k >= len(self.toks):
            return None
        t = self.toks[k]
        if t.kind != "w" or (pre is not None and t.pre != pre):
            return None
        if art is not None and t.art != art:
            return None
        return t.core

    def _has_waw(self, k: int) -> bool:
        """Whether word token k starts with the conjunction "و".

        Folding makes "وأحد" identical to "واحد"; before "عشر" or "و" + tens
        it is the conjunction plus the units digit "أحد".
        """
        t = self.toks[k]
        if t.pre == "و":
            return True
        if t.txt != "واحد" or not self.joined[k]:
            return False
        nxt = self.toks[k + 1]
        if nxt.core in _TEEN_TAILS and nxt.pre == "" and not nxt.art:
            return True
        if nxt.pre == "و" and nxt.core in _TENS:
            return True
        return nxt.txt == "و" and self.joined[k + 1] and self._word(k + 2) in _TENS

    def _conj_at(self, k: int) -> int | None:
        """Start of a number joined by "و" (attached or written apart) at token k, if any."""
        if k >= len(self.toks):
            return None
        t = self.toks[k]
        if t.kind != "w":
            return None
        if t.core is not None and self._has_waw(k):
            return k
        if t.txt == "و" and self.joined[k] and k + 1 < len(self.toks):
            nxt = self.toks[k + 1]
            if nxt.kind == "n" or (nxt.pre == "" and nxt.core is not None):
                return k + 1
        return None

    def _waw_next(self, k: int) -> int | None:
        """Start of a number joined by "و" right after token k - 1, if any."""
        if k >= len(self.toks) or not self.joined[k - 1]:
            return None
        return self._conj_at(k)

    def _scale_at(self, k: int) -> Decimal | None:
        """Scale of token k when it directly continues the previous token."""
        if k < len(self.toks) and self.joined[k - 1]:
            core = self._word(k)
            if core in _SCALES:
                return _SCALES[core]
        return None

    def _tanween(self, k: int) -> bool:
        """Whether the original text of token k carries fathatan (ـً), the accusative mark."""
        if self.index is None:
            return False
        t = self.toks[k]
        start, end = self.index[t.fs], self.index[t.fe - 1] + 1
        while end < len(self.text) and self.text[end] in _MARK_CHARS:
            end += 1
        return "\u064b" in self.text[start:end]

    def _fraction_at(self, k: int) -> tuple[Fraction, int] | None:
        """A fraction word at k ("ثلث", "نصف", "ثلاثة أرباع"): (fraction, next index)."""
        t = self.toks[k]
        if t.art or t.core is None:
            return None
        if t.core in _FRACTIONS:
            return _FRACTIONS[t.core], k + 1
        if t.core in ("ثلاث", "ثلاثه") and self.joined[k] and self._word(k + 1) == _QUARTERS:
            return Fraction(3, 4), k + 2
        return None

    def _atom(self, i: int) -> tuple[int, str, int] | None:
        """One word-number unit at i: (value, category, next index)."""
        c = self.toks[i].core
        if c is None:
            return None
        if c in _TEEN_HEADS and self.joined[i] and self._word(i + 1) in _TEEN_TAILS:
            return 10 + _TEEN_HEADS[c], "teen", i + 2
        if c in _UNITS:
            v = _UNITS[c]
            if 3 <= v <= 9 and self.joined[i] and self._word(i + 1) in _HUNDRED_WORDS:
                return v * 100, "hund", i + 2
            return v, ("teen" if v == 10 else "unit"), i + 1
        if c in _TENS:
            return _TENS[c], "ten", i + 1
        if c in _HUNDREDS:
            return _HUNDREDS[c], "hund", i + 1
        if c in _ONE_WORDS and self.joined[i]:
            k = self._conj_at(i + 1)
            if k is not None and self.toks[k].core in _TENS:
                return 1, "unit", i + 1
        return None

    def _small(self, i: int) -> tuple[int, int] | None:
        """A compound below 1000 such as "ثلاثمئة وخمسة وأربعون" or "مئة و خمسين"."""
        a = self._atom(i)
        if a is None:
            return None
        value, cat, j = a
        cats = {cat}
        while (k := self._waw_next(j)) is not None:
            b = self._atom(k)
            if b is None:
                break
            v2, c2, j2 = b
            # Arabic order: hundreds, then units (or a teen), then tens.
            blocked = {"unit", "teen", "ten"} if c2 in ("unit", "teen") else {"ten", "teen"}
            if c2 == "hund" or cats & blocked:
                break
            value += v2
            cats.add(c2)
            j = j2
        return value, j

    def _group(self, i: int) -> _Group | None:
        """A small number (digits or words) times any following scale words."""
        t = self.toks[i]
        mult = _ONE
        if t.kind == "n":
            small = _digits_value(t.core or t.txt)
            j = i + 1
        else:
            c = t.core
            if c is None:
                return None
            if c == _ZERO:
                return _Group(Decimal(0), _ONE, i + 1)
            if c in _DUALS:
                return _Group(_CTX.multiply(_d(2), _DUALS[c]), _DUALS[c], i + 1)
            if c in _ALIF_SCALES and not self._tanween(i):
                return _Group(_CTX.multiply(_d(2), _BARE_SCALES[c]), _BARE_SCALES[c], i + 1)
            fr = self._fraction_at(i)
            if fr is not None:
                f, j = fr
                scale = self._word(j, "", None) if self.joined[j - 1] else None
                if scale not in _BARE_SCALES:
                    return None
                mult = _BARE_SCALES[scale]
                value, exact = _from_fraction(f * Fraction(mult))
                return _Group(value, mult, j + 1, exact)
            res = self._small(i)
            if res is not None:
                small, j = _d(res[0]), res[1]
            elif c in _BARE_SCALES:
                small, mult, j = _ONE, _BARE_SCALES[c], i + 1
            else:
                return None
        while (s := self._scale_at(j)) is not None:
            mult = _CTX.multiply(mult, s)
            j += 1
        return _Group(_CTX.multiply(small, mult), mult, j)

    def _expr(self, i: int) -> _Expr | None:
        """A full cardinal; groups joined by "و" must descend in magnitude."""
        g = self._group(i)
        if g is None:
            return None
        total, mult, end, exact = g
        first_mult = g.mult
        while mult > 1 and (k := self._waw_next(end)) is not None:
            fr = self._fraction_at(k)
            if fr is not None:  # "مليون ونصف", "مليون و نصف المليون"
                f, end = fr
                if self.joined[end - 1] and (s := self._word(end, "", None)) in _SCALES and _SCALES[s] == mult:
                    end += 1
                exact = (exact if exact is not None else Fraction(total)) + f * Fraction(mult)
                break
            g2 = self._group(k)
            if g2 is None or g2.exact is not None or not 0 < g2.value < mult:
                break
            total = _CTX.add(total, g2.value)
            if exact is not None:
                exact += Fraction(g2.value)
            mult, end = g2.mult, g2.end
        if exact is not None:
            value, exact = _from_fraction(exact)
            return _Expr(value, first_mult, first_mult > 1, end, exact)
        return _Expr(_clean(total), first_mult, first_mult > 1, end)

    def _percent_end(self, end_tok: int) -> int | None:
        """Folded end of a percent phrase right after token end_tok - 1."""
        m = _PERCENT_RE.match(self.folded, self.toks[end_tok - 1].fe)
        return m.end() if m else None

    def _percent_before(self, i: int) -> int | None:
        """Folded offset of a percent sign written just before token i ("%30"), unless an earlier mention took it."""
        p = self.toks[i].fs - 1
        while p >= self.last_end and self.folded[p] in _HSPACE:
            p -= 1
        if p >= self.last_end and self.folded[p] in _PERCENT_SIGNS:
            return p
        return None

    def _skip_to(self, k: int, fend: int) -> int:
        """First token index at or after k that starts at or after fend."""
        while k < len(self.toks) and self.toks[k].fs < fend:
            k += 1
        return k

    def _emit(
        self,
        kind: str,
        fs: int,
        fend: int,
        value: Decimal | None = None,
        low: Decimal | None = None,
        high: Decimal | None = None,
        percent: bool = False,
        fraction: Fraction | None = None,
    ) -> None:
        """Record a mention from folded offset fs to folded offset fend."""
        if self.index is None:
            start, end = fs, fend
        else:
            start = self.index[fs]
            end = self.index[fend - 1] + 1
            while end < len(self.text) and self.text[end] in _MARK_CHARS:
                end += 1
        self.out.append(Mention(start, end, self.text[start:end], value, low, high, kind, percent, fraction))
        self.last_end = fend

    # -- recognizers -----------------------------------------------------

    def _is_month(self, k: int) -> bool:
        """Whether token k is a month name."""
        if k >= len(self.toks) or self.toks[k].kind != "w":
            return False
        w = self.toks[k].txt
        if w in ("ذو", "ذي"):
            return k + 1 < len(self.toks) and self.joined[k] and self.toks[k + 1].txt in _DHU_MONTHS
        return w in _MONTHS

    def _is_day(self, k: int) -> bool:
        """Whether token k can be the day of a date (1 to 30 in digits, or an ordinal word)."""
        t = self.toks[k]
        if t.kind == "n":
            return t.txt.isdigit() and 1 <= int(t.txt) <= 30
        if t.art:
            return t.core in _ORD_UNITS or t.core in _ORD_TENS
        return t.core in _TEEN_TAILS and k > 0 and self.toks[k - 1].art and self.toks[k - 1].core in _ORD_UNITS

    def _safar_is_month(self, i: int) -> bool:
        """Whether "صفر" at token i is the month: after a day or "شهر", or before a year."""
        t = self.toks[i]
        if t.art or t.txt != _ZERO:
            return False
        if i > 0 and self.joined[i - 1]:
            prev = self.toks[i - 1]
            if prev.txt in ("شهر", "الشهر", "لشهر", "بشهر") or self._is_day(i - 1):
                return True
            if prev.txt == "من" and i > 1 and self.joined[i - 2] and self._is_day(i - 2):
                return True
        if self.joined[i]:
            nxt = self.toks[i + 1]
            return nxt.kind == "n" and len(nxt.txt) == 4 and nxt.txt[0] == "1"
        return False

    def _six_unproven(self, i: int) -> bool:
        """Whether "وست" at token i lacks the counting evidence that makes it "and six" (see _EVIDENCE_NEEDED)."""
        t = self.toks[i]
        if t.core not in _EVIDENCE_NEEDED or t.pre == "" or t.art:
            return False
        if self.joined[i]:
            nxt = self.toks[i + 1]
            if nxt.kind == "n" or nxt.core is not None:
                return False
            if nxt.txt.endswith("ات") or not _bare(nxt.txt).isdisjoint(_FEMININE_BROKEN_PLURALS):
                return False
        k = i - 1
        while k >= 0 and k >= i - 2 and self.joined[k]:  # a count just before: "ثلاثة جنود وست نساء"
            if self.toks[k].kind == "n" or self.toks[k].core is not None:
                return False
            k -= 1
        return True

    def _head_ordinal(self, i: int) -> int | None:
        """Emit an ordinal after a noun that takes one ("الذكرى العشرين", "للمرة الأولى"); return next index."""
        t = self.toks[i]
        if not t.art or t.pre or i == 0 or not self.joined[i - 1]:
            return None
        c = t.core
        if c in _TENS:
            value, j = _TENS[c], i + 1
        elif c in _ORD_ANY:
            u = _ORD_ANY[c]
            if u < 10 and self.joined[i] and self._word(i + 1) in _TEEN_TAILS:
                value, j = 10 + u, i + 2
            elif u < 10 and self.joined[i] and self._word(i + 1, "و", True) in _TENS:
                value, j = u + _TENS[self.toks[i + 1].core or ""], i + 2
            elif c in _ORD_COMPOUND_ONLY:
                return None
            else:
                value, j = u, i + 1
        else:
            return None
        h = i - 1
        if self.toks[h].txt in _ORD_HEAD_ADJECTIVES and h > 0 and self.joined[h - 1]:
            h -= 1
        if _bare(self.toks[h].txt).isdisjoint(_ORD_HEADS):
            return None
        self._emit("ordinal", t.fs, self.toks[j - 1].fe, value=_d(value))
        return j

    def _ordinal(self, i: int) -> tuple[int | None, int] | None:
        """Ordinal day word at i: (day or None if not in a date, next index)."""
        t = self.toks[i]
        if not t.art or (t.core not in _ORD_UNITS and t.core not in _ORD_TENS):
            return None
        compound = False
        if t.core in _ORD_TENS:
            day, j = _ORD_TENS[t.core], i + 1
        else:
            u = _ORD_UNITS[t.core]
            if u < 10 and self.joined[i] and self._word(i + 1) in _TEEN_TAILS:
                day, j, compound = 10 + u, i + 2, True
            elif u < 10 and self.joined[i] and self._word(i + 1, "و", True) in _ORD_TENS:
                day, j, compound = u + _ORD_TENS[self.toks[i + 1].core or ""], i + 2, True
            elif t.core in _ORD_COMPOUND_ONLY:
                return None
            else:
                day, j = u, i + 1
        if i > 0 and self.joined[i - 1] and self.toks[i - 1].txt in _QUALIFIED_MONTHS:
            return (None, j) if compound else None
        if (
            day <= 31
            and j < len(self.toks)
            and self.joined[j - 1]
            and (
                self._is_month(j)
                or (
                    self.toks[j].txt == "من"
                    and self.joined[j]
                    and j + 1 < len(self.toks)
                    and (self.toks[j + 1].txt in ("شهر", "الشهر") or self._is_month(j + 1))
                )
            )
        ):
            return day, j
        return (None, j) if compound else None

    def _indefinite(self, i: int, t0: int | None = None, bounded: bool = False) -> int | None:
        """Emit an indefinite plural ("آلاف", "عشرات الآلاف", from t0 "بضعة آلاف") at i; return next index."""
        c = self.toks[i].core
        if c not in _INDEFINITE:
            return None
        unit = _INDEFINITE[c]
        j = i + 1
        while j < len(self.toks) and self.joined[j - 1]:
            c2 = self._word(j, "", None)
            if c2 not in _PLURAL_SCALES:
                break
            unit = _CTX.multiply(unit, _PLURAL_SCALES[c2])
            j += 1
        high = _clean(_CTX.multiply(_d(9), unit)) if bounded else None
        fs = self.toks[i if t0 is None else t0].fs
        self._emit("indefinite", fs, self.toks[j - 1].fe, low=_clean(_CTX.multiply(_d(3), unit)), high=high)
        return j

    def _some(self, i: int) -> int | None:
        """Emit "بضعة آلاف" (3 to 9 thousand) or "عدة مئات" (at least 300) at i; return next index."""
        t = self.toks[i]
        if t.core not in _SOME or t.art or not self.joined[i] or self._word(i + 1, "", None) not in _INDEFINITE:
            return None
        return self._indefinite(i + 1, i, _SOME[t.core])

    def _bare_fraction(self, i: int) -> int | None:
        """Emit a share of a noun ("ثلث السكان", "ثلاثة أرباع الميزانية") at i; return next index."""
        fr = self._fraction_at(i)
        if fr is None:
            return None
        f, j = fr
        if j >= len(self.toks) or not self.joined[j - 1]:
            return None
        nxt = self.toks[j]
        if nxt.kind != "w" or nxt.core is not None:
            return None
        value, _ = _from_fraction(f)
        self._emit("fraction", self.toks[i].fs, self.toks[j - 1].fe, value=value, fraction=f)
        return j

    def _follow(self, e: _Expr, connectors: frozenset[str], dash: bool) -> _Pair | None:
        """The second figure after e: joined by "و" (when "و" in connectors), by a connector word, or by a dash."""
        n = len(self.toks)
        pct = self._percent_end(e.end)
        fpos = pct if pct is not None else self.toks[e.end - 1].fe
        k = self._skip_to(e.end, fpos)
        if k >= n:
            return None
        gap = self.folded[fpos : self.toks[k].fs].strip(_HSPACE)
        t = self.toks[k]
        start: int | None = None
        if not gap:
            if "و" in connectors:
                start = self._conj_at(k)
            if start is None and t.txt in connectors and self.joined[k] and k + 1 < n:
                start = k + 1
        elif dash and gap in _DASHES and t.kind == "n" and self.toks[e.end - 1].kind == "n":
            start = k
        if start is None:
            return None
        second = self._expr(start)
        if second is None:
            return None
        return _Pair(second, start, pct, self._percent_end(second.end))

    def _emit_range(self, t0: int, pair: _Pair, low: Decimal) -> int:
        """Emit the range from token t0 to the end of pair; return the next token index."""
        second = pair.second
        high = second.value
        low, high = min(low, high), max(low, high)
        fend = pair.second_pct or self.toks[second.end - 1].fe
        percent = pair.first_pct is not None or pair.second_pct is not None
        self._emit("range", self.toks[t0].fs, fend, low=low, high=high, percent=percent)
        return self._skip_to(second.end, fend)

    @staticmethod
    def _shared_low(first: _Expr, second: _Expr) -> Decimal:
        """The first figure of a range with the second's scale when it has none and the range stays ordered."""
        if not first.scaled and second.scaled:
            scaled = _clean(_CTX.multiply(first.value, second.first_mult))
            if scaled <= second.value:
                return scaled
        return first.value

    def _range(self, i: int) -> int | None:
        """Range "(ما) بين [word] N1 و/إلى N2 [scale]" or "بين N1-N2" where token i is "بين"."""
        n = len(self.toks)
        j = i + 1
        if j >= n or not self.joined[i]:
            return None
        first = self._expr(j)
        if first is None and self.toks[j].kind == "w" and self.joined[j] and j + 1 < n:
            j += 1
            first = self._expr(j)
        if first is None:
            return None
        pair = self._follow(first, _BETWEEN_CONNECTORS, dash=True)
        if pair is None:
            return None
        return self._emit_range(j, pair, self._shared_low(first, pair.second))

    def _changed(self, k: int) -> bool:
        """Whether a change word (ارتفع، انخفاض...) stands among the few tokens joined before token k."""
        stop = max(-1, k - 6)
        while k > stop:
            if not _bare(self.toks[k].txt).isdisjoint(_CHANGE_WORDS):
                return True
            if k == 0 or not self.joined[k - 1]:
                return False
            k -= 1
        return False

    def _pair(self, i: int, e: _Expr) -> tuple[int | None, Decimal]:
        """A pair "من X إلى/حتى Y" or "X إلى Y" at i: (next index if a range was emitted, the first figure's value).

        A range unless a change word precedes or X is not below Y; then X alone, with Y's scale when that puts it
        within a factor of ten of Y.
        """
        after_from = i > 0 and self.joined[i - 1] and self.toks[i - 1].txt in _FROM_WORDS
        pair = self._follow(e, _FROM_CONNECTORS if after_from else _TO_WORDS, dash=False)
        if pair is None:
            return None, e.value
        low = self._shared_low(e, pair.second)
        if low < pair.second.value and not self._changed(i - 2 if after_from else i - 1):
            return self._emit_range(i, pair, low), low
        second = pair.second
        if not e.scaled and second.scaled and second.value > 0:
            scaled = _clean(_CTX.multiply(e.value, second.first_mult))
            if second.value / 10 <= scaled <= second.value * 10:
                return None, scaled
        return None, e.value

    def run(self) -> list[Mention]:
        """Scan all tokens left to right and collect mentions."""
        toks = self.toks
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if t.kind == "w":
                if t.core is None:
                    i += 1
                    continue
                if t.core == "بين" and not t.art:
                    nxt = self._range(i)
                    i = nxt if nxt is not None else i + 1
                    continue
                nxt = self._head_ordinal(i)
                if nxt is not None:
                    i = nxt
                    continue
                od = self._ordinal(i)
                if od is not None:
                    day, j = od
                    if day is not None:
                        self._emit("ordinal", t.fs, toks[j - 1].fe, value=_d(day))
                    i = j
                    continue
                nxt = self._some(i)
                if nxt is None:
                    nxt = self._indefinite(i)
                if nxt is None:
                    nxt = self._bare_fraction(i)
                if nxt is not None:
                    i = nxt
                    continue
                if t.core in _HUNDRED_WORDS and t.art and (t.pre == "ب" or (i > 0 and toks[i - 1].txt == "في")):
                    i += 1  # a stray "في المئة" / "بالمئة"
                    continue
                if self._six_unproven(i) or (t.core == _ZERO and self._safar_is_month(i)):
                    i += 1
                    continue
            e = self._expr(i)
            if e is None:
                i += 1
                continue
            nxt, value = self._pair(i, e)
            if nxt is not None:
                i = nxt
                continue
            pend = self._percent_end(e.end)
            pstart = self._percent_before(i) if pend is None else None
            if pend is not None or pstart is not None:
                self._emit("percent", t.fs if pstart is None else pstart, pend or t.fe, value=value, percent=True)
                i = self._skip_to(e.end, pend or t.fe)
            elif e.exact is not None:
                self._emit("fraction", t.fs, toks[e.end - 1].fe, value=value, fraction=e.exact)
                i = e.end
            else:
                self._emit("number", t.fs, toks[e.end - 1].fe, value=value)
                i = e.end
        return self.out


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def find_mentions(text: str) -> list[Mention]:
    """Find every numeric mention in text, sorted by start and non-overlapping."""
    return _Parser(text).run()


def parse_number(s: str) -> Decimal | None:
    """Parse a string that is exactly one cardinal number expression, else None."""
    stripped = s.strip()
    if not stripped:
        return None
    mentions = find_mentions(stripped)
    if len(mentions) != 1:
        return None
    m = mentions[0]
    if m.kind != "number" or m.start != 0 or m.end != len(stripped):
        return None
    return m.value


def mentions_values(text: str) -> set[Decimal]:
    """All figures stated in text (union of every mention's values())."""
    out: set[Decimal] = set()
    for m in find_mentions(text):
        out |= m.values()
    return out
