"""``draft``: one proposed row per numeric mention of a text that the package does not cover yet.

Each mention gets a ``kind``: ``fact`` for a candidate fact, else the code of the codebook's ``reason`` list it would
be set aside with. The words around the figure decide (:func:`classify`):

- a year (1900 to 2100, in digits) that no counted noun follows, a number before or after a month name, an ordinal
  day before a month: a date part;
- a number right before a time unit (ساعة، يوم، أسبوع، شهر، سنة، عام، عقد, their plurals and duals) or right after a
  plural one («الأيام الثلاثة»): a time reference;
- an ordinal, "one" in an idiom («من جانب واحد») or as "one of" («واحد من»): not a quantity;
- the same figures stated earlier in the text as a fact, before the same noun: a repeat.

Hedge, claim type, attribution, unit and metric come from the package's cue lexicon (:mod:`iraq_war_facts.cues`).
The quote is the shortest verbatim span that states the figure: the mention, the hedge next to it and the counted
noun right after it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from pathlib import Path

from iraq_war_facts.arabic import MONTH_NAMES, QUALIFIED_MONTHS, Mention, find_mentions
from iraq_war_facts.arabic import fold as arabic_fold
from iraq_war_facts.checks.citations import paragraphs
from iraq_war_facts.checks.completeness import Cover, uncovered
from iraq_war_facts.cues import CLAUSE_END, SENTENCE_END, Lexicon
from iraq_war_facts.evaluate import fmt

FACT = "fact"
# How a rule's finding maps to the codebook's reason codes; a code the codebook lacks is never proposed.
REASONS = {
    "date": "date_part",
    "time": "time_reference",
    "idiom": "not_a_quantity",
    "repeat": "repeat",
}
POINT, RANGE, INDEFINITE, PERCENT, ORDINAL = "number", "range", "indefinite", "percent", "ordinal"
EXACT = "exact"  # the qualifier of an unhedged point figure; a range or plural takes its mention's kind
REPORTED = "reported"  # the claim type without a tense or estimate marker
ARTICLE = "article"  # the attribution without a source named or an attribution phrase
PERCENT_UNIT = "percent"
YEARS = (1900, 2100)

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+|[0-9\u0660-\u0669\u06f0-\u06f9]+")
_GAP = re.compile(r"[ \t\u00a0\u200c\u200f\u200e]*")


def _set(words: str) -> frozenset[str]:
    """A vocabulary written as folded words separated by spaces."""
    return frozenset(words.split())


# The vocabularies below are folded (no hamza on alif, ى as ي, ة as ه) and matched with or without a one-letter
# clitic, the article and the accusative alif.
MONTHS = MONTH_NAMES
_MONTH_SECOND = _set("الاول الثاني الاخر الاولي الثانيه الاخره")  # كانون الثاني, جمادى الآخرة
TIME_UNITS = _set(
    "دقيقه دقائق دقيقتين ساعه ساعات ساعتين ساعتان يوم ايام يومين يومان اسبوع اسابيع اسبوعين "
    "شهر اشهر شهور شهرين شهران سنه سنوات سنين سنتين سنتان عام اعوام عامين عامان عقد عقود عقدين"
)
IDIOM_HEADS = _set(  # "one" after these nouns is an idiom, not a count: من جانب واحد، في آن واحد
    "جانب ان وقت صف طرف مصير يد صوت دفعه نفس راي قلب لون نوع مكان اتجاه هدف كلمه موقف خندق سقف مره رجل"
)
NAME_HEADS = _set(  # a number in digits right after these nouns names something: الفرقة 82، القرار 1546
    "الفرقه اللواء الكتيبه الفيلق السريه الفوج البرج القرار الماده الفقره البند الطريق الشارع الرحله الطابق "
    "المبني الحي الدائره المنطقه المجمع المعسكر الجيل الرقم الجسر الممر البوابه"
)
_PREFIXES = ("و", "ف", "ب", "ل", "ك")
_RANGE_OPENERS = _set("بين من")
_COMPLEMENTISERS = _set("ان انه انها بان بانه بانها لان")
_STOPS = _set("و ان الي او ثم")
_ARTICLE = "ال"  # the article written apart: «الـ17», «الـ800 مليار»
_FUNCTION_WORDS = _set(
    "في من على الي عن مع او ثم قد لا ما منذ حتى بعد قبل خلال و ان الذي التي بحلول حاليا فقط وحده وحدها منهم منها "
    "سنويا شهريا يوميا اضافيه تقريبا"
)


def fold(word: str) -> str:
    """A word folded as the parser folds text (no diacritics or tatweel, hamza forms as bare alif, ى as ي, ة as ه)."""
    return arabic_fold(word)[0]


def _forms(word: str) -> set[str]:
    """The lexical forms a word may have: folded, without a one-letter clitic and/or the article, and without the
    accusative alif (وبالأيام -> ايام, عاماً -> عام)."""
    w = fold(word)
    out = {w}
    if len(w) > 2 and w[0] in _PREFIXES:
        out.add(w[1:])
    for x in list(out):
        if x.startswith(("ال", "لل")) and len(x) > 3:
            out.add(x[2:])
    return out | {x[:-1] for x in out if len(x) > 2 and x.endswith("ا")}


def _is(word: Word | None, vocabulary: frozenset[str]) -> bool:
    """Whether ``word`` is, in one of its forms, in ``vocabulary``."""
    return word is not None and not _forms(word.text).isdisjoint(vocabulary)


def stem(word: str) -> str:
    """A crude stem a repeat is compared by: the folded word without clitic, article, tanween alif or a plural or
    dual ending (جندياً، الجنود -> جند/جنود; عسكرياً، العسكريين -> عسكري)."""
    w = fold(word)
    if len(w) > 3 and w[0] in _PREFIXES and w[1:].startswith("ال"):
        w = w[1:]
    if w.startswith(("ال", "لل")) and len(w) > 4:
        w = w[2:]
    for end in ("ين", "ون", "ان", "ات", "ا", "ه"):
        if w.endswith(end) and len(w) - len(end) >= 3:
            return w[: -len(end)]
    return w


@dataclass(frozen=True)
class Word:
    """A word (or a run of digits) of a paragraph and its offsets."""

    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words (and digit runs) of a text with their offsets."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _adjacent(text: str, start: int, end: int) -> bool:
    """Whether only spaces separate ``start`` from ``end``."""
    return start <= end and _GAP.fullmatch(text, start, end) is not None


class Around:
    """The words right before and after a mention, when only spaces separate them from it (an article written
    apart before the mention, «الأيام الـ17», is passed over: ``definite`` says it was there)."""

    def __init__(self, text: str, m: Mention, tokens: list[Word]) -> None:
        before = [w for w in tokens if w.end <= m.start]
        after = [w for w in tokens if w.start >= m.end]
        chain = []
        at = m.start
        for w in reversed(before[-3:]):
            if not _adjacent(text, w.end, at):
                break
            chain.append(w)
            at = w.start
        self.definite = bool(chain) and fold(chain[0].text) == _ARTICLE
        if self.definite:
            chain = chain[1:]
        self.prev = chain[0] if chain else None
        self.prev2 = chain[1] if len(chain) > 1 else None
        self.next = after[0] if after and _adjacent(text, m.end, after[0].start) else None
        self.next2 = (
            after[1] if self.next and len(after) > 1 and _adjacent(text, self.next.end, after[1].start) else None
        )

    def month_before(self) -> bool:
        """Whether a month name stands right before («مارس 2003», «كانون الثاني 2005»)."""
        if _is(self.prev, MONTHS):
            return True
        return _is(self.prev, _MONTH_SECOND) and _is(self.prev2, QUALIFIED_MONTHS)

    def month_after(self) -> bool:
        """Whether a month name follows, directly or after من («15 مارس», «الخامس من شهر يناير»)."""
        if _is(self.next, MONTHS):
            return True
        return self.next is not None and fold(self.next.text) == "من" and _is(self.next2, MONTHS | {"شهر"})

    def after_noun(self) -> bool:
        """Whether the figure, made definite by an article written apart, follows its noun («العسكريين الـ13»)."""
        return self.definite and self.prev is not None and not _is(self.prev, _FUNCTION_WORDS)

    def noun(self) -> str | None:
        """The stem of the noun the figure counts: the word after it, else the definite noun before it
        («العسكريين الـ13»)."""
        if self.after_noun():
            return stem(self.prev.text)  # type: ignore[union-attr]
        if self.next is not None and not _is(self.next, _FUNCTION_WORDS):
            return stem(self.next.text)
        return None


def _digits(m: Mention) -> bool:
    return re.fullmatch(r"[0-9\u0660-\u0669\u06f0-\u06f9]+", m.text) is not None


def _year(d: Decimal | None) -> bool:
    return d is not None and d == d.to_integral_value() and YEARS[0] <= d <= YEARS[1]


def classify(
    text: str, m: Mention, mentions: list[Mention], reasons: Iterable[str], lex: Lexicon | None = None
) -> tuple[str, str]:
    """The kind of a mention (``fact`` or a reason code) and why, from the words around it (repeats aside)."""
    codes = set(reasons)
    finding, why = _finding(text, m, words(text), lex)
    code = REASONS.get(finding or "")
    if code is None or code not in codes:
        return FACT, ""
    return code, why


def _counted_next(text: str, around: Around, lex: Lexicon | None) -> bool:
    """Whether the word right after is a counted noun (a unit cue of the lexicon)."""
    if around.next is None or lex is None:
        return False
    return bool(lex.find(text, around.next.start, around.next.end, "unit", ("after",)))


def _finding(text: str, m: Mention, tokens: list[Word], lex: Lexicon | None) -> tuple[str | None, str]:
    """What the words around a mention make of it (a key of :data:`REASONS`, or None for a fact) and why."""
    around = Around(text, m, tokens)
    prv = around.prev.text if around.prev else None
    if m.kind == ORDINAL:
        if around.month_after():
            return "date", "an ordinal day before a month name"
        return "idiom", "an ordinal, not a count"
    if m.kind in (POINT, RANGE, INDEFINITE) and _is(around.next, TIME_UNITS):
        return "time", f"a number before the time unit «{around.next.text}»"  # type: ignore[union-attr]
    if m.kind == RANGE and _year(m.low) and _year(m.high) and not _counted_next(text, around, lex):
        return "date", "years that bound a period"
    if m.kind != POINT or m.value is None:
        return None, ""
    v = m.value
    if around.month_before():
        return "date", f"a number after the month name «{prv}»"
    if v == v.to_integral_value() and 1 <= v <= 31 and around.month_after():
        return "date", "a day before a month name"
    if _digits(m) and _year(v) and not _counted_next(text, around, lex):
        return "date", "a year"
    if _is(around.prev, TIME_UNITS) and (v <= 2 or around.definite or fold(prv or "").startswith("ال")):
        return "time", f"a number after the time unit «{prv}»"
    if _digits(m) and _is(around.prev, NAME_HEADS) and not _counted_next(text, around, lex):
        return "idiom", f"«{prv} {m.text}»: a name, not a count"
    if v == 1 and not _digits(m):
        if _is(around.prev, IDIOM_HEADS):
            return "idiom", f"«{prv} {m.text}»: an idiom, not a count"
        if around.next is not None and fold(around.next.text) == "من":
            return "idiom", f"«{m.text} من»: one of, not a count"
    return None, ""


# --- drafting --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """One proposed row: where the mention is, its kind, its figures and the codes its words suggest."""

    paragraph: int
    start: int
    mention: str
    quote: str
    kind: str
    value: str
    value_low: str
    value_high: str
    qualifier: str
    unit: str
    metric: str
    claim_type: str
    attributed_to: str
    note: str

    def record(self) -> dict[str, str | int]:
        return asdict(self)


DRAFT_COLUMNS = tuple(f.name for f in fields(Draft))


def _figures(m: Mention) -> tuple[str, str, str]:
    """value, value_low, value_high of a mention: a range and a plural give bounds, a point figure its value."""
    show = lambda d: "" if d is None else fmt(d)  # noqa: E731
    if m.kind in (RANGE, INDEFINITE) or m.value is None:
        return "", show(m.low), show(m.high)
    return show(m.value), "", ""


def _hedge_span(text: str, m: Mention, cue: str | None) -> tuple[int, int]:
    """The mention's span widened to the hedge ``cue`` when it stands in the same clause, before or after."""
    start, end = m.start, m.end
    if not cue:
        return start, end
    before = text.rfind(cue, 0, m.start)
    after = text.find(cue, m.end)
    gap_before = m.start - (before + len(cue)) if before >= 0 else None
    gap_after = after - m.end if after >= 0 else None
    same_clause_before = gap_before is not None and CLAUSE_END.search(text, before + len(cue), m.start) is None
    same_clause_after = gap_after is not None and CLAUSE_END.search(text, m.end, after) is None
    if same_clause_before and (not same_clause_after or gap_before <= gap_after):  # type: ignore[operator]
        return before, end
    if same_clause_after:
        return start, _with_marks(text, after + len(cue))
    return start, end


