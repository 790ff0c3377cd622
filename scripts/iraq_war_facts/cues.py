"""The cue lexicon: the Arabic words that signal a code around a figure, read from the package's ``cues`` resource.

A cue row names a codebook ``code`` (a qualifier, a claim type, an attribution, ``stated``, a unit or a metric), the
Arabic ``cue`` and its ``position`` relative to the figure (a code of the codebook's ``cue_position`` list):

- ``before``: in the few words before the figure, after the previous figure and within its clause (``حوالي 500``);
- ``after``: in the few words after it, before the next figure and within its clause (``500 جندي``, ``500 على الأقل``);
- ``clause``: anywhere in its clause before it (``من المقرر أن يبقى 500``);
- ``sentence``: anywhere in its sentence (``…، بحسب البنتاغون``).

Cues match whole words after folding (diacritics, tatweel and hamza forms ignored, ة = ه, ى = ي), and the first
word of a cue may carry a clitic (``وحوالي``, ``بنحو``, ``للبنتاغون``). Where cues overlap, the longer one wins
(``لا يتجاوز`` is ``up_to``, not the ``more_than`` of ``يتجاوز``); among the rest, the one nearest the figure.
Nothing here knows a code: the lexicon asks the codebook which list each code belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from iraq_war_facts.arabic import Mention, fold
from iraq_war_facts.checks.base import Table

WINDOW = 6  # words looked at before and after a figure for ``before`` and ``after`` cues
CLITICS = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ولل", "وب", "ول", "وك", "فب", "فل")
_WORD = re.compile(r"[^\W\d_]+|[0-9]+")
# A clause ends at punctuation; a comma between digits is a thousands separator or a decimal mark, not a boundary.
# A contrast («في حين», «بينما», «غير أن»...) opens a new clause too, and no attribution reaches across it.
CONTRAST = r"(?<!\S)(?:في حين|بينما|فيما|غير أن|غير أنّ|إلا أن|إلا أنّ|لكن|ولكن)(?!\S)"
CLAUSE_END = re.compile(rf"[.!?؟؛;:،()«»\"\n\u061f]|(?<![0-9]),|,(?![0-9])|\s[-–—]\s|{CONTRAST}")
_CONTRAST = re.compile(CONTRAST)
SENTENCE_END = re.compile(r"[.!?؟؛;\n]")


@dataclass(frozen=True)
class Cue:
    """One cue: the code it signals, that code's codebook list, the words as written and folded, and its position."""

    code: str
    list: str
    text: str
    position: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Found:
    """A cue found near a figure: the cue and its offsets in the text searched."""

    cue: Cue
    start: int
    end: int


def _words(text: str) -> list[tuple[str, int, int]]:
    """The folded words of ``text`` with their offsets in the original."""
    folded, index = fold(text)
    out = []
    for m in _WORD.finditer(folded):
        s, e = m.span()
        if index is not None:
            s, e = index[s], index[e - 1] + 1
        out.append((m.group(), s, e))
    return out


def _matches(word: str, first: str) -> bool:
    """Whether a folded word is ``first`` with an optional clitic (and the accusative alif a noun may take)."""
    return any(word.startswith(clitic) and word[len(clitic) :] in (first, first + "ا") for clitic in CLITICS)


