"""Check family: citations. Every source text matches its fingerprint and every quote says what its row says.

For each source: the file exists in the sources folder, its sha256 and size match, its headline is verbatim in it.
For each row that cites (source_id, paragraph, quote): the quote is an exact substring of that paragraph (or the
problem says where it is); in a fact table the quote states the figure (value, else value_low and value_high; or
literal_value where set); in not_tabulated the quote states ``value`` and contains ``mention``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from iraq_war_facts.arabic import mentions_values
from iraq_war_facts.checks.base import Context, Problem
from iraq_war_facts.evaluate import fmt, number

CHECK = "citations"
MAX_TEXT_BYTES = 1 << 26
CITING = ("source_id", "paragraph", "quote")


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


def _where(source: SourceText, paragraph: int, quote: str) -> tuple[str, str] | None:
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
    return "quote-not-in-source", f"{head} nor anywhere else in the text"


def _stated(quote: str, figures: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(field, message) for each figure (field, cell) that the quote does not state."""
    found = quote_values(quote)
    for name, cell in figures:
        d = number(cell)
        if d is None or d in found:
            continue
        has = ", ".join(fmt(v) for v in sorted(found)) if found else "none"
        yield name, f"{name} {cell} is not stated in the quote (the quote states: {has})"


def _figures(raw: dict[str, Any], is_fact: bool) -> list[tuple[str, str]]:
    """The figures a row's quote must state: (field, cell)."""
    if not is_fact:
        return [("value", raw["value"])] if raw.get("value") is not None else []
    if raw.get("literal_value") is not None:
        return [("literal_value", raw["literal_value"])]
    if raw.get("value") is not None:
        return [("value", raw["value"])]
    return [(name, raw[name]) for name in ("value_low", "value_high") if raw.get(name) is not None]


def check(ctx: Context) -> Iterable[Problem]:
    """Verify the source texts and every quote against them."""
    texts, problems = read_sources(ctx)
    fact_names = {t.name for t in ctx.fact_tables}
    located: dict[tuple[str, int, str], tuple[str, str] | None] = {}
    for table in ctx.tables.values():
        if not all(c in table.header for c in CITING):
            continue
        is_fact = table.name in fact_names
        checks_values = is_fact or "mention" in table.header
        for i, (raw, typed) in enumerate(
            zip(table.raw.iter_rows(named=True), table.frame.iter_rows(named=True), strict=False)
        ):
            sid, paragraph, quote = raw.get("source_id"), typed.get("paragraph"), raw.get("quote")
            if sid not in texts or paragraph is None or quote is None:
                continue
            key = (sid, paragraph, quote)
            if key not in located:
                located[key] = _where(texts[sid], paragraph, quote)
            where = located[key]
            if where is not None:
                code, message = where
                field = "paragraph" if code == "paragraph-out-of-range" else "quote"
                problems.append(table.problem(CHECK, i, field, message, code=code))
            if not checks_values:
                continue
            for name, msg in _stated(quote, _figures(raw, is_fact)):
                problems.append(table.problem(CHECK, i, name, msg, code="value-not-in-quote"))
            mention = raw.get("mention")
            if not is_fact and mention is not None and mention not in quote:
                msg = f"mention {mention!r} is not in the quote"
                problems.append(table.problem(CHECK, i, "mention", msg, code="mention-not-in-quote"))
    return problems
