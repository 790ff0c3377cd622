"""Check family: claims. What a fact row records about its figure agrees with the words its source puts around it.

For each fact row whose quote is in its paragraph, the figure (literal_value, else value, else value_low) is found
among the numeric mentions of the quote, and the words around it in the paragraph (the quote's clause) are read with
the package's cue lexicon (:mod:`iraq_war_facts.cues`, the ``cues`` resource):

- ``hedge-disagrees``: the row's qualifier differs from the hedge beside the figure (``exact`` beside ``حوالي``,
  ``more_than`` beside ``على الأقل``);
- ``hedge-missing``: the row's qualifier is one that hedges have cues for, and no hedge stands beside the figure;
- ``future-claim-reported``: the row is ``reported`` but the figure's clause speaks of the future (``سيبقى``).

Qualifiers without cues (a range, an indefinite plural) are not compared. The family needs the source texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from iraq_war_facts.arabic import Mention, find_mentions
from iraq_war_facts.checks.base import Context, Problem
from iraq_war_facts.checks.citations import read_sources, rows_carrying
from iraq_war_facts.cues import Lexicon
from iraq_war_facts.evaluate import number
from iraq_war_facts.model import EXACT, PLANNED, REPORTED

CHECK = "claims"
FIELDS = ("source_id", "paragraph", "quote", "qualifier", "claim_type", "literal_value", "value", "value_low")
ADVICE = "if the text's word is a hedge, add it to the cues resource"


def _figure(row: dict[str, Any]) -> Any:
    """The figure of a row that its quote must state: literal_value, else value, else value_low, else value_high."""
    for name in ("literal_value", "value", "value_low", "value_high"):
        if (d := number(row.get(name))) is not None:
            return d
    return None


def _mention(paragraph: str, mentions: list[Mention], quote: str, figure: Any) -> Mention | None:
    """The first mention inside the quote's first occurrence in the paragraph that states ``figure``."""
    start = paragraph.find(quote)
    if start < 0 or figure is None:
        return None
    end = start + len(quote)
    return next((m for m in mentions if start <= m.start and m.end <= end and figure in m.values()), None)


def judge(lex: Lexicon, paragraph: str, mentions: list[Mention], row: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(field, code, message) for each way a row disagrees with the words around its figure in ``paragraph``."""
    m = _mention(paragraph, mentions, row.get("quote") or "", _figure(row))
    if m is None:
        return
    qualifier, claim_type = row.get("qualifier"), row.get("claim_type")
    hedged = lex.codes("qualifier")
    found, hedge = lex.qualifier(paragraph, m, mentions)
    if qualifier == EXACT and found is not None:
        yield (
            "qualifier",
            "hedge-disagrees",
            f"qualifier is {EXACT} but the figure {m.text!r} is hedged by {hedge!r} ({found})",
        )
    elif qualifier in hedged and found is None:
        cues = ", ".join(sorted({c.text for c in lex.cues if c.code == qualifier})[:6])
        message = (
            f"qualifier is {qualifier} but no hedge stands beside the figure {m.text!r} (cues of {qualifier}: "
            f"{cues}…); set qualifier to {EXACT}, or {ADVICE}"
        )
        yield "qualifier", "hedge-missing", message
    elif qualifier in hedged and found != qualifier:
        yield (
            "qualifier",
            "hedge-disagrees",
            f"qualifier is {qualifier} but the figure {m.text!r} is hedged by {hedge!r} ({found})",
        )
    if claim_type == REPORTED:
        kind, marker = lex.claim_type(paragraph, m, mentions)
        if kind == PLANNED:
            message = (
                f"claim_type is {REPORTED} but the clause of {m.text!r} speaks of the future ({marker!r}): {PLANNED}?"
            )
            yield "claim_type", "future-claim-reported", message


def check(ctx: Context) -> Iterable[Problem]:
    """Compare each fact row's qualifier and claim type with the cues around its figure in its source.

    Rows repeat their citations: each distinct combination of the cells judged is judged once, and a problem found is
    reported on every row that carries it, at that row's own line."""
    texts, _ = read_sources(ctx)  # unreadable texts are the citations family's to report
    lex = Lexicon.from_tables(ctx.tables)
    if not texts or not lex.cues:
        return []
    parsed: dict[tuple[str, int], list[Mention]] = {}
    problems = []
    for table in ctx.fact_tables:
        if not all(f in table.header for f in ("source_id", "paragraph", "quote")):
            continue
        frame = table.raw.select([f for f in FIELDS if f in table.raw.columns])
        found: list[tuple[tuple[Any, ...], list[tuple[str, str, str]]]] = []
        for key in frame.unique(maintain_order=True).iter_rows():
            row = dict(zip(frame.columns, key, strict=True))
            source = texts.get(row.get("source_id") or "")
            n = _paragraph(row.get("paragraph"))
            if source is None or n is None or not 1 <= n <= len(source.paragraphs):
                continue
            para = source.paragraphs[n - 1]
            if (source.source_id, n) not in parsed:
                parsed[(source.source_id, n)] = find_mentions(para)
            judged = list(judge(lex, para, parsed[(source.source_id, n)], row))
            if judged:
                found.append((key, judged))
        if found:
            for i, k in rows_carrying(frame, [key for key, _ in found]):
                for name, code, message in found[k][1]:
                    problems.append(table.problem(CHECK, i, name, message, code=code))
    return problems


def _paragraph(cell: Any) -> int | None:
    """A paragraph cell as an integer (None where it is not one: the schema family reports it)."""
    try:
        return int(str(cell).strip()) if cell is not None else None
    except ValueError:
        return None
