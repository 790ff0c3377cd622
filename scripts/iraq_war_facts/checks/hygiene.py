"""Check family: hygiene. Text that looks right but is not.

Reported: a UTF-8 byte order mark at the start of a file; leading or trailing whitespace in any cell; cells that a
spreadsheet would run as a formula, in a field of any type unless the cell is a value of that type (a negative number
in a number field is one); control characters (C0, DEL, C1) in any cell, but for the line feed of a multi-line quoted
cell (carriage returns are reported while reading, from the file's bytes); invisible and bidi control characters;
tatweel in identifier and code fields; text that is not in Unicode NFC form.

Text copied verbatim from a source (``quote``, ``mention``, ``headline``) must stay as the source has it, so it is
exempt from the NFC, invisible-character and tatweel checks: the citation check compares it to the source exactly. No
source text holds a control character, so verbatim text is checked for those too.

Every kind depends on a cell's text alone, so the checks run on each column's distinct values of :attr:`Table.raw`
(text columns repeat heavily), and only the values found wrong are traced back to their rows. A cheap vectorised pass
(anchored regexes and byte versus character lengths) finds a superset of the suspect values; one combined regular
expression narrows them down, and only its hits are examined kind by kind. At most :data:`MAX_PER_KIND` problems are
listed per (table, field, kind), followed by one "… and N more" problem.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl

from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.package import Resource
from iraq_war_facts.spreadsheet import FORMULA_START
from iraq_war_facts.tableschema import distinct_values, rows_holding, stacked

FAMILY = "hygiene"
HASHES = ("md5", "sha1", "sha256", "sha512")
MAX_PER_KIND = 1000
BOM = b"\xef\xbb\xbf"
VERBATIM_FIELDS = frozenset({"quote", "mention", "headline"})
# Unicode White_Space: what polars' regex ``\s`` and Python's ``str.strip()`` agree on.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
WHITESPACE += "\u2028\u2029\u202f\u205f\u3000"
# C0 controls but line feed (a line break in a quoted cell) and carriage return (reported while reading), DEL, C1.
CONTROL = "".join(map(chr, [*range(0x00, 0x0A), *range(0x0B, 0x0D), *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
# Abbreviations of the C0 controls, DEL and the C1 controls (ISO 6429), in code point order.
ABBREVIATIONS = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS "
    "US DEL PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 DCS PU1 PU2 STS CCH MW SPA EPA SOS SGC SCI "
    "CSI ST OSC PM APC"
)
CONTROL_NAMES = dict(zip([*range(0x20), 0x7F, *range(0x80, 0xA0)], ABBREVIATIONS.split(), strict=True))
# Zero-width characters and marks, Arabic letter mark, bidi embeddings, overrides and isolates, ZWNBSP/BOM.
INVISIBLE = "".join(map(chr, [*range(0x200B, 0x2010), 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]))
TATWEEL = "\u0640"

# kind -> how the "… and N more" line names it
LABELS = {
    "whitespace": "leading or trailing whitespace",
    "formula": "a formula-like start",
    "control": "control characters",
    "invisible": "invisible or bidi control characters",
    "tatweel": "tatweel",
    "nfc": "text not in NFC",
}


@functools.cache
def _class(chars: str) -> str:
    """A regex character class (Rust syntax) holding exactly ``chars``, written as escaped code-point ranges."""
    cps = sorted({ord(c) for c in chars})
    ranges: list[list[int]] = []
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{body}]"


@functools.cache
def _nfc_suspects() -> str:
    """Character class of every code point that can make text non-NFC (NFC_QC No or Maybe, or a combining mark).

    Text without any of them is NFC by the Unicode quick-check; text with one is confirmed with
    :func:`unicodedata.is_normalized`. CJK ideograph blocks (no decompositions, no combining class) are skipped.
    """
    found: set[str] = set()
    for lo, hi in ((0, 0x3400), (0xA000, 0x20000), (0x2F800, 0x2FA20)):
        for cp in range(lo, hi):
            ch = chr(cp)
            if unicodedata.combining(ch):
                found.add(ch)
                continue
            decomposition = unicodedata.decomposition(ch)
            if decomposition and not decomposition.startswith("<"):
                if unicodedata.normalize("NFC", ch) != ch:
                    found.add(ch)
                parts = decomposition.split()
                if len(parts) == 2:
                    found.add(chr(int(parts[1], 16)))
    # Hangul vowel and trailing jamo compose algorithmically (not listed as decompositions).
    found.update(map(chr, range(0x1161, 0x1176)))
    found.update(map(chr, range(0x11A8, 0x11C3)))
    return _class("".join(sorted(found)))


def _codepoint(ch: str) -> str:
    name = CONTROL_NAMES.get(ord(ch)) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def _whitespace_message(value: str) -> str:
    lead = value[: len(value) - len(value.lstrip(WHITESPACE))]
    trail = value[len(value.rstrip(WHITESPACE)) :] if lead != value else ""
    parts = []
    if lead:
        parts.append(f"leading whitespace {lead!r}")
    if trail:
        parts.append(f"trailing whitespace {trail!r}")
    return " and ".join(parts) + ": strip it"


def _formula_message(value: str) -> str:
    return f"text cell starts with {value[0]!r}: a spreadsheet would run it as a formula"


def _control_message(value: str) -> str:
    hits = [i for i, ch in enumerate(value) if ch in CONTROL]
    more = f" ({len(hits)} in the cell)" if len(hits) > 1 else ""
    return f"control character {_codepoint(value[hits[0]])} at character {hits[0] + 1}{more}: delete it"


def _invisible_message(value: str) -> str:
    hits = [i for i, ch in enumerate(value) if ch in INVISIBLE]
    more = f" ({len(hits)} in the cell)" if len(hits) > 1 else ""
    return f"invisible or bidi control character {_codepoint(value[hits[0]])} at character {hits[0] + 1}{more}"


def _tatweel_message(value: str) -> str:
    i = value.index(TATWEEL)
    return f"tatweel ({_codepoint(TATWEEL)}) at character {i + 1} of an identifier or code"


def _nfc_message(value: str) -> str:
    normal = unicodedata.normalize("NFC", value)
    i = next((k for k, (a, b) in enumerate(zip(value, normal, strict=False)) if a != b), min(len(value), len(normal)))
    at = f" ({_codepoint(value[i])})" if i < len(value) else ""
    return f"text is not in Unicode NFC form from character {i + 1}{at}: normalise it to NFC"


CODES = {
    "whitespace": "stray-space",
    "formula": "formula-cell",
    "control": "control-character",
    "invisible": "invisible-character",
    "tatweel": "tatweel",
    "nfc": "not-nfc",
}

MESSAGES = {
    "whitespace": _whitespace_message,
    "formula": _formula_message,
    "control": _control_message,
    "invisible": _invisible_message,
    "tatweel": _tatweel_message,
    "nfc": _nfc_message,
}


def _kinds(name: str, field: dict[str, Any] | None) -> list[str]:
    """The kinds of problem looked for in a column, from its name and its schema field (None if not in the schema)."""
    field = field or {}
    kinds = ["whitespace", "formula", "control"]
    if name not in VERBATIM_FIELDS:
        kinds.append("invisible")
        constraints = field.get("constraints")
        pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
        if name.endswith("_id") or "codelist" in field or pattern:
            kinds.append("tatweel")
        kinds.append("nfc")
    return kinds


def _kind_regex(kind: str) -> str:
    ws = _class(WHITESPACE)
    return {
        "whitespace": f"^{ws}|{ws}$",
        "formula": "^" + _class(FORMULA_START),
        "control": _class(CONTROL),
        "invisible": _class(INVISIBLE),
        "tatweel": _class(TATWEEL),
        "nfc": _nfc_suspects(),
    }[kind]


def _suspect_regex(kinds: list[str]) -> str:
    """One regex matching every cell that may hold a problem of one of ``kinds``."""
    ws = _class(WHITESPACE)
    start = "^" + _class(WHITESPACE + (FORMULA_START if "formula" in kinds else ""))
    inside = CONTROL + (INVISIBLE if "invisible" in kinds else "") + (TATWEEL if "tatweel" in kinds else "")
    scans = ([_class(inside)] if inside else []) + ([_nfc_suspects()] if "nfc" in kinds else [])
    return "|".join([start, ws + "$", *scans])


def _field_map(resource: Resource) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in resource.fields if isinstance(f.get("name"), str)}


def bom_problems(resource: Resource) -> list[Problem]:
    """A UTF-8 byte order mark at the start of the resource's file."""
    with resource.path.open("rb") as fh:
        head = fh.read(len(BOM))
    if head != BOM:
        return []
    msg = "the file starts with a UTF-8 byte order mark (BOM): save it as UTF-8 without BOM"
    return [Problem(resource.relpath, 1, 1, FAMILY, msg, None, resource.name, code="bom")]