def _with_marks(text: str, end: int) -> int:
    """``end`` moved past the diacritics that follow it (the tanween of «تقريباً»)."""
    while end < len(text) and re.match(f"[{_MARKS}]", text[end]):
        end += 1
    return end


def _quote(text: str, m: Mention, kind: str, cue: str | None, around: Around) -> str:
    """The shortest verbatim span stating the figure: its hedge, the mention («ما بين» of a range included) and the
    counted noun after it; for a mention set aside, the month, time unit or word that decided its kind."""
    start, end = _hedge_span(text, m, cue) if cue else (m.start, m.end)
    nxt = around.next
    if kind in (FACT, REASONS["repeat"]):
        if m.kind == RANGE and _is(around.prev, _RANGE_OPENERS) and around.prev is not None:
            start = min(start, around.prev.start)
            if around.prev2 is not None and fold(around.prev2.text) == "ما":
                start = min(start, around.prev2.start)
        if around.after_noun() and around.prev is not None:  # «العسكريين الـ13»: the noun comes first
            return text[min(start, around.prev.start) : end]
        if nxt is not None and nxt.end > end and not _is(nxt, _FUNCTION_WORDS):
            end = nxt.end
        return text[start:end]
    if nxt is not None and (_is(nxt, MONTHS | TIME_UNITS) or (fold(nxt.text) == "من" and around.month_after())):
        end = (around.next2 if fold(nxt.text) == "من" and around.next2 else nxt).end
    if around.prev is not None and not _is(around.prev, _STOPS):
        start = around.prev.start
    return text[start:end]


