"""Check family: completeness. Every numeric mention of every source text is accounted for by some row.

A mention (``arabic.find_mentions`` over each paragraph) is covered when its span lies inside an occurrence of a
quote cited from the same source and paragraph by
- a fact row whose value, value_low, value_high or literal_value is one of the mention's values;
- an events row (the numbers of its date), whatever the value;
- a not_tabulated row whose value is one of the mention's values.
Rows that cite the same quote cover together, and each distinct row is looked at once. Uncovered mentions are
reported on the source's row of the sources table. :func:`list_mentions` lists the mentions of any text, optionally
only those a package does not cover yet: the curator's starting point for a new article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from iraq_war_facts.arabic import Mention, find_mentions
from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.checks.citations import (
    CITING,
    MAX_TEXT_BYTES,
    SourceText,
    checked_cells,
    citations_of,
    paragraphs,
    quote_values,
    read_sources,
)
from iraq_war_facts.evaluate import fmt, number
from iraq_war_facts.package import PackageError, load, read_regular, sha256_file
from iraq_war_facts.reading import read_table

CHECK = "completeness"
CONTEXT = 30

Cover = tuple[str | None, frozenset[Decimal] | None]
"""A quote and the figures it may cover (None: any mention inside it). A quote of None stands for a quote not found
where it is cited: its figures are covered anywhere in that paragraph."""


def coverage(tables: dict[str, Table], fact_names: set[str]) -> dict[tuple[str, int], list[Cover]]:
    """For each (source_id, paragraph): each quote cited there, once, with the figures its rows may cover (the union
    over those rows; None when one of them covers any mention inside it). Each distinct row is looked at once."""
    merged: dict[tuple[str, int], dict[str, set[Decimal] | None]] = defaultdict(dict)
    for table in tables.values():
        if not all(c in table.header for c in CITING):
            continue
        is_fact = table.name in fact_names
        columns = checked_cells(table, is_fact)
        if is_fact:
            figures: tuple[str, ...] | None = columns
        elif table.name == "events":
            figures = None
        elif "mention" in table.header:
            figures = ("value",)
        else:
            continue
        for sid, paragraph, quote, *rest in citations_of(table, columns)[1].iter_rows():
            if sid is None or paragraph is None or not quote:
                continue
            quotes = merged[(sid, paragraph)]
            cells = dict(zip(columns, rest, strict=True))
            values = None if figures is None else {v for f in figures if (v := number(cells[f])) is not None}
            if quote not in quotes:
                quotes[quote] = values
            elif values is None:
                quotes[quote] = None
            elif (held := quotes[quote]) is not None:
                held |= values
    return {
        where: [(quote, None if values is None else frozenset(values)) for quote, values in quotes.items()]
        for where, quotes in merged.items()
    }


def relocated(
    covers: dict[tuple[str, int], list[Cover]], texts: dict[str, SourceText]
) -> dict[tuple[str, int], list[Cover]]:
    """``covers`` with each quote that is not in its paragraph (a problem the citations family reports) made to cover
    its figures wherever they are in the paragraph it cites and in each paragraph that holds the quote: one cause,
    one problem. A quote with no figures of its own (an event's) covers the numbers it states."""
    out: dict[tuple[str, int], list[Cover]] = {key: list(found) for key, found in covers.items()}
    for (sid, n), found in covers.items():
        source = texts.get(sid)
        if source is None:
            continue
        paras = source.paragraphs
        for quote, values in found:
            if 1 <= n <= len(paras) and quote in paras[n - 1]:
                continue
            figures = values if values is not None else quote_values(quote)
            out[(sid, n)].append((None, figures))
            for m, para in enumerate(paras, start=1):
                if m != n and quote in para:
                    out.setdefault((sid, m), []).append((quote, values))
    return out


def _spans(paragraph: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of quote in paragraph, overlapping ones included."""
    spans, start = [], paragraph.find(quote)
    while start != -1:
        spans.append((start, start + len(quote)))
        start = paragraph.find(quote, start + 1)
    return spans


def uncovered(paragraph: str, covers: list[Cover]) -> list[Mention]:
    """The mentions of a paragraph that none of the covers accounts for."""
    placed = [
        (span, values)
        for quote, values in covers
        for span in ([(0, len(paragraph))] if quote is None else _spans(paragraph, quote))
    ]
    out = []
    for m in find_mentions(paragraph):
        figures = m.values()
        if not any(s <= m.start and m.end <= e and (values is None or values & figures) for (s, e), values in placed):
            out.append(m)
    return out


def snippet(paragraph: str, m: Mention, width: int) -> str:
    """The mention with up to ``width`` characters each side, marked «…» where cut."""
    start, end = max(0, m.start - width), min(len(paragraph), m.end + width)
    text = paragraph[start:end].replace("\r", " ").replace("\t", " ")
    return f"«{'…' if start else ''}{text}{'…' if end < len(paragraph) else ''}»"


def figures_text(m: Mention) -> str:
    """The figures of a mention: "100000–150000" for a range (or «بضعة آلاف», 3000–9000), "≥3000" for an
    indefinite plural without a ceiling."""
    if m.low is not None and m.high is not None:
        return f"{fmt(m.low)}–{fmt(m.high)}"
    if m.value is None and m.low is not None:
        return f"≥{fmt(m.low)}"
    return ", ".join(fmt(v) for v in sorted(m.values()))


def check(ctx: Context) -> Iterable[Problem]:
    """Report every numeric mention of the source texts that no row covers."""
    sources = ctx.tables.get("sources")
    texts, _ = read_sources(ctx)  # unreadable or altered texts are the citations family's to report
    if sources is None or not texts:
        return []
    covers = relocated(coverage(ctx.tables, {t.name for t in ctx.fact_tables}), texts)
    problems = []
    for sid, source in texts.items():
        for n, para in enumerate(source.paragraphs, start=1):
            for m in uncovered(para, covers.get((sid, n), [])):
                msg = f"uncovered numeric mention {m.text!r} in {sid} paragraph {n}: {snippet(para, m, CONTEXT)}"
                problems.append(sources.problem(CHECK, source.row, "file", msg, code="uncovered-mention"))
    return problems


def list_mentions(text_path: Path, context: int = 40, covered_by: str | Path | None = None) -> list[str]:
    """One line per numeric mention of a text: ``paragraph:offset  text  value(s)  kind  «context»``.

    ``offset`` is the 0-based character offset in the paragraph. With ``covered_by`` (a descriptor), only the
    mentions that package does not cover yet; the text is matched to a source by its sha256 (none matches: all).
    """
    path = Path(text_path)
    try:
        text = read_regular(path, str(path), MAX_TEXT_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(str(path), f"not UTF-8 at byte {exc.start}") from None
    covers: dict[tuple[str, int], list[Cover]] = {}
    sid: str | None = None
    if covered_by is not None:
        pkg = load(covered_by)
        tables = {name: t for name, res in pkg.resources.items() if (t := read_table(res)[0]) is not None}
        digest = sha256_file(path)
        sources = tables.get("sources")
        if sources is not None and "text_sha256" in sources.header:
            sid = next((r["source_id"] for r in sources.raw.iter_rows(named=True) if r["text_sha256"] == digest), None)
        fact_names = {r.name for r in pkg.fact_resources}
        covers = coverage(tables, fact_names)
    lines = []
    for n, para in enumerate(paragraphs(text), start=1):
        mentions = find_mentions(para) if covered_by is None else uncovered(para, covers.get((sid or "", n), []))
        for m in mentions:
            lines.append(f"{n}:{m.start}  {m.text}  {figures_text(m)}  {m.kind}  {snippet(para, m, context)}")
    return lines
