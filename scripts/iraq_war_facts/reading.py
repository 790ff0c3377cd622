"""Read a CSV resource into a :class:`Table`: text as read, values cast to their Table Schema types, editor lines.

Polars reads the file (the fast path). Whole-file passes (UTF-8 validation, line numbers, carriage returns, the count
of fields per record when a row may be short or long) run in polars, numpy or bytes methods, never per row or per
column in Python, so a malformed file costs about what a well-formed one does. Cells that cannot be cast are reported
as type errors and left null in ``Table.frame``.

A number must be finite and written in at most :data:`MAX_NUMBER_CHARS` characters: ``NaN``, ``inf``, ``1e400``
(beyond what a float64 holds, about 1.8 × 10^308) and a 5000-digit number are type errors; an integer must fit in
64 bits. So every value read can be written as JSON, SQLite, Parquet and XLSX.
Lines end with LF or CRLF: a carriage return that ends no line is reported where it is, and a file whose lines end
with CR alone is not read. The header is one line. At most :data:`CAP` problems are listed per table, field and kind
(type errors, short, long and blank rows, carriage returns), then one "… and N more" problem.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import math
import re
from collections import Counter
from typing import TYPE_CHECKING

import polars as pl

from iraq_war_facts.checks.base import Problem, Table
from iraq_war_facts.package import Resource, read_regular

if TYPE_CHECKING:
    import numpy as np

BOM = b"\xef\xbb\xbf"
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
LARGE = 1 << 20  # bytes: above this, whole-file passes run in polars or numpy instead of plain Python
CAP = 1000
MAX_NUMBER_CHARS = 100
INT64 = (-(2**63), 2**63 - 1)
CHUNK = 1 << 23  # bytes per step of the field count
NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
INTEGER_TEXT = re.compile(r"[+-]?\d+")
NON_FINITE_TEXT = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)
LONE_CR = re.compile(rb"\r(?!\n)")
CR = "carriage return (CR) that does not end a line"
SHAPES = {  # code -> how its "… and N more" problem names it
    "extra-cell": "row has more cells than the header",
    "missing-cell": "row has fewer cells than the header",
    "blank-row": "blank row",
}


def _open_quote_column(text: str) -> int:
    """1-based column of the quote that ``text`` (a line with an odd number of quotes) opens and never closes."""
    inside, column, opened = False, 1, 1
    for ch in text:
        if ch == '"':
            inside = not inside
            opened = column if inside else opened
        elif ch == "," and not inside:
            column += 1
    return opened


def _header(data: bytes, path: str, name: str) -> tuple[list[str] | None, list[Problem]]:
    """Parse the header line; return its names (None when it cannot be read) and problems."""
    text = _first_line(data).decode("utf-8", errors="replace").rstrip("\r")
    if text.count('"') % 2:
        msg = "the header row has a line break or an unclosed quote inside a quoted name: write the header on one line"
        return None, [Problem(path, 1, _open_quote_column(text), "schema", msg, None, name, code="header-line-break")]
    try:
        names = next(csv.reader([text]), [])
    except csv.Error as exc:
        msg = f"the header row cannot be read as CSV: {exc}"
        return None, [Problem(path, 1, None, "schema", msg, None, name, code="csv-unparseable")]
    problems = []
    for i, label in enumerate(names, start=1):
        if not label.strip():
            msg = f"header column {i} is blank"
            problems.append(Problem(path, 1, i, "schema", msg, None, name, code="blank-header"))
    columns: dict[str, list[int]] = {}
    for i, label in enumerate(names, start=1):
        columns.setdefault(label, []).append(i)
    for label, cols in columns.items():
        if label.strip() and len(cols) > 1:
            msg = f"duplicate header {label!r} (columns {', '.join(map(str, cols))})"
            problems.append(Problem(path, 1, cols[1], "schema", msg, label, name, code="duplicate-header"))
    return names, problems


def _utf8_error(data: bytes) -> UnicodeDecodeError | None:
    """The decoding error of ``data``, or None when it is valid UTF-8."""
    if len(data) > LARGE:
        try:
            pl.Series([data], dtype=pl.Binary).cast(pl.String)
            return None
        except pl.exceptions.PolarsError:
            pass  # invalid: decode in Python below to locate the first bad byte
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    return None


def _first_line(data: bytes) -> bytes:
    end = data.find(b"\n")
    return data if end < 0 else data[:end]


def _valid_first_line(data: bytes) -> bool:
    try:
        _first_line(data).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def newline_offsets(data: bytes, chunk: int = CHUNK) -> np.ndarray:
    """Offsets of every line feed of ``data``, in order: one vectorised pass in chunks of ``chunk`` bytes."""
    import numpy as np  # only large files get here

    buf = np.frombuffer(data, dtype=np.uint8)
    found = [np.flatnonzero(buf[lo : lo + chunk] == ord("\n")) + lo for lo in range(0, len(buf), chunk)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


class _Newlines:
    """The line feeds of a file: how many, and (for a large file) their offsets, found once when first needed."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._offsets: np.ndarray | None = None

    def count(self) -> int:
        return self.data.count(b"\n") if len(self.data) <= LARGE else int(self.offsets().size)

    def offsets(self) -> np.ndarray:
        if self._offsets is None:
            self._offsets = newline_offsets(self.data)
        return self._offsets