def _attribution(phrase: str) -> str:
    """An attribution phrase cut before its complementiser and anything after («مسؤول عسكري إن نحو» -> «مسؤول
    عسكري»), without an attached preposition."""
    cut = next((w.start for w in words(phrase) if fold(w.text) in _COMPLEMENTISERS), None)
    phrase = phrase[:cut].strip(" ،,") if cut else phrase
    return "ال" + phrase[2:] if fold(phrase).startswith("لل") else phrase  # without its preposition: للبنتاغون


def draft_text(
    text: str, lex: Lexicon, reasons: Iterable[str], covers: Mapping[int, list[Cover]] | None = None
) -> list[Draft]:
    """Draft a row for every mention of ``text`` that ``covers`` (paragraph number -> the covers of the package
    there) does not account for, in reading order."""
    codes = frozenset(reasons)
    covers = covers or {}
    out: list[Draft] = []
    facts: dict[tuple[frozenset[Decimal], str | None], int] = {}
    for n, para in enumerate(paragraphs(text), start=1):
        mentions = find_mentions(para)
        left = {(m.start, m.end) for m in uncovered(para, covers.get(n, []))} if n in covers else None
        tokens = words(para)
        for m in mentions:
            around = Around(para, m, tokens)
            finding, why = _finding(para, m, tokens, lex)
            kind = REASONS.get(finding or "", FACT)
            kind, why = (kind, why) if kind in codes else (FACT, "")
            key = (m.values(), around.noun())
            if kind == FACT:
                if key in facts and REASONS["repeat"] in codes:
                    kind, why = REASONS["repeat"], f"the same figure before the same noun as in paragraph {facts[key]}"
                else:
                    facts.setdefault(key, n)
            if left is not None and (m.start, m.end) not in left:
                continue
            out.append(_row(para, n, m, mentions, kind, why, around, lex))
    return out