def _suspects(values: list[pl.Series], plan: list[tuple[int, str, str, list[str]]]) -> dict[int, pl.Series]:
    """Values (distinct, not null) of each column that may hold a problem, in one pass over every column's values.

    A cheap superset: a whitespace or formula character at the start, whitespace at the end, a control character,
    or any non-ASCII character where invisible characters, tatweel or NFC are looked for (all of them lie outside
    ASCII).
    """
    inside = [i for i, _, _, kinds in plan if {"invisible", "tatweel", "nfc"} & set(kinds)]
    v = pl.col("value")
    ws = _class(WHITESPACE)
    found = stacked(values).filter(
        v.str.contains("^" + _class(WHITESPACE + FORMULA_START) + "|" + _class(CONTROL) + "|" + ws + "$")
        | (pl.col("part").is_in(inside) & (v.str.len_bytes() != v.str.len_chars()))
    )
    if not found.height:
        return {}
    return {pos: part.get_column("value") for (pos,), part in found.partition_by("part", as_dict=True).items()}


def _bad_values(values: pl.Series, kinds: list[str]) -> dict[str, pl.Series]:
    """Those of ``values`` (distinct suspects) holding a problem of each of ``kinds``; kinds with none are left out."""
    cells = pl.DataFrame({"v": values}).filter(pl.col("v").str.contains(_suspect_regex(kinds)))
    if not cells.height:
        return {}
    found = cells.select(
        "v", *(pl.col("v").str.contains(_kind_regex(kind)).fill_null(False).alias(kind) for kind in kinds)
    )
    bad: dict[str, pl.Series] = {}
    for kind in kinds:
        hits = found.filter(pl.col(kind)).get_column("v")
        if kind == "nfc" and hits.len():
            hits = hits.filter(pl.Series([not unicodedata.is_normalized("NFC", v) for v in hits.to_list()]))
        if hits.len():
            bad[kind] = hits
    return bad