def field_counts(data: bytes, chunk: int = CHUNK) -> np.ndarray:
    """Number of fields of every record after the header line, as polars splits them (a blank line has one).

    One vectorised pass in chunks of ``chunk`` bytes, so memory stays a few times ``chunk`` whatever the file's size:
    a quote toggles between inside and outside a quoted cell (an escaped quote ``""`` toggles twice); commas and line
    feeds outside quotes separate fields and end records.
    """
    import numpy as np  # only files whose rows may be short or long get here

    buf = np.frombuffer(data, dtype=np.uint8)
    first = data.find(b"\n")
    start = len(data) if first < 0 else first + 1
    counts: list[np.ndarray] = []
    inside = 0  # whether the chunk starts inside a quoted cell
    carry = 0  # separators of the record the chunk starts in
    for lo in range(start, len(buf), chunk):
        part = buf[lo : lo + chunk]
        commas = np.zeros(part.size + 1, dtype=np.uint8)  # one spare byte: reduceat may start a segment at the end
        np.equal(part, ord(","), out=commas[:-1].view(bool))
        ends = np.flatnonzero(part == ord("\n"))
        quotes = np.flatnonzero(part == ord('"'))
        if quotes.size or inside:
            # Segment k runs from quote k - 1 to quote k; it is inside a quoted cell when inside + k is odd.
            parity = ((np.arange(quotes.size + 1) + inside) & 1).astype(np.uint8)
            commas[:-1] &= np.repeat(parity ^ 1, np.diff(quotes, prepend=0, append=part.size))
            ends = ends[parity[np.searchsorted(quotes, ends)] == 0]
            inside = int(parity[-1])
        sums = np.add.reduceat(commas, np.concatenate(([0], ends + 1)), dtype=np.int64)
        sums[0] += carry
        counts.append(sums[:-1] + 1)
        carry = int(sums[-1])
    if start < len(buf) and data[-1] != ord("\n"):
        counts.append(np.array([carry + 1], dtype=np.int64))
    return np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)


def _lines(raw: pl.DataFrame, header_lines: int, data: bytes, newlines: _Newlines) -> pl.Series:
    """Editor line of each row: rows may span several lines when quoted cells hold newlines."""
    first = header_lines + 1
    plain = pl.int_range(first, first + raw.height, dtype=pl.Int64, eager=True)
    if raw.height == 0 or raw.width == 0:
        return plain
    # The header and every row but the last end with a newline outside the cells, so the cells hold at most
    # (newlines - rows) of them: none when that is 0, or when it is 1, the file ends with a newline and the last
    # row holds none.
    spare = newlines.count() - raw.height
    if spare <= 0 or (
        spare == 1
        and data.endswith(b"\n")
        and not raw.tail(1).select(pl.any_horizontal(pl.all().str.contains("\n", literal=True))).item()
    ):
        return plain
    spans = raw.select(
        pl.sum_horizontal([pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in raw.columns])
    )[:, 0]
    return ((spans + 1).cum_sum().shift(1, fill_value=0) + first).cast(pl.Int64)


