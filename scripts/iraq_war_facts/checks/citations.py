"""Check family: citations. Every source text matches its fingerprint and every quote says what its row says.

For each source: the file exists in the sources folder, its sha256 and size match, its headline is verbatim in it.
For each row that cites (source_id, paragraph, quote): the quote is an exact substring of that paragraph (or the
problem says where it is); in a fact table the quote states the figure (value, else value_low and value_high; or
literal_value where set); in not_tabulated the quote states ``value`` and contains ``mention``.

Rows repeat their citations: each distinct citation (with the cells it is checked against) is judged once, and a
judgement that finds a problem is reported on every row that carries it, at that row's own line.
"""

from __future__ import annotations

import hashlib
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from iraq_war_facts.arabic import mentions_values
from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.evaluate import fmt, number

CHECK = "citations"
MAX_TEXT_BYTES = 1 << 26
CITING = ("source_id", "paragraph", "quote")
FACT_FIGURES = ("literal_value", "value", "value_low", "value_high")
# Where a quote is not in its text, the closest span is shown for the first CLOSEST_CAP distinct quotes of at most
# CLOSEST_MAX characters (the search compares spans character by character).
CLOSEST_CAP, CLOSEST_MAX = 100, 400


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a source text: its non-empty lines (paragraph n is ``paragraphs(text)[n - 1]``)."""
    return [line for line in text.split("\n") if line.strip()]


@dataclass(frozen=True)
class SourceText:
    """A source's text as read from the sources folder."""

    source_id: str
    row: int
    file: str
    text: str
    paragraphs: tuple[str, ...]