def _row(
    para: str, n: int, m: Mention, mentions: list[Mention], kind: str, why: str, around: Around, lex: Lexicon
) -> Draft:
    value, low, high = _figures(m)
    hedge, cue = lex.qualifier(para, m, mentions)
    if kind != FACT:
        quote = _quote(para, m, kind, cue if kind == REASONS["repeat"] else None, around)
        return Draft(n, m.start, m.text, quote, kind, value, low, high, "", "", "", "", "", why)
    qualifier = RANGE if m.kind == RANGE else INDEFINITE if m.kind == INDEFINITE else hedge or EXACT
    claim, marker = lex.claim_type(para, m, mentions)
    if claim is None:  # the verb may follow its subject: «نحو 2500 جندي سيبقون»
        claim, marker = _claim_elsewhere(para, m, mentions, lex)
    source, phrase = lex.attribution(para, m)
    unit = PERCENT_UNIT if m.kind == PERCENT else lex.unit(para, m, mentions) or ""
    notes = [f"hedge «{cue}»" if cue else "", f"claim marker «{marker}»" if marker else ""]
    if phrase and source is None:
        notes.append("attribution phrase, not a codebook source")
    return Draft(
        n,
        m.start,
        m.text,
        _quote(para, m, kind, cue, around),
        kind,
        value,
        low,
        high,
        qualifier,
        unit,
        lex.metric(para, m, mentions) or "",
        claim or REPORTED,
        source or (_attribution(phrase) if phrase else "") or ARTICLE,
        "; ".join(x for x in notes if x),
    )