def _row_ends(rows: pl.Series, lines: pl.Series) -> pl.Series:
    """0-based physical line on which each of ``rows`` ends (the line before the next row starts)."""
    return (lines.shift(-1) - 2).fill_null(lines[-1] - 1).gather(rows)


def _short_row_suspected(data: bytes, starts: pl.Series, ends: pl.Series, newlines: _Newlines, width: int) -> bool:
    """Whether one of the rows starting on physical lines ``starts`` and ending on ``ends`` (0-based) may be shorter
    than the header (its last cell reads as empty); if so the fields of the file are counted.

    In a file of up to ``LARGE`` bytes a row is full only when it is one physical line that ends with a comma, holds
    no quote and has exactly ``width - 1`` commas (trailing CRs ignored). In a larger file, looked at in one
    vectorised pass, a row is taken as full when its last line ends with a comma: there a short row whose last
    written cell is empty goes unreported."""
    if len(data) <= LARGE:
        if (starts != ends).any():
            return True
        physical = data.split(b"\n")
        bounds = list(itertools.accumulate((len(line) + 1 for line in physical), initial=0))
        for end in ends.to_list():
            if end >= len(physical):
                return True
            first, last = bounds[end], bounds[end + 1] - 1
            while last > first and data[last - 1] == 13:  # carriage returns before the line feed
                last -= 1
            if last <= first or data[last - 1] != 44 or data.find(b'"', first, last) >= 0:
                return True
            if data.count(b",", first, last) != width - 1:
                return True
        return False
    import numpy as np  # only large files with rows that end in an empty cell get here

    buf = np.frombuffer(data, dtype=np.uint8)
    bounds = np.concatenate(([-1], newlines.offsets(), [len(data)]))
    want = ends.cast(pl.Int64).to_numpy()
    if (want >= len(bounds) - 1).any():
        return True  # past the last physical line: an empty text
    first, last = bounds[want] + 1, bounds[want + 1] - 1
    while True:  # strip trailing carriage returns
        cr = last >= first
        cr[cr] = buf[last[cr]] == ord("\r")
        if not cr.any():
            break
        last[cr] -= 1
    comma = last >= first
    comma[comma] = buf[last[comma]] == ord(",")
    return not comma.all()


def _empty_to_null(raw: pl.DataFrame, data: bytes) -> pl.DataFrame:
    """Empty cells (quoted or not) as null; only the columns that hold one are rewritten."""
    if raw.width == 0 or raw.height == 0 or b'""' not in data:
        return raw  # polars reads unquoted empty cells as null already; a quoted one needs two quotes in a row
    flags = raw.select((pl.col(c) == "").any().alias(str(i)) for i, c in enumerate(raw.columns)).row(0)
    cols = [c for c, flag in zip(raw.columns, flags, strict=True) if flag]
    if not cols:
        return raw
    return raw.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in cols)


def _shown(text: str, limit: int = 40) -> str:
    """A cell for a message: quoted, a long one cut and its length given."""
    return repr(text) if len(text) <= limit else f"{text[: limit // 2]!r}… ({len(text)} characters)"


def _type_message(text: str, ftype: str) -> tuple[str, str]:
    """(message, code) for a cell that is not of its field's type."""
    shown = _shown(text)
    if ftype in ("number", "integer") and NON_FINITE_TEXT.fullmatch(text):
        return f"type error: {shown} is not a finite number", "number-not-finite"
    if ftype in ("number", "integer") and NUMBER_TEXT.fullmatch(text):
        if len(text) > MAX_NUMBER_CHARS:
            msg = f"type error: {shown} is too long: a number is written in at most {MAX_NUMBER_CHARS} characters"
            return msg, "number-out-of-range"
        if ftype == "number" and not math.isfinite(float(text)):
            msg = f"type error: {shown} is out of range: beyond what a 64-bit float holds (about 1.8e308)"
            return msg, "number-out-of-range"
        if ftype == "integer" and INTEGER_TEXT.fullmatch(text) and not INT64[0] <= int(text) <= INT64[1]:
            msg = f"type error: {shown} is out of range: an integer must lie between {INT64[0]} and {INT64[1]}"
            return msg, "number-out-of-range"
    return f"type error: {shown} is not a valid {ftype}", "type-error"