def read_sources(ctx: Context) -> tuple[dict[str, SourceText], list[Problem]]:
    """Read every source's text from ``ctx.sources_dir``; return the readable texts and the problems found."""
    texts: dict[str, SourceText] = {}
    problems: list[Problem] = []
    table = ctx.tables.get("sources")
    if table is None or ctx.sources_dir is None:
        return texts, problems
    folder = ctx.sources_dir
    for i, raw in enumerate(table.raw.iter_rows(named=True)):
        sid, name = raw.get("source_id"), raw.get("file")
        if sid is None or name is None:
            continue
        path, code, why = _locate(folder, name)
        if path is None:
            problems.append(table.problem(CHECK, i, "file", why, code=code))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if raw.get("text_sha256") is not None and digest != raw["text_sha256"]:
            msg = f"sha256 of {name} is {digest}, text_sha256 says {raw['text_sha256']}: the text has changed"
            problems.append(table.problem(CHECK, i, "text_sha256", msg, code="source-text-mismatch"))
        size = raw.get("bytes")
        if size is not None and size.strip().isdigit() and int(size) != len(data):
            msg = f"{name} has {len(data)} bytes, bytes says {size}"
            problems.append(table.problem(CHECK, i, "bytes", msg, code="source-text-mismatch"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = f"{name} is not valid UTF-8 (byte {exc.start})"
            problems.append(table.problem(CHECK, i, "file", msg, code="source-not-utf8"))
            continue
        headline = raw.get("headline")
        if headline is not None and headline not in text:
            msg = f"headline is not verbatim in {name}"
            problems.append(table.problem(CHECK, i, "headline", msg, code="headline-not-in-source"))
        texts.setdefault(sid, SourceText(sid, i, name, text, tuple(paragraphs(text))))
    return texts, problems


def _locate(folder: Path, name: str) -> tuple[Path | None, str, str]:
    """The file ``name`` inside ``folder``, or None, the problem code and why not (not a plain name, missing, large)."""
    posix = PurePosixPath(name)
    if len(posix.parts) != 1 or name in (".", "..") or "\\" in name or ":" in name:
        return None, "source-file-name", f"file {name!r} must be a plain file name inside the sources folder"
    path = folder / name
    if path.is_symlink() or not path.is_file():
        return None, "source-file-missing", f"file {name} is not in the sources folder {folder}"
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        return None, "source-file-too-large", f"file {name} is {size} bytes, over the limit of {MAX_TEXT_BYTES}"
    return path, "", ""


@lru_cache(maxsize=4096)
def quote_values(quote: str) -> frozenset[Decimal]:
    """Every figure the quote states (parsed once per distinct quote)."""
    return frozenset(mentions_values(quote))


def _where(source: SourceText, paragraph: int, quote: str, hint: bool = True) -> tuple[str, str] | None:
    """The problem code and why the quote is not in the paragraph (None when it is)."""
    paras = source.paragraphs
    if 1 <= paragraph <= len(paras) and quote in paras[paragraph - 1]:
        return None
    found = [str(n) for n, para in enumerate(paras, start=1) if quote in para]
    if not 1 <= paragraph <= len(paras):
        head = f"paragraph {paragraph} does not exist: {source.source_id} has {len(paras)} paragraphs"
        return "paragraph-out-of-range", f"{head}; the quote is in paragraph {', '.join(found)}" if found else head
    head = f"quote is not in {source.source_id} paragraph {paragraph}"
    if found:
        return "quote-wrong-paragraph", f"{head}; it is in paragraph {', '.join(found)}"
    if quote in source.text:
        return "quote-spans-paragraphs", f"{head}; it spans several lines of the text"
    return (
        "quote-not-in-source",
        f"{head} nor anywhere else in the text; {closest(paras[paragraph - 1], quote, paragraph)}",
    )


def _invisible(ch: str) -> bool:
    """Whether a character is invisible or stretches a letter: a format character (ZWNJ, bidi marks), tatweel, NBSP."""
    return unicodedata.category(ch) == "Cf" or ch in "\u0640\u00a0"


def _names(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in sorted(set(chars)))


def closest(paragraph: str, quote: str, number: int | None = None) -> str:
    """Where the paragraph comes closest to a quote it does not hold, and the invisible characters that differ."""
    where = "closest in paragraph" + (f" {number}" if number is not None else "")
    if not paragraph or not quote:
        return f"{where}: none"
    matcher = SequenceMatcher(None, paragraph, quote, autojunk=False)
    anchor = matcher.find_longest_match(0, len(paragraph), 0, len(quote))
    guess = max(0, anchor.a - anchor.b)

    def score(span: tuple[int, int]) -> float:
        return SequenceMatcher(None, paragraph[span[0] : span[1]], quote, autojunk=False).ratio()

    best = (guess, min(len(paragraph), guess + len(quote)))
    for _ in range(2):  # widen or narrow each end while the likeness grows
        for side in (0, 1):
            for step in range(-4, 5):
                lo, hi = best[0] + (step if side == 0 else 0), best[1] + (step if side == 1 else 0)
                if 0 <= lo < hi <= len(paragraph) and score((lo, hi)) > score(best):
                    best = (lo, hi)
    span = paragraph[best[0] : best[1]]
    out = f"{where}: «{span}»"
    extra = [c for c in quote if _invisible(c) and c not in span]
    lacking = [c for c in span if _invisible(c) and c not in quote]
    if extra:
        out += f"; the quote has {_names(extra)}, which the text lacks there"
    if lacking:
        out += f"; the text has {_names(lacking)} there, which the quote lacks"
    return out


def _stated(quote: str, figures: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(field, message) for each figure (field, cell) that the quote does not state."""
    found = quote_values(quote)
    for name, cell in figures:
        d = number(cell)
        if d is None or d in found:
            continue
        has = ", ".join(fmt(v) for v in sorted(found)) if found else "none"
        yield name, f"{name} {cell} is not stated in the quote (the quote states: {has})"


def _figures(cells: dict[str, Any], is_fact: bool) -> list[tuple[str, str]]:
    """The figures a row's quote must state: (field, cell)."""
    if not is_fact:
        return [("value", cells["value"])] if cells.get("value") is not None else []
    if cells.get("literal_value") is not None:
        return [("literal_value", cells["literal_value"])]
    if cells.get("value") is not None:
        return [("value", cells["value"])]
    return [(name, cells[name]) for name in ("value_low", "value_high") if cells.get(name) is not None]


def cited(table: Table, columns: Iterable[str] = ()) -> pl.DataFrame:
    """One row per row of ``table``: source_id, paragraph (an integer; null where unreadable), quote and ``columns``,
    as text and null where empty or where the table has no such column (or names it twice)."""
    raw, frame = table.raw, table.frame

    def text(name: str) -> pl.Series:
        if name in raw.columns:
            return raw.get_column(name).cast(pl.String).alias(name)
        return pl.repeat(None, raw.height, dtype=pl.String, eager=True).alias(name)

    if "paragraph" in frame.columns and frame.schema["paragraph"].is_integer():
        paragraph = frame.get_column("paragraph").cast(pl.Int64)
    else:
        paragraph = text("paragraph").cast(pl.Int64, strict=False)
    return pl.DataFrame([text("source_id"), paragraph.alias("paragraph"), text("quote"), *map(text, columns)])


def checked_cells(table: Table, is_fact: bool) -> tuple[str, ...]:
    """The cells a table's quotes are checked against: a fact table's figures; ``value`` and ``mention`` where the
    table has a mention column; none otherwise (an event's quote is only located)."""
    return FACT_FIGURES if is_fact else ("value", "mention") if "mention" in table.header else ()


_SHARED: dict[int, tuple[pl.DataFrame, pl.DataFrame, tuple[str, ...], pl.DataFrame, pl.DataFrame]] = {}


def citations_of(table: Table, columns: tuple[str, ...]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``cited(table, columns)`` and its distinct rows (in the order first seen), computed once per table as read and
    kept while the table lives: the citations and completeness families share them."""
    entry = _SHARED.get(id(table))
    if entry is not None and entry[0] is table.raw and entry[1] is table.frame and entry[2] == columns:
        return entry[3], entry[4]
    rows = cited(table, columns)
    distinct = rows.unique(maintain_order=True)
    if id(table) not in _SHARED:
        weakref.finalize(table, _SHARED.pop, id(table), None)
    _SHARED[id(table)] = (table.raw, table.frame, columns, rows, distinct)
    return rows, distinct


def rows_carrying(frame: pl.DataFrame, keys: list[tuple[Any, ...]]) -> list[tuple[int, int]]:
    """(row, k) for every row of ``frame`` equal to ``keys[k]`` (a null equals a null), in row order."""
    wanted = pl.DataFrame(keys, schema=frame.schema, orient="row").with_row_index("k")
    hits = frame.with_row_index("row").join(wanted, on=frame.columns, nulls_equal=True)
    return hits.sort("row").select("row", "k").rows()


def _judge(
    citation: dict[str, Any], source: SourceText, is_fact: bool, located: dict[tuple[str, int, str], Any]
) -> Iterator[tuple[str, str, str]]:
    """(field, code, message) for each problem of one distinct citation and the cells checked against it."""
    paragraph, quote = citation["paragraph"], citation["quote"]
    key = (source.source_id, paragraph, quote)
    if key not in located:
        hints = sum(1 for found in located.values() if found is not None and found[0] == "quote-not-in-source")
        located[key] = _where(source, paragraph, quote, hints < CLOSEST_CAP)
    if located[key] is not None:
        code, message = located[key]
        yield ("paragraph" if code == "paragraph-out-of-range" else "quote"), code, message
    for name, message in _stated(quote, _figures(citation, is_fact)):
        yield name, "value-not-in-quote", message
    mention = citation.get("mention")
    if not is_fact and mention is not None and mention not in quote:
        yield "mention", "mention-not-in-quote", f"mention {mention!r} is not in the quote"


def check(ctx: Context) -> Iterable[Problem]:
    """Verify the source texts and every quote against them."""
    texts, problems = read_sources(ctx)
    fact_names = {t.name for t in ctx.fact_tables}
    located: dict[tuple[str, int, str], tuple[str, str] | None] = {}
    for table in ctx.tables.values():
        if not all(c in table.header for c in CITING):
            continue
        is_fact = table.name in fact_names
        frame, distinct = citations_of(table, checked_cells(table, is_fact))
        found: list[tuple[tuple[Any, ...], list[tuple[str, str, str]]]] = []
        for key in distinct.iter_rows():
            citation = dict(zip(frame.columns, key, strict=True))
            source = texts.get(citation["source_id"])
            if source is None or citation["paragraph"] is None or citation["quote"] is None:
                continue
            judged = list(_judge(citation, source, is_fact, located))
            if judged:
                found.append((key, judged))
        if found:
            for row, k in rows_carrying(frame, [key for key, _ in found]):
                for name, code, message in found[k][1]:
                    problems.append(table.problem(CHECK, row, name, message, code=code))
    return problems