def _claim_elsewhere(para: str, m: Mention, mentions: list[Mention], lex: Lexicon) -> tuple[str | None, str | None]:
    """A tense or estimate marker outside the figure's clause: after the figure in its clause and before the next
    figure («نحو 2500 جندي سيبقون»), else earlier in its sentence («ومن المقرر، وفق البيان، أن يبقى 2,500»)."""
    nxt = min((o.start for o in mentions if o.start >= m.end), default=len(para))
    stop = CLAUSE_END.search(para, m.end, nxt)
    found = lex.find(para, m.end, stop.start() if stop else nxt, "claim_type", ("clause",))
    if not found:
        lo = max((x.end() for x in SENTENCE_END.finditer(para, 0, m.start)), default=0)
        found = lex.find(para, lo, m.start, "claim_type", ("clause",))[-1:]
    return (found[0].cue.code, para[found[0].start : found[0].end]) if found else (None, None)


def draft(text_path: str | Path, descriptor: str | Path) -> list[Draft]:
    """Draft the rows of the text at ``text_path`` that the package at ``descriptor`` does not cover yet; the text
    is matched to a source by its sha256 (none matches: every mention is drafted)."""
    from iraq_war_facts.checks.completeness import coverage
    from iraq_war_facts.cues import Lexicon
    from iraq_war_facts.curation.sources import read_text
    from iraq_war_facts.package import load
    from iraq_war_facts.reading import read_table

    data, text = read_text(Path(text_path))
    pkg = load(descriptor)
    tables = {name: t for name, res in pkg.resources.items() if (t := read_table(res)[0]) is not None}
    digest = hashlib.sha256(data).hexdigest()
    sid = None
    sources = tables.get("sources")
    if sources is not None and "text_sha256" in sources.header:
        sid = next((r["source_id"] for r in sources.raw.iter_rows(named=True) if r["text_sha256"] == digest), None)
    covers: dict[int, list[Cover]] = {}
    if sid is not None:
        every = coverage(tables, {r.name for r in pkg.fact_resources})
        covers = {n: c for (s, n), c in every.items() if s == sid}
    return draft_text(text, Lexicon.from_tables(tables), reason_codes(tables), covers)


def reason_codes(tables: Mapping[str, object]) -> frozenset[str]:
    """The codes of the codebook's ``reason`` list (the kinds a mention set aside may have)."""
    codebook = tables.get("codebook")
    if codebook is None:
        return frozenset()
    raw = codebook.raw  # type: ignore[attr-defined]
    return frozenset(r["code"] for r in raw.select("code", "list").iter_rows(named=True) if r["list"] == "reason")


def render(drafts: list[Draft], form: str = "csv") -> str:
    """The drafts as CSV (a header, one line each) or as a JSON list of objects with the same keys."""
    if form == "json":
        return json.dumps([d.record() for d in drafts], ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DRAFT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(d.record() for d in drafts)
    return out.getvalue()