class Lexicon:
    """The cues of a package, grouped by codebook list and position."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        self.cues = tuple(c for c in cues if c.words)

    @classmethod
    def from_tables(cls, tables: dict[str, Table]) -> Lexicon:
        """The lexicon of read tables (``cues`` and ``codebook``); empty when either is missing."""
        cues, codebook = tables.get("cues"), tables.get("codebook")
        if cues is None or codebook is None or not {"code", "list"} <= set(codebook.header):
            return cls(())
        lists = {r["code"]: r["list"] for r in codebook.raw.select("code", "list").iter_rows(named=True)}
        out = []
        for r in cues.raw.iter_rows(named=True):
            code, text, position = r.get("code"), r.get("cue"), r.get("position")
            if code in lists and text and position:
                words = tuple(w for w, _, _ in _words(text))
                out.append(Cue(code, lists[code] or "", text, position, words))
        return cls(out)

    @cached_property
    def _by_first(self) -> dict[str, list[Cue]]:
        out: dict[str, list[Cue]] = {}
        for c in self.cues:
            out.setdefault(c.words[0], []).append(c)
        return out

    def codes(self, list_name: str) -> frozenset[str]:
        """The codes of one codebook list that have cues."""
        return frozenset(c.code for c in self.cues if c.list == list_name)

    def find(self, text: str, start: int, end: int, list_name: str, positions: Iterable[str]) -> list[Found]:
        """The cues of ``list_name`` at ``positions`` whose words lie wholly in ``text[start:end]``; where two overlap,
        only the longer."""
        wanted = set(positions)
        words = [w for w in _words(text[start:end])]
        hits: list[Found] = []
        for i, (word, _, _) in enumerate(words):
            for cues in (self._by_first.get(word[len(c) :]) for c in CLITICS if word.startswith(c)):
                for cue in cues or ():
                    n = len(cue.words)
                    if cue.list != list_name or cue.position not in wanted or i + n > len(words):
                        continue
                    if _matches(word, cue.words[0]) and all(
                        words[i + k][0] in (cue.words[k], cue.words[k] + "ا") for k in range(1, n)
                    ):
                        hits.append(Found(cue, start + words[i][1], start + words[i + n - 1][2]))
        longest = [h for h in hits if not any(_inside(h, o) for o in hits)]
        return sorted(set(longest), key=lambda h: (h.start, h.end, h.cue.code))

    # -- around a figure -----------------------------------------------------------------------------------------

    def near(self, text: str, m: Mention, mentions: list[Mention], list_name: str) -> Found | None:
        """The cue of ``list_name`` nearest the figure ``m`` of ``text``: ``before`` or ``after`` it (the nearer
        wins; before first on a tie), else in its ``clause``, else in its ``sentence``."""
        lo, hi = _clause(text, m.start, m.end)
        prev_end = max((o.end for o in mentions if o.end <= m.start), default=0)
        next_start = min((o.start for o in mentions if o.start >= m.end), default=len(text))
        before = _last_words(text, max(lo, prev_end), m.start)
        after = _first_words(text, m.end, min(hi, next_start))
        close = [(m.start - f.end, f) for f in self.find(text, before, m.start, list_name, ("before",))]
        close += [(f.start - m.end, f) for f in self.find(text, m.end, after, list_name, ("after",))]
        if close:
            return min(close, key=lambda d: d[0])[1]
        clause = self.find(text, lo, m.start, list_name, ("clause",))
        if clause:
            return clause[-1]
        s_lo, s_hi = _sentence(text, m.start, m.end)
        sentence = self.find(text, s_lo, s_hi, list_name, ("sentence",))
        if sentence:
            return min(sentence, key=lambda f: abs(f.start - m.start))
        return None

    def qualifier(self, text: str, m: Mention, mentions: list[Mention]) -> tuple[str | None, str | None]:
        """The qualifier code a hedge next to the figure signals, and the hedge as written (None, None: no hedge)."""
        return _code(text, self.near(text, m, mentions, "qualifier"))

    def claim_type(self, text: str, m: Mention, mentions: list[Mention]) -> tuple[str | None, str | None]:
        """The claim type a tense or estimate marker in the figure's clause signals, and the marker as written."""
        return _code(text, self.near(text, m, mentions, "claim_type"))

    def unit(self, text: str, m: Mention, mentions: list[Mention]) -> str | None:
        """The unit the counted noun after the figure signals."""
        return _code(text, self.near(text, m, mentions, "unit"))[0]

    def metric(self, text: str, m: Mention, mentions: list[Mention]) -> str | None:
        """The metric the counted noun after the figure, or a verb or noun of its clause, signals."""
        return _code(text, self.near(text, m, mentions, "metric"))[0]

    def attribution(self, text: str, m: Mention) -> tuple[str | None, str | None]:
        """Who the figure's clause, else its sentence, credits: the attribution code whose name it gives (and the
        name as written); else None and the words after an attribution phrase (up to the clause's end, at most five
        words); else (None, None): the article's own voice."""
        lo, hi = _sentence(text, m.start, m.end)
        c_lo, c_hi = _clause(text, m.start, m.end)

        def reach(found: list[Found]) -> list[Found]:  # no contrast between the cue and the figure
            return [f for f in found if not _CONTRAST.search(text, min(f.end, m.start), max(f.start, m.end))]

        for a, b in ((c_lo, c_hi), (lo, hi)):  # the figure's clause first
            named = reach(self.find(text, a, b, "attribution", ("sentence",)))
            if named:
                best = min(named, key=lambda f: abs(f.start - m.start))
                return best.cue.code, text[best.start : best.end]
        phrases = reach(
            self.find(text, c_lo, c_hi, "basis", ("sentence",)) or self.find(text, lo, hi, "basis", ("sentence",))
        )
        if not phrases:
            return None, None
        best = min(phrases, key=lambda f: abs(f.start - m.start))
        end = _clause(text, best.end, best.end)[1]
        words = [w for w in _words(text[best.end : end]) if not w[0].isdigit()][:5]
        if not words:
            return None, None
        return None, text[best.end + words[0][1] : best.end + words[-1][2]]


def _inside(a: Found, b: Found) -> bool:
    """Whether ``a`` lies within ``b`` and is shorter."""
    return b.start <= a.start and a.end <= b.end and (b.end - b.start) > (a.end - a.start)


def _code(text: str, found: Found | None) -> tuple[str | None, str | None]:
    return (found.cue.code, text[found.start : found.end]) if found else (None, None)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: from after the last clause mark before it to the next one after it."""
    lo = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    nxt = CLAUSE_END.search(text, end)
    return lo, nxt.start() if nxt else len(text)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``."""
    lo = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    nxt = SENTENCE_END.search(text, end)
    return lo, nxt.start() if nxt else len(text)


def _last_words(text: str, lo: int, hi: int) -> int:
    """Start of the last ``WINDOW`` words of ``text[lo:hi]``."""
    words = _words(text[lo:hi])
    return lo + words[-WINDOW][1] if len(words) > WINDOW else lo


def _first_words(text: str, lo: int, hi: int) -> int:
    """End of the first ``WINDOW`` words of ``text[lo:hi]``."""
    words = _words(text[lo:hi])
    return lo + words[WINDOW - 1][2] if len(words) > WINDOW else hi


def lexicon(descriptor: str | Path) -> Lexicon:
    """The lexicon of the package at ``descriptor`` (its ``cues`` and ``codebook`` resources)."""
    from iraq_war_facts.package import load
    from iraq_war_facts.reading import read_table

    pkg = load(descriptor)
    tables = {}
    for name in ("cues", "codebook"):
        res = pkg.resources.get(name)
        if res is not None and (table := read_table(res)[0]) is not None:
            tables[name] = table
    return Lexicon.from_tables(tables)
