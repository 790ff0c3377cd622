"""Arabic numeral normalization and extraction of numeric mentions from text.

The extractor works on a folded copy of the text (diacritics, tatweel and
invisible format characters removed; Arabic-Indic digits, hamza-carrying
alefs, alef maqsura and ta marbuta normalized) and maps every match back to
character offsets in the original string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "KINDS",
    "Mention",
    "find_mentions",
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
_INDEFINITE: dict[str, Decimal] = {"عشرات": _d(10), "مئات": _d(100), **_PLURAL_SCALES}
_FRACTIONS: dict[str, Decimal] = {"نصف": Decimal("0.5"), "ربع": Decimal("0.25")}

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
_ORD_COMPOUND_ONLY = frozenset({"حادي", "واحد"})
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
        "بين",
    }
)
_PREFIXES = "وفبلك"
_STOP_TOKENS = frozenset({"لست"})  # "I am not", not ل + ست
_WEEKDAY_CORES = frozenset({"اثنين", "اثنان"})  # الاثنين = Monday

# ---------------------------------------------------------------------------
# Tokenization
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"(?P<n>[0-9]{1,3}(?:\.[0-9]{3}(?![0-9])){2,}"
    r"|[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+(?:\.[0-9]+)?"
    r"|[0-9]+(?:\.[0-9]+)?)"
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


def _digits_value(s: str) -> Decimal:
    """Value of a digit token (thousands separators dropped)."""
    if s.count(".") > 1:
        return Decimal(s.replace(".", ""))
    return Decimal(s.replace(",", ""))


def _clean(d: Decimal) -> Decimal:
    """Drop a zero fractional part so integral values print as integers."""
    if d == d.to_integral_value(context=_CTX):
        return d.quantize(_ONE, context=_CTX)
    return d.normalize(context=_CTX)


# ---------------------------------------------------------------------------
# Public data type
# ---------------------------------------------------------------------------

#: Every value of Mention.kind.
KINDS = frozenset({"number", "range", "indefinite", "percent", "ordinal"})


@dataclass(frozen=True)
class Mention:
    """A numeric mention; ``text == original[start:end]``.

    Word mentions span whole tokens, so a leading clitic stays in the text
    ("وآلاف", "بالعشرات"). Ranges carry low/high and no value; indefinite
    plurals carry only low (three of the unit).
    """

    start: int
    end: int
    text: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    kind: str

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


class _Expr(NamedTuple):
    value: Decimal
    first_mult: Decimal
    scaled: bool
    end: int


class _Parser:
    """Token-level recognizer for one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.index = _fold(text)
        toks: list[_Tok] = []
        for m in _TOKEN_RE.finditer(self.folded):
            s, e = m.span()
            if m.lastgroup == "n":
                toks.append(_Tok("n", s, e, m.group(), "", False, m.group()))
            else:
                w = m.group()
                pre, art, core = _analyze(w)
                toks.append(_Tok("w", s, e, w, pre, art, core))
        self.toks = toks
        f = self.folded
        self.joined = [not f[toks[i].fe : toks[i + 1].fs].strip(_HSPACE) for i in range(len(toks) - 1)] + [False]
        self.out: list[Mention] = []

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

        Folding makes "وأحد" identical to "واحد"; before "عشر" it is the
        conjunction plus the teen head "أحد".
        """
        t = self.toks[k]
        if t.pre == "و":
            return True
        return t.txt == "واحد" and self.joined[k] and self._word(k + 1) in _TEEN_TAILS

    def _scale_at(self, k: int) -> Decimal | None:
        """Scale of token k when it directly continues the previous token."""
        if k < len(self.toks) and self.joined[k - 1]:
            core = self._word(k)
            if core in _SCALES:
                return _SCALES[core]
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
        return None

    def _small(self, i: int) -> tuple[int, int] | None:
        """A compound below 1000 such as "ثلاثمئة وخمسة وأربعون"."""
        a = self._atom(i)
        if a is None:
            return None
        value, cat, j = a
        cats = {cat}
        while j < len(self.toks) and self.joined[j - 1] and self._has_waw(j):
            b = self._atom(j)
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
            small = _digits_value(t.txt)
            j = i + 1
        else:
            c = t.core
            if c is None:
                return None
            if c in _DUALS:
                return _Group(_CTX.multiply(_d(2), _DUALS[c]), _DUALS[c], i + 1)
            res = self._small(i)
            if res is not None:
                small, j = _d(res[0]), res[1]
            elif c in _FRACTIONS and self._scale_at(i + 1) is not None:
                small, j = _FRACTIONS[c], i + 1
            elif c in _BARE_SCALES:
                small, mult, j = _ONE, _BARE_SCALES[c], i + 1
            else:
                return None
        while (s := self._scale_at(j)) is not None:
            mult = _CTX.multiply(mult, s)
            j += 1
        return _Group(_CTX.multiply(small, mult), mult, j)

    def _waw_next(self, k: int) -> int | None:
        """Start of a number joined by "و" at token k, if any."""
        if k >= len(self.toks) or not self.joined[k - 1]:
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

    def _expr(self, i: int) -> _Expr | None:
        """A full cardinal; groups joined by "و" must descend in magnitude."""
        g = self._group(i)
        if g is None:
            return None
        total, mult, end = g
        first_mult = g.mult
        while mult > 1 and end < len(self.toks) and self.joined[end - 1]:
            if self._word(end, "و") in _FRACTIONS:
                total = _CTX.add(total, _CTX.multiply(mult, _FRACTIONS[self.toks[end].core or ""]))
                end += 1
                break
            k = self._waw_next(end)
            g2 = self._group(k) if k is not None else None
            if g2 is None or not 0 < g2.value < mult:
                break
            total = _CTX.add(total, g2.value)
            mult, end = g2.mult, g2.end
        return _Expr(_clean(total), first_mult, first_mult > 1, end)

    def _percent_end(self, end_tok: int) -> int | None:
        """Folded end of a percent phrase right after token end_tok - 1."""
        m = _PERCENT_RE.match(self.folded, self.toks[end_tok - 1].fe)
        return m.end() if m else None

    def _skip_to(self, k: int, fend: int) -> int:
        """First token index at or after k that starts at or after fend."""
        while k < len(self.toks) and self.toks[k].fs < fend:
            k += 1
        return k

    def _emit(
        self,
        kind: str,
        t0: int,
        fend: int,
        value: Decimal | None = None,
        low: Decimal | None = None,
        high: Decimal | None = None,
    ) -> None:
        """Record a mention from token t0 to folded offset fend."""
        fs = self.toks[t0].fs
        if self.index is None:
            start, end = fs, fend
        else:
            start = self.index[fs]
            end = self.index[fend - 1] + 1
            while end < len(self.text) and self.text[end] in _MARK_CHARS:
                end += 1
        self.out.append(Mention(start, end, self.text[start:end], value, low, high, kind))

    # -- recognizers -----------------------------------------------------

    def _is_month(self, k: int) -> bool:
        """Whether token k is a month name."""
        if k >= len(self.toks) or self.toks[k].kind != "w":
            return False
        w = self.toks[k].txt
        if w in ("ذو", "ذي"):
            return k + 1 < len(self.toks) and self.joined[k] and self.toks[k + 1].txt in _DHU_MONTHS
        return w in _MONTHS

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

    def _indefinite(self, i: int) -> int | None:
        """Emit an indefinite plural ("آلاف", "عشرات الآلاف") at i; return next index."""
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
        self._emit("indefinite", i, self.toks[j - 1].fe, low=_clean(_CTX.multiply(_d(3), unit)))
        return j

    def _range(self, i: int) -> int | None:
        """Range "(ما) بين [word] N1 و N2 [scale]" where token i is "بين"."""
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
        k = self._waw_next(first.end)
        second = self._expr(k) if k is not None else None
        if second is None:
            return None
        low, high = first.value, second.value
        if not first.scaled and second.scaled:
            scaled_low = _clean(_CTX.multiply(low, second.first_mult))
            if scaled_low <= high:
                low = scaled_low
        low, high = min(low, high), max(low, high)
        fend = self._percent_end(second.end) or self.toks[second.end - 1].fe
        self._emit("range", j, fend, low=low, high=high)
        return self._skip_to(second.end, fend)

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
                od = self._ordinal(i)
                if od is not None:
                    day, j = od
                    if day is not None:
                        self._emit("ordinal", i, toks[j - 1].fe, value=_d(day))
                    i = j
                    continue
                nxt = self._indefinite(i)
                if nxt is not None:
                    i = nxt
                    continue
                if t.core in _HUNDRED_WORDS and t.art and (t.pre == "ب" or (i > 0 and toks[i - 1].txt == "في")):
                    i += 1  # a stray "في المئة" / "بالمئة"
                    continue
            e = self._expr(i)
            if e is None:
                i += 1
                continue
            pend = self._percent_end(e.end)
            if pend is not None:
                self._emit("percent", i, pend, value=e.value)
                i = self._skip_to(e.end, pend)
            else:
                self._emit("number", i, toks[e.end - 1].fe, value=e.value)
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