def _number(col: pl.Expr, dtype: type[pl.DataType]) -> pl.Expr:
    """``col`` cast to ``dtype`` where it is a finite number of at most :data:`MAX_NUMBER_CHARS` characters."""
    value = col.cast(dtype, strict=False)
    short = col.str.len_bytes() <= MAX_NUMBER_CHARS
    return pl.when(short & value.is_finite()).then(value) if dtype == pl.Float64 else pl.when(short).then(value)


def _cast(table_raw: pl.DataFrame, resource: Resource) -> tuple[pl.DataFrame, list[tuple[str, str, pl.Series]]]:
    """Cast each schema field; return the typed frame and (field, type, failing rows) for fields with failures."""
    exprs = []
    checks = []
    present = set(table_raw.columns)
    for field in resource.fields:
        name, ftype = field["name"], field.get("type", "string")
        if name not in present:
            continue
        col = pl.col(name)
        if ftype == "integer":
            typed = _number(col, pl.Int64)
        elif ftype == "number":
            typed = _number(col, pl.Float64)
        elif ftype == "boolean":
            trues = field.get("trueValues", TRUE_VALUES)
            falses = field.get("falseValues", FALSE_VALUES)
            typed = pl.when(col.is_in(trues)).then(True).when(col.is_in(falses)).then(False).otherwise(None)
        elif ftype == "date":
            fmt = field.get("format", "default")
            if fmt in ("default", "any"):
                typed = pl.when(col.str.contains(DATE_RE)).then(col.str.to_date("%Y-%m-%d", strict=False))
            else:
                typed = col.str.to_date(fmt, strict=False)
        elif ftype == "year":
            typed = pl.when(col.str.contains(r"^\d{4}$")).then(col.cast(pl.Int64, strict=False))
        elif ftype == "datetime":
            typed = col.str.to_datetime(strict=False)
        else:
            exprs.append(col)
            continue
        exprs.append(typed.alias(name))
        checks.append((name, ftype))
    frame = table_raw.select(exprs) if exprs else table_raw
    if not checks or not table_raw.height:
        return frame, []
    flags = table_raw.select(
        (pl.col(n).is_not_null() & frame.get_column(n).is_null()).alias(str(k)) for k, (n, _) in enumerate(checks)
    )
    counts = flags.sum().row(0)
    failures = [(n, t, flags.get_column(str(k)).arg_true()) for k, (n, t) in enumerate(checks) if counts[k]]
    return frame, failures


def _type_problems(table: Table, failures: list[tuple[str, str, pl.Series]]) -> list[Problem]:
    """The first :data:`CAP` type errors of each field in row order, then one summary per field for the rest."""
    listed: list[tuple[int, int, Problem]] = []
    more: list[Problem] = []
    for k, (name, ftype, rows) in enumerate(failures):
        shown = rows.head(CAP)
        for row, text in zip(shown.to_list(), table.raw.get_column(name).gather(shown).to_list(), strict=True):
            msg, code = _type_message(text, ftype)
            listed.append((row, k, table.problem("schema", row, name, msg, code=code)))
        if rows.len() > CAP:
            msg = f"type error: … and {rows.len() - CAP} more rows"
            more.append(table.problem("schema", None, name, msg, code="type-error"))
    return [p for _, _, p in sorted(listed, key=lambda item: item[:2])] + more


def _utf8_problem(data: bytes, exc: UnicodeDecodeError, path: str, name: str) -> Problem:
    line = data.count(b"\n", 0, exc.start) + 1
    return Problem(path, line, None, "hygiene", f"not valid UTF-8 (byte {exc.start})", None, name, code="not-utf8")