def _not_of_type(table: Table, col: str, values: pl.Series) -> pl.Series:
    """Those of ``values`` (cells of raw column ``col``) that are not values of the column's type: all of them for
    text, those that did not cast for a typed field (a cast depends on the text alone)."""
    frame = table.frame
    if col not in frame.columns or frame.schema[col] == pl.String:
        return values
    column = table.raw.get_column(col)
    failed = column.is_in(values.implode()) & frame.get_column(col).is_null()
    return column.filter(failed).unique()


def table_problems(table: Table, limit: int | None = None) -> Iterator[Problem]:
    """Cell problems of one table, at most ``limit`` (default :data:`MAX_PER_KIND`) per field and kind.

    Every kind of problem depends on the cell's text alone, so each column's distinct values are examined (they are
    shared with the schema check, which looks at the same text) and only the values found wrong are traced back to
    their rows.
    """
    limit = MAX_PER_KIND if limit is None else limit
    raw = table.raw
    if raw.height == 0 or raw.width == 0:
        return
    fields = _field_map(table.resource)
    plan: list[tuple[int, str, str, list[str]]] = []  # (0-based position, raw column, header name, kinds)
    for i, col in enumerate(raw.columns):
        name = table.header[i] if i < len(table.header) else col
        plan.append((i, col, name, _kinds(name, fields.get(name))))
    distinct = distinct_values(raw, raw.columns)
    suspects = _suspects([distinct[col].drop_nulls() for col in raw.columns], plan)
    for i, col, name, kinds in plan:
        if i not in suspects:
            continue
        bad = _bad_values(suspects[i], kinds)
        if "formula" in bad:  # a negative number in a number field is no formula
            bad["formula"] = _not_of_type(table, col, bad["formula"])
            if not bad["formula"].len():
                del bad["formula"]
        if not bad:
            continue
        column = raw.get_column(col)
        rows = rows_holding(column, pl.concat(list(bad.values())))
        cells = pl.DataFrame({"row": rows, "v": column.gather(rows)})
        for kind in kinds:
            if kind not in bad:
                continue
            hits = cells.filter(pl.col("v").is_in(bad[kind].implode()))
            message, code = MESSAGES[kind], CODES[kind]
            for row, value in hits.head(limit).iter_rows():
                yield Problem(table.path, table.lines[row], i + 1, FAMILY, message(value), name, table.name, code=code)
            if hits.height > limit:
                row = hits.get_column("row")[limit]
                more = f"… and {hits.height - limit} more cells of this column with {LABELS[kind]}"
                yield Problem(table.path, table.lines[row], i + 1, FAMILY, more, name, table.name, code=code)


