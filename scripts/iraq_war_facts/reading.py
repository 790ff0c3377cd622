"""Read a CSV resource into a :class:`Table`: text as read, values cast to their Table Schema types, editor lines.

Polars reads the file (the fast path); plain Python only looks at rows polars cannot judge (short or long rows,
undecodable bytes). Cells that cannot be cast are reported as type errors and left null in ``Table.frame``.
Whole-file passes (UTF-8 validation, line numbers, the search for short rows) run in polars or numpy, not per row.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import polars as pl

from iraq_war_facts.checks.base import Problem, Table
from iraq_war_facts.package import Resource

BOM = b"\xef\xbb\xbf"
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
LARGE = 1 << 20  # bytes: above this, whole-file passes run in polars or numpy instead of plain Python


def _header(data: bytes, path: str, name: str) -> tuple[list[str], int, list[Problem]]:
    """Parse the header record; return names, the number of physical lines it spans, and problems."""
    text = _first_line(data).decode("utf-8", errors="replace").rstrip("\r")
    names = next(csv.reader([text]), [])
    problems = []
    for i, label in enumerate(names, start=1):
        if not label.strip():
            msg = f"header column {i} is blank"
            problems.append(Problem(path, 1, i, "schema", msg, None, name, code="blank-header"))
    for label, count in Counter(names).items():
        if label.strip() and count > 1:
            cols = [str(i) for i, n in enumerate(names, start=1) if n == label]
            problems.append(
                Problem(
                    path,
                    1,
                    int(cols[1]),
                    "schema",
                    f"duplicate header {label!r} (columns {', '.join(cols)})",
                    label,
                    name,
                    code="duplicate-header",
                )
            )
    return names, 1, problems


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


def _newlines(data: bytes) -> int:
    """Number of newline bytes in ``data``."""
    if len(data) <= LARGE:
        return data.count(b"\n")
    import numpy as np  # large files only: numpy shares the bytes with polars, which counts in parallel

    return int((pl.Series(np.frombuffer(data, dtype=np.uint8)) == ord("\n")).sum())


def _field_counts(data: bytes) -> list[int]:
    """Number of fields of every record after the header (slow path, used only when polars cannot judge)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    next(reader, None)
    return [len(rec) for rec in reader]


def _lines(raw: pl.DataFrame, header_lines: int, data: bytes) -> pl.Series:
    """Editor line of each row: rows may span several lines when quoted cells hold newlines."""
    first = header_lines + 1
    plain = pl.int_range(first, first + raw.height, dtype=pl.Int64, eager=True)
    if raw.height == 0 or raw.width == 0:
        return plain
    # The header and every row but the last end with a newline outside the cells, so the cells hold at most
    # (newlines - rows) of them: none when that is 0, or when it is 1, the file ends with a newline and the last
    # row holds none.
    spare = _newlines(data) - raw.height
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


def _short_row_suspected(data: bytes, ends: pl.Series) -> bool:
    """Whether one of the physical lines ``ends`` (0-based) does not end with a comma (trailing CRs ignored)."""
    if len(data) <= LARGE:
        physical = data.split(b"\n")
        for end in ends.to_list():
            text = physical[end].rstrip(b"\r") if end < len(physical) else b""
            if not text.endswith(b","):
                return True
        return False
    import numpy as np  # only large files with rows that end in an empty cell get here

    buf = np.frombuffer(data, dtype=np.uint8)
    bounds = np.concatenate(([-1], np.flatnonzero(buf == ord("\n")), [len(data)]))
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


def _cast(table_raw: pl.DataFrame, resource: Resource) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Cast each schema field; return the typed frame and (row, field, message) for cells that fail."""
    exprs = []
    checks = []
    for field in resource.fields:
        name, ftype = field["name"], field.get("type", "string")
        if name not in table_raw.columns:
            continue
        col = pl.col(name)
        if ftype == "integer":
            typed = col.cast(pl.Int64, strict=False)
        elif ftype == "number":
            typed = col.cast(pl.Float64, strict=False)
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
    failures: list[tuple[int, str, str]] = []
    if checks:
        flags = pl.DataFrame(
            [(table_raw[n].is_not_null() & frame[n].is_null()).alias(str(k)) for k, (n, _) in enumerate(checks)]
        )
        rows = flags.select(pl.any_horizontal(pl.all()).arg_true())[:, 0]
        if rows.len():
            flagged = flags[rows].rows()
            values = table_raw.select(n for n, _ in checks)[rows].rows()
            for row, flag, value in zip(rows.to_list(), flagged, values, strict=True):
                for k, (name, ftype) in enumerate(checks):
                    if flag[k]:
                        failures.append((row, name, f"type error: {value[k]!r} is not a valid {ftype}"))
    return frame, failures


def _utf8_problem(data: bytes, exc: UnicodeDecodeError, path: str, name: str) -> Problem:
    line = data.count(b"\n", 0, exc.start) + 1
    return Problem(path, line, None, "hygiene", f"not valid UTF-8 (byte {exc.start})", None, name, code="not-utf8")


def read_table(resource: Resource) -> tuple[Table | None, list[Problem]]:
    """Read and cast one resource. Returns (None, problems) when the file cannot be read as CSV at all."""
    path, name = resource.relpath, resource.name
    data = resource.path.read_bytes()
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
    header, header_lines, problems = _header(data, path, name)
    unique = [f"{h}\u0000{i}" if header.count(h) > 1 or not h.strip() else h for i, h in enumerate(header)]
    read = dict(infer_schema=False, has_header=True, new_columns=unique, raise_if_empty=False, quote_char='"')
    counts: list[int] | None = None
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
        counts = _field_counts(data)
        try:
            raw = pl.read_csv(io.BytesIO(data), truncate_ragged_lines=True, **read)
        except pl.exceptions.PolarsError as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            msg = f"cannot be parsed as CSV: {first}"
            return None, [*problems, Problem(path, None, None, "schema", msg, None, name, code="csv-unparseable")]
    raw = _empty_to_null(raw, data)
    line_numbers = _lines(raw, header_lines, data)
    lines = line_numbers.to_list()
    width = len(header)
    if counts is None and raw.height and width:
        # A row shorter than the header leaves its last cells null; look at the text of such rows only.
        suspects = raw.select(pl.col(raw.columns[-1]).is_null().arg_true())[:, 0]
        if suspects.len() and _short_row_suspected(data, _row_ends(suspects, line_numbers)):
            counts = _field_counts(data)
    if counts is not None:
        for row, count in enumerate(counts[: raw.height]):
            if count == 0 or (count == 1 and raw.row(row) == (None,) * raw.width):
                continue
            if count > width:
                msg = f"row has {count} cells, the header has {width}: extra cell(s)"
                problems.append(Problem(path, lines[row], width + 1, "schema", msg, None, name, code="extra-cell"))
            elif count < width:
                msg = f"row has {count} cells, the header has {width}: missing cell(s)"
                problems.append(Problem(path, lines[row], count + 1, "schema", msg, None, name, code="missing-cell"))
    if raw.width:
        blank = raw.select(pl.all_horizontal(pl.all().is_null()).arg_true())[:, 0].to_list()
    else:
        blank = list(range(raw.height))
    for row in blank:
        problems.append(Problem(path, lines[row], None, "schema", "blank row", None, name, code="blank-row"))
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
    frame, failures = _cast(raw, resource)
    table = Table(resource, raw, frame, lines, header)
    problems += [table.problem("schema", row, field, msg, code="type-error") for row, field, msg in failures]
    return table, problems
