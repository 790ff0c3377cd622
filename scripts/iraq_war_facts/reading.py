"""Read a CSV resource into a :class:`Table`: text as read, values cast to their Table Schema types, editor lines.

Polars reads the file (the fast path); plain Python only looks at rows polars cannot judge (short or long rows,
undecodable bytes). Cells that cannot be cast are reported as type errors and left null in ``Table.frame``.
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


def _header(data: bytes, path: str, name: str) -> tuple[list[str], int, list[Problem]]:
    """Parse the header record; return names, the number of physical lines it spans, and problems."""
    text = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    names = next(csv.reader([text]), [])
    problems = []
    for i, label in enumerate(names, start=1):
        if not label.strip():
            problems.append(Problem(path, 1, i, "schema", f"header column {i} is blank", None, name))
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
                )
            )
    return names, 1, problems


def _field_counts(data: bytes) -> list[int]:
    """Number of fields of every record after the header (slow path, used only when polars cannot judge)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    next(reader, None)
    return [len(rec) for rec in reader]


def _lines(raw: pl.DataFrame, header_lines: int) -> list[int]:
    """Editor line of each row: rows may span several lines when quoted cells hold newlines."""
    if raw.height == 0:
        return []
    if raw.width == 0:
        return list(range(header_lines + 1, header_lines + 1 + raw.height))
    spans = raw.select(
        pl.sum_horizontal([pl.col(c).str.count_matches("\n").fill_null(0) for c in raw.columns]).alias("n")
    )["n"]
    starts = (spans + 1).cum_sum().shift(1, fill_value=0) + header_lines + 1
    return starts.cast(pl.Int64).to_list()


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
        bad = table_raw.with_row_index("__row").select(
            "__row",
            *[(pl.col(n).is_not_null() & frame[n].is_null()).alias(n) for n, _ in checks],
        )
        mask = pl.any_horizontal([pl.col(n) for n, _ in checks])
        for rec in bad.filter(mask).iter_rows(named=True):
            for name, ftype in checks:
                if rec[name]:
                    value = table_raw[name][rec["__row"]]
                    failures.append((rec["__row"], name, f"type error: {value!r} is not a valid {ftype}"))
    return frame, failures


def read_table(resource: Resource) -> tuple[Table | None, list[Problem]]:
    """Read and cast one resource. Returns (None, problems) when the file cannot be read as CSV at all."""
    path, name = resource.relpath, resource.name
    data = resource.path.read_bytes()
    if data.startswith(BOM):
        data = data[len(BOM) :]  # reported by the hygiene check; read past it
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(path, line, None, "hygiene", f"not valid UTF-8 (byte {exc.start})", None, name)]
    if not data.strip():
        return None, [Problem(path, 1, None, "schema", "the file is empty: no header row", None, name)]
    header, header_lines, problems = _header(data, path, name)
    unique = [f"{h}\u0000{i}" if header.count(h) > 1 or not h.strip() else h for i, h in enumerate(header)]
    read = dict(infer_schema=False, has_header=True, new_columns=unique, raise_if_empty=False, quote_char='"')
    counts: list[int] | None = None
    try:
        raw = pl.read_csv(io.BytesIO(data), **read)
    except pl.exceptions.PolarsError:
        counts = _field_counts(data)
        try:
            raw = pl.read_csv(io.BytesIO(data), truncate_ragged_lines=True, **read)
        except pl.exceptions.PolarsError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return None, [
                *problems,
                Problem(path, None, None, "schema", f"cannot be parsed as CSV: {first}", None, name),
            ]
    raw = raw.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in raw.columns)
    lines = _lines(raw, header_lines)
    width = len(header)
    if counts is None and raw.height and width:
        # A row shorter than the header leaves its last cells null; look at the text of such rows only.
        last = raw.columns[-1]
        suspects = raw.with_row_index("__row").filter(pl.col(last).is_null())["__row"].to_list()
        if suspects:
            physical = data.split(b"\n")
            for row in suspects:
                end = lines[row] - 1 + (lines[row + 1] - lines[row] - 1 if row + 1 < len(lines) else 0)
                text = physical[end].rstrip(b"\r") if end < len(physical) else b""
                if not text.endswith(b","):
                    counts = _field_counts(data)
                    break
    if counts is not None:
        for row, count in enumerate(counts[: raw.height]):
            if count == 0 or (count == 1 and raw.row(row) == (None,) * raw.width):
                continue
            if count > width:
                msg = f"row has {count} cells, the header has {width}: extra cell(s)"
                problems.append(Problem(path, lines[row], width + 1, "schema", msg, None, name))
            elif count < width:
                msg = f"row has {count} cells, the header has {width}: missing cell(s)"
                problems.append(Problem(path, lines[row], count + 1, "schema", msg, None, name))
    blank = raw.with_row_index("__row").filter(pl.all_horizontal(pl.exclude("__row").is_null()))["__row"].to_list()
    for row in blank:
        problems.append(Problem(path, lines[row], None, "schema", "blank row", None, name))
    expected = resource.field_names
    if header != expected and not any(p.line == 1 for p in problems):
        for i in range(max(len(header), len(expected))):
            got = header[i] if i < len(header) else None
            want = expected[i] if i < len(expected) else None
            if got != want:
                if want is None:
                    msg = f"extra header column {got!r}: the schema has {len(expected)} fields"
                elif got is None:
                    msg = f"missing header column: the schema expects {want!r}"
                else:
                    msg = f"header column {i + 1} is {got!r}, the schema expects {want!r}"
                problems.append(Problem(path, 1, i + 1, "schema", msg, want or got, name))
    frame, failures = _cast(raw, resource)
    table = Table(resource, raw, frame, lines, header)
    problems += [table.problem("schema", row, field, msg) for row, field, msg in failures]
    return table, problems