def declared_hash(resource: Resource) -> tuple[str, str] | None:
    """(algorithm, digest) of the descriptor's ``hash`` (``sha256:…``, ``md5:…`` or a bare md5), or None."""
    text = resource.descriptor.get("hash")
    if not isinstance(text, str) or not text:
        return None
    algorithm, _, digest = text.rpartition(":")
    return (algorithm or "md5").lower(), digest.lower()


def file_digest(path: Path, algorithm: str) -> str:
    """Hex digest of a file, read in large chunks (hashlib releases the GIL, so this runs beside other work)."""
    h = hashlib.new(algorithm)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def bytes_digest(data: bytes, algorithm: str) -> str:
    """Hex digest of ``data`` (hashlib releases the GIL, so this runs beside other work)."""
    return hashlib.new(algorithm, data).hexdigest()


def start_digest(ctx: Context, pool: ThreadPoolExecutor, resource: Resource, data: bytes) -> None:
    """Start computing the digest of ``data``, the bytes of ``resource``'s file, if it declares a supported hash."""
    declared = declared_hash(resource)
    if declared and declared[0] in HASHES:
        ctx.digests[resource.name] = pool.submit(bytes_digest, data, declared[0])


def integrity_problems(resource: Resource, where: str, digest: Future[str] | None = None) -> list[Problem]:
    """The descriptor's ``bytes`` and ``hash`` must match the file."""
    problems = []
    declared = resource.descriptor.get("bytes")
    size = resource.path.stat().st_size
    if declared is not None and declared != size:
        msg = f"resource {resource.name!r}: the descriptor says {declared} bytes, the file has {size}; run rehash"
        problems.append(Problem(where, None, None, FAMILY, msg, "bytes", resource.name, code="bytes-mismatch"))
    wanted = declared_hash(resource)
    if wanted is None:
        return problems
    algorithm, expected = wanted
    if algorithm not in HASHES:
        msg = f"resource {resource.name!r}: unsupported hash algorithm {algorithm!r}"
        return [*problems, Problem(where, None, None, FAMILY, msg, "hash", resource.name, code="unsupported-hash")]
    actual = digest.result() if digest is not None else file_digest(resource.path, algorithm)
    if actual != expected:
        msg = f"resource {resource.name!r}: the file's {algorithm} is {actual}, the descriptor says {expected}"
        msg += "; run rehash"
        problems.append(Problem(where, None, None, FAMILY, msg, "hash", resource.name, code="hash-mismatch"))
    return problems


def check(ctx: Context) -> Iterable[Problem]:
    """Every hygiene problem of every resource file and table."""
    problems: list[Problem] = []
    where = ctx.package.descriptor_path.name
    for resource in ctx.package.resources.values():
        problems += integrity_problems(resource, where, ctx.digests.get(resource.name))
        problems += bom_problems(resource)
        table = ctx.tables.get(resource.name)
        if table is not None:
            problems += table_problems(table)
    return problems