def _lone_crs(data: bytes) -> tuple[list[int], int]:
    """Offsets of the first :data:`CAP` carriage returns not followed by a line feed, and how many there are."""
    if data.find(b"\r") < 0:  # a search stops at the first one, where a count reads every byte
        return [], 0
    crs = data.count(b"\r")
    total = crs - data.count(b"\r\n") if crs else 0
    if not total:
        return [], 0
    return [m.start() for m in itertools.islice(LONE_CR.finditer(data), CAP)], total


def _cr_problems(
    data: bytes, offsets: list[int], total: int, resource: Resource, header: list[str], lines: list[int] | None
) -> list[Problem]:
    """One problem per cell holding carriage returns of ``offsets``, then one for the rest of ``total``.

    The column is counted from the start of the row (found from ``lines``, the first line of each row; from the
    start of the line when the rows are unknown): commas outside quoted cells before the carriage return.
    """
    path, name = resource.relpath, resource.name
    cells: Counter[tuple[int, int]] = Counter()
    line, previous = 1, 0
    for offset in offsets:
        line += data.count(b"\n", previous, offset)
        previous = offset
        first = line
        if lines is not None:
            row = bisect.bisect_right(lines, line) - 1
            first = lines[row] if row >= 0 else 1
        start = offset
        for _ in range(line - first + 1):
            start = data.rfind(b"\n", 0, start)
        column = sum(part.count(b",") for part in data[start + 1 : offset].split(b'"')[::2]) + 1
        cells[(line, column)] += 1
    problems = []
    for (line, column), count in cells.items():
        field = header[column - 1] if column <= len(header) else None
        more = f" ({count} in the cell)" if count > 1 else ""
        msg = f"{CR}{more}: delete it (lines end with LF or CRLF)"
        problems.append(Problem(path, line, column, "hygiene", msg, field, name, code="carriage-return"))
    if total > len(offsets):
        msg = f"{CR}: … and {total - len(offsets)} more"
        problems.append(Problem(path, None, None, "hygiene", msg, None, name, code="carriage-return"))
    return problems


def _shape_problems(table: Table, counts: np.ndarray | None) -> list[Problem]:
    """Rows with more or fewer cells than the header (from ``counts``, when known) and blank rows, in row order.

    At most :data:`CAP` of each kind, then one summary for the rest.
    """
    raw, width = table.raw, len(table.header)
    blank = raw.select(pl.all_horizontal(pl.all().is_null())).to_series()
    kinds = {"blank-row": blank.arg_true()}
    if counts is not None:
        import numpy as np  # counts are known only when a row may be short or long

        counts = counts[: raw.height]
        blanks = blank.to_numpy()[: counts.size]
        kinds["extra-cell"] = pl.Series(np.flatnonzero(counts > width))
        kinds["missing-cell"] = pl.Series(np.flatnonzero((counts < width) & ~((counts <= 1) & blanks)))
    listed: list[tuple[int, Problem]] = []
    more: list[Problem] = []
    for code, rows in kinds.items():
        for row in rows.head(CAP).to_list():
            column, msg = None, "blank row"
            if code != "blank-row":
                count = int(counts[row])
                column = width + 1 if code == "extra-cell" else count + 1
                what = "extra" if code == "extra-cell" else "missing"
                msg = f"row has {count} cells, the header has {width}: {what} cell(s)"
            listed.append(
                (row, Problem(table.path, table.lines[row], column, "schema", msg, None, table.name, code=code))
            )
        if rows.len() > CAP:
            msg = f"{SHAPES[code]}: … and {rows.len() - CAP} more rows"
            more.append(Problem(table.path, None, None, "schema", msg, None, table.name, code=code))
    return [p for _, p in sorted(listed, key=lambda item: item[0])] + more


def read_table(resource: Resource, data: bytes | None = None) -> tuple[Table | None, list[Problem]]:
    """Read and cast one resource (from ``data``, its file's bytes when the caller has read them already).

    Returns (None, problems) when the file cannot be read as CSV at all.
    """
    path, name = resource.relpath, resource.name
    if data is None:
        data = read_regular(resource.path, path)
    if data.startswith(BOM):
        data = data[len(BOM) :]  # reported by the hygiene check; read past it
    # Polars validates the text of every cell it reads; the rest of a strictly parsed file is commas, quotes and line
    # ends, but for the header, whose names it does not keep. So a large file whose first line is valid and holds the
    # whole header (no quote) is decoded in full only when the strict read fails.
    large = len(data) > LARGE and not data.isspace() and _valid_first_line(data)
    exc = None if large else _utf8_error(data)
    if exc is not None:
        return None, [_utf8_problem(data, exc, path, name)]
    if not data or data.isspace():
        empty = Problem(path, 1, None, "schema", "the file is empty: no header row", None, name, code="empty-file")
        return None, [empty]
    crs, cr_total = _lone_crs(data)
    if cr_total and b"\n" not in data:
        msg = "lines end with a carriage return alone (CR, old Mac line endings): save the file with LF line endings"
        return None, [Problem(path, None, None, "hygiene", msg, None, name, code="cr-line-endings")]
    if crs and crs[0] < len(_first_line(data).rstrip(b"\r")):  # inside the header: its names cannot be trusted
        return None, _cr_problems(data, crs, cr_total, resource, [], None)
    header, problems = _header(data, path, name)
    if header is None:
        return None, problems
    seen = Counter(header)
    unique = [f"{h}\u0000{i}" if seen[h] > 1 or not h.strip() else h for i, h in enumerate(header)]
    read = dict(infer_schema=False, has_header=True, new_columns=unique, raise_if_empty=False, quote_char='"')
    try:
        raw = pl.read_csv(io.BytesIO(data), **read)
        failed = False
    except pl.exceptions.PolarsError:
        failed = True
    if large and (failed or b'"' in _first_line(data)):
        exc = _utf8_error(data)
        if exc is not None:
            return None, [_utf8_problem(data, exc, path, name)]
    if failed:
        try:
            raw = pl.read_csv(io.BytesIO(data), truncate_ragged_lines=True, **read)
        except pl.exceptions.PolarsError as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            msg = f"cannot be parsed as CSV: {first}"
            unparseable = Problem(path, None, None, "schema", msg, None, name, code="csv-unparseable")
            return None, [*problems, unparseable, *_cr_problems(data, crs, cr_total, resource, header, None)]
    raw = _empty_to_null(raw, data)
    newlines = _Newlines(data)
    line_numbers = _lines(raw, 1, data, newlines)
    lines = line_numbers.to_list()
    frame, failures = _cast(raw, resource)
    table = Table(resource, raw, frame, lines, header)
    counts = None
    if failed:  # a row is longer than the header
        counts = field_counts(data)
    elif raw.height:  # a row shorter than the header leaves its last cells null: look at the text of such rows only
        suspects = raw.select(pl.col(raw.columns[-1]).is_null().arg_true())[:, 0]
        starts = (line_numbers.gather(suspects) - 1).cast(pl.Int64)
        ends = _row_ends(suspects, line_numbers).cast(pl.Int64)
        if suspects.len() and _short_row_suspected(data, starts, ends, newlines, len(header)):
            counts = field_counts(data)
    problems += _shape_problems(table, counts)
    expected = resource.field_names
    if header != expected and not any(p.line == 1 for p in problems):
        for i in range(max(len(header), len(expected))):
            got = header[i] if i < len(header) else None
            want = expected[i] if i < len(expected) else None
            if got != want:
                if want is None:
                    code, msg = "extra-header", f"extra header column {got!r}: the schema has {len(expected)} fields"
                elif got is None:
                    code, msg = "missing-header", f"missing header column: the schema expects {want!r}"
                else:
                    code, msg = "header-mismatch", f"header column {i + 1} is {got!r}, the schema expects {want!r}"
                problems.append(Problem(path, 1, i + 1, "schema", msg, want or got, name, code=code))
    problems += _cr_problems(data, crs, cr_total, resource, header, lines)
    problems += _type_problems(table, failures)
    return table, problems
