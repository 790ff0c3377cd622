"""Write the typed tables of a validated package as Parquet, SQLite, XLSX and JSON.

Every writer keeps the Table Schema types (numbers, integers, dates), keeps empty cells as nulls and writes text as
UTF-8, so each format reads back to the same rows and values as the CSV files. Every writer is deterministic: the
same tables give the same bytes with the same library versions (no clocks, fixed compression, fixed order).
pyarrow and xlsxwriter are imported only by the writers that need them.

Formula triggers (:mod:`iraq_war_facts.spreadsheet`): the XLSX writer writes every text as a string cell, never a
formula, and marks a text that starts like a formula as quoted (Excel's leading apostrophe: the value is unchanged,
and editing the cell keeps it text). JSON (escaped by :func:`json.dumps`), Parquet and SQLite keep text as it is: they
are read by programs, not run by spreadsheets.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from iraq_war_facts.errors import require
from iraq_war_facts.spreadsheet import starts_formula

if TYPE_CHECKING:
    from iraq_war_facts.checks.base import Table

SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "NUMERIC", "boolean": "INTEGER"}
"""SQLite column type of each Table Schema type; any other type (string, date, datetime...) is TEXT. ``number`` is
NUMERIC, not REAL: SQLite then stores a whole figure as an integer (``150000``, not ``150000.0``) and any other as
floating point."""
INT64 = range(-(2**63), 2**63)

PARQUET_COMPRESSION = "zstd"
PARQUET_LEVEL = 9
INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
XLSX_MAX_WIDTH = 60
DATASETTE_KEYS = ("title", "description", "license", "license_url", "source", "source_url")
"""The keys of the package-wide metadata Datasette shows on its index page and in every page's footer."""
PACKAGE_INFO = "package_info"
"""Name of the SQLite table holding the package's name, version, licence and attribution."""


class ExportError(Exception):
    """A table cannot be written faithfully in a format."""


def field_type(field: Mapping[str, Any]) -> str:
    """The Table Schema type of a field (``string`` when unstated)."""
    return str(field.get("type", "string"))


def _names(value: object) -> list[str]:
    """A Table Schema key (a field name or a list of them) as a list."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _quote(name: str) -> str:
    """An SQL identifier, double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def _rows(table: Table) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(raw text cells, typed cells) of every row, in file order."""
    yield from zip(table.raw.iter_rows(named=True), table.frame.iter_rows(named=True), strict=True)


# --- Parquet ---------------------------------------------------------------------------------------------------


def _arrow_type(ftype: str) -> Any:
    """The Arrow type of a Table Schema type; text for types without one."""
    pa = require("pyarrow", "release")

    return {
        "integer": pa.int64(),
        "year": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us"),
    }.get(ftype, pa.string())


def write_parquet(tables: Sequence[Table], out_dir: Path, about: Mapping[str, str]) -> list[Path]:
    """One ``<name>.parquet`` per table: typed columns, field descriptions and package metadata, zstd level 9."""
    pa = require("pyarrow", "release")
    pq = require("pyarrow.parquet", "release")

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        res = table.resource
        fields = [
            pa.field(
                f["name"],
                _arrow_type(field_type(f)),
                metadata={"description": f.get("description", ""), "type": field_type(f)},
            )
            for f in res.fields
        ]
        meta = {**about, "resource": res.name, "resource_title": str(res.descriptor.get("title", res.name))}
        schema = pa.schema(fields, metadata=meta)
        frame = table.frame.select([f["name"] for f in res.fields])
        arrow = pa.Table.from_arrays(
            [frame[f.name].to_arrow().cast(f.type) for f in fields],
            schema=schema,
        )
        path = out_dir / f"{res.name}.parquet"
        # A file object: pyarrow would need the path as UTF-8, which a locale may not give.
        with path.open("wb") as sink:
            pq.write_table(
                arrow,
                sink,
                compression=PARQUET_COMPRESSION,
                compression_level=PARQUET_LEVEL,
                use_dictionary=True,
                write_statistics=True,
                version="2.6",
                store_schema=True,
            )
        written.append(path)
    return written


# --- SQLite ----------------------------------------------------------------------------------------------------


def sql_type(field: Mapping[str, Any]) -> str:
    """The SQLite column type of a Table Schema field."""
    return SQL_TYPES.get(field_type(field), "TEXT")


def create_table_sql(table: Table) -> str:
    """CREATE TABLE with the Table Schema's types, required/unique constraints, primary key and foreign keys."""
    res = table.resource
    schema = res.schema
    pk = _names(schema.get("primaryKey"))
    lines = []
    for f in res.fields:
        name, constraints = f["name"], f.get("constraints", {}) or {}
        col = f"{_quote(name)} {sql_type(f)}"
        if constraints.get("required") or name in pk:
            col += " NOT NULL"
        if constraints.get("unique") and pk != [name]:
            col += " UNIQUE"
        if field_type(f) == "boolean":
            col += f" CHECK ({_quote(name)} IN (0, 1))"
        lines.append(col)
    if pk:
        lines.append(f"PRIMARY KEY ({', '.join(map(_quote, pk))})")
    for key in schema.get("uniqueKeys", []) or []:
        lines.append(f"UNIQUE ({', '.join(map(_quote, _names(key)))})")
    for fk in schema.get("foreignKeys", []) or []:
        ref = fk.get("reference", {}) or {}
        target = ref.get("resource") or res.name  # no resource (or "") is a reference to the same table
        cols, ref_cols = _names(fk.get("fields")), _names(ref.get("fields"))
        lines.append(
            f"FOREIGN KEY ({', '.join(map(_quote, cols))}) "
            f"REFERENCES {_quote(target)} ({', '.join(map(_quote, ref_cols))})"
        )
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(res.name)} (\n  {body}\n)"


def _sql_value(value: Any) -> Any:
    """A typed cell as SQLite stores it: booleans as 0/1, whole numbers that fit in 64 bits as integers, dates as
    ISO 8601 text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer() and int(value) in INT64:
        return int(value)
    if isinstance(value, dt.date):  # date and datetime: ISO 8601 text
        return value.isoformat()
    return value


def write_sqlite(tables: Sequence[Table], path: Path, about: Mapping[str, str]) -> Path:
    """One SQLite database: a table per resource with its keys declared, rows in primary-key order, then VACUUM.

    Rows go in with foreign keys off (a self-reference may point forward); ``PRAGMA foreign_key_check`` must then
    be empty or the database is refused. The bytes depend only on the rows and the SQLite library version.
    """
    names = {t.name for t in tables}
    if PACKAGE_INFO in names:
        raise ExportError(f"a resource is named {PACKAGE_INFO!r}, which the SQLite export reserves")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA page_size = 4096")
        con.execute("PRAGMA encoding = 'UTF-8'")
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("BEGIN")
        con.execute(f"CREATE TABLE {PACKAGE_INFO} (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)")
        con.executemany(f"INSERT INTO {PACKAGE_INFO} VALUES (?, ?)", sorted(about.items()))
        for table in tables:
            res = table.resource
            con.execute(create_table_sql(table))
            cols = [f["name"] for f in res.fields]
            pk = _names(res.schema.get("primaryKey"))
            frame = table.frame.select(cols)
            if pk:
                frame = frame.sort(pk, nulls_last=True, maintain_order=True)
            marks = ", ".join("?" for _ in cols)
            con.executemany(
                f"INSERT INTO {_quote(res.name)} ({', '.join(map(_quote, cols))}) VALUES ({marks})",
                ([_sql_value(v) for v in row] for row in frame.iter_rows()),
            )
        try:
            broken = con.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise ExportError(f"SQLite cannot check the foreign keys: {exc}") from None
        if broken:
            lines = [
                f"{t} row {rowid}: no matching row in {parent} (foreign key {fk})" for t, rowid, parent, fk in broken
            ]
            raise ExportError("foreign keys do not hold in SQLite:\n" + "\n".join(lines))
        con.execute("COMMIT")
        con.execute("VACUUM")
    finally:
        con.close()
    return path


# --- Datasette -------------------------------------------------------------------------------------------------


def label_column(table: Table) -> str | None:
    """The column that labels a code of ``table`` (a codebook): ``label_en``, else the first ``label_*`` column."""
    names = table.resource.field_names
    return "label_en" if "label_en" in names else next((n for n in names if n.startswith("label")), None)


def _code_tables(tables: Sequence[Table]) -> list[Table]:
    """The tables whose codes other tables' coded fields (``codelist``) refer to by a foreign key."""
    coded = {}
    for table in tables:
        fields = {f["name"] for f in table.resource.fields if isinstance(f.get("codelist"), str)}
        for fk in table.resource.schema.get("foreignKeys", []) or []:
            ref = fk.get("reference", {}) or {}
            if set(_names(fk.get("fields"))) & fields:
                coded[ref.get("resource") or table.name] = True
    return [t for t in tables if t.name in coded]


def datasette_metadata(tables: Sequence[Table], database: str, about: Mapping[str, str]) -> dict[str, Any]:
    """Datasette's metadata for the SQLite file of ``tables`` served as ``database``: the package's title,
    description, licence and source, each table's title and description, each column's description, and the label
    column of the codebook, through which Datasette shows a code's label beside it (the coded columns are foreign
    keys to the codebook)."""
    meta: dict[str, Any] = {key: about[key] for key in DATASETTE_KEYS if about.get(key)}
    described: dict[str, Any] = {}
    labelled = {t.name: label_column(t) for t in _code_tables(tables)}
    for table in tables:
        res = table.resource
        entry: dict[str, Any] = {"title": str(res.descriptor.get("title") or res.name)}
        if res.descriptor.get("description"):
            entry["description"] = str(res.descriptor["description"])
        if labelled.get(res.name):
            entry["label_column"] = labelled[res.name]
        entry["columns"] = {f["name"]: str(f.get("description") or f["name"]) for f in res.fields}
        described[res.name] = entry
    described[PACKAGE_INFO] = {
        "title": "Package information",
        "description": "The package's name, version, licence and how to credit it.",
        "columns": {"key": "What the value is.", "value": "The value."},
    }
    meta["databases"] = {database: {"tables": described}}
    return meta


def write_datasette_metadata(tables: Sequence[Table], path: Path, about: Mapping[str, str]) -> Path:
    """``datasette_metadata`` of the SQLite file beside it, ``<database>.sqlite``, as UTF-8 JSON at ``path``
    (``<database>.metadata.json``): ``datasette <database>.sqlite --metadata <database>.metadata.json``."""
    database = path.name.removesuffix(".json").removesuffix(".metadata")
    text = json.dumps(datasette_metadata(tables, database, about), ensure_ascii=False, indent=2, allow_nan=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((text + "\n").encode("utf-8"))
    return path


# --- XLSX ------------------------------------------------------------------------------------------------------

README_SHEET = "README"
DICTIONARY_SHEET = "Data dictionary"  # a space: never the name of a resource
DICTIONARY_COLUMNS = ("table", "column", "type", "required", "code list", "description")
WHOLE_FORMAT = "#,##0"  # thousands separators, no decimals
FRACTION_FORMAT = "#,##0.0##########"  # thousands separators, the decimals the value has
YEAR_FORMAT = "0"  # a year is not a quantity: 2003, not 2,003
README_WIDTHS = (18, 100)


def _width(value: Any) -> int:
    """Characters in the longest line of a cell, for the column width."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return max((len(line) for line in text.split("\n")), default=0)


class _Formats:
    """The workbook's cell formats, each made on first use (a workbook without such a cell keeps its bytes)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        """The format of these properties (None for none)."""
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(props)
        return self.made[key]

    def text(self, text: str, *, head: bool = False, wrap: bool = False, bold: bool = False) -> Any:
        """A text cell's format: bold header, right to left for Arabic, wrapped, quoted when it starts like a
        formula (Excel's leading apostrophe)."""
        props: dict[str, Any] = {"bold": True, "bottom": 1} if head else {"bold": True} if bold else {}
        if not head and ARABIC.search(text):
            props["reading_order"] = 2
        if wrap:
            props |= {"text_wrap": True, "valign": "top"}
        if starts_formula(text):
            props["quote_prefix"] = True
        return self.get(**props)

    def number(self, value: float, ftype: str) -> Any:
        """Thousands separators; the decimals only a fraction has; a year as its digits."""
        if ftype == "year":
            return self.get(num_format=YEAR_FORMAT)
        whole = isinstance(value, int) or value.is_integer()
        return self.get(num_format=WHOLE_FORMAT if whole else FRACTION_FORMAT)


def _write_text(sheet: Any, row: int, col: int, text: str, fmt: Any, where: str) -> None:
    if sheet.write_string(row, col, text, fmt) != 0:
        raise ExportError(f"{where}: xlsxwriter cannot write the text at row {row + 1}")


def _readme_sheet(sheet: Any, formats: _Formats, tables: Sequence[Table], about: Mapping[str, str]) -> None:
    """What the workbook is, its version, licence and how to cite it, then one line per sheet."""
    licence = " ".join(x for x in (about.get("license", ""), about.get("license_url", "")) if x)
    lines = [
        ("Title", about.get("title", "")),
        ("Description", about.get("description", "")),
        ("Version", about.get("version", "")),
        ("Licence", licence),
        ("How to cite", about.get("citation", "")),
        ("Attribution", about.get("attribution", "")),
        ("Homepage", about.get("homepage", "")),
        ("", ""),
        ("Sheet", "What it holds"),
        (DICTIONARY_SHEET, "Every column of every table: its type, whether it is required, its code list"),
    ]
    codes = [t.name for t in _code_tables(tables)]
    if codes:
        where = ", ".join(codes)
        lines[-1] = (DICTIONARY_SHEET, f"{lines[-1][1]} (codes and their labels: sheet {where}) and its description.")
    else:
        lines[-1] = (DICTIONARY_SHEET, f"{lines[-1][1]} and its description.")
    for table in tables:
        desc = table.resource.descriptor
        title, about_table = str(desc.get("title") or table.name), str(desc.get("description") or "")
        lines.append((table.name, f"{title}: {about_table}" if about_table else title))
    for col, width in enumerate(README_WIDTHS):
        sheet.set_column(col, col, width)
    for r, (key, value) in enumerate(lines):
        if not key:
            continue
        head = key == "Sheet"
        _write_text(sheet, r, 0, str(key), formats.text(str(key), head=head, bold=True), README_SHEET)
        _write_text(sheet, r, 1, str(value), formats.text(str(value), head=head, wrap=not head), README_SHEET)


def _dictionary_sheet(sheet: Any, formats: _Formats, tables: Sequence[Table]) -> None:
    """One row per column of every table, from the Table Schemas."""
    widths = [len(name) for name in DICTIONARY_COLUMNS]
    for col, name in enumerate(DICTIONARY_COLUMNS):
        _write_text(sheet, 0, col, name, formats.text(name, head=True), DICTIONARY_SHEET)
    r = 0
    for table in tables:
        pk = _names(table.resource.schema.get("primaryKey"))
        for f in table.resource.fields:
            r += 1
            constraints = f.get("constraints") if isinstance(f.get("constraints"), dict) else {}
            required = "yes" if constraints.get("required") or f["name"] in pk else ""
            codelist = f.get("codelist") if isinstance(f.get("codelist"), str) else ""
            cells = (table.name, f["name"], field_type(f), required, codelist, str(f.get("description") or ""))
            for col, text in enumerate(cells):
                if text:
                    wrap = col == len(cells) - 1
                    _write_text(sheet, r, col, text, formats.text(text, wrap=wrap), DICTIONARY_SHEET)
                    widths[col] = max(widths[col], _width(text))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width + 2, XLSX_MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(r, 1), len(DICTIONARY_COLUMNS) - 1)


def _table_sheet(sheet: Any, formats: _Formats, table: Table) -> None:
    """A table's rows under a bold, frozen header with filters: typed cells; numbers with thousands separators;
    text that does not fit the widest column wraps."""
    res = table.resource
    fields = res.fields
    frame = table.frame.select([f["name"] for f in fields])
    widths = [len(f["name"]) for f in fields]
    for row in frame.iter_rows():
        for col, value in enumerate(row):
            if value is not None:
                widths[col] = max(widths[col], _width(value))
    wrap = [
        w + 2 > XLSX_MAX_WIDTH and frame.schema[f["name"]] == pl.String for w, f in zip(widths, fields, strict=True)
    ]
    for col, f in enumerate(fields):
        _write_text(sheet, 0, col, f["name"], formats.text(f["name"], head=True), res.name)
    day = formats.get(num_format="yyyy-mm-dd")
    for r, row in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                rc = sheet.write_boolean(r, col, value)
            elif isinstance(value, int | float):
                rc = sheet.write_number(r, col, value, formats.number(value, field_type(fields[col])))
            elif isinstance(value, dt.datetime):
                rc = sheet.write_datetime(r, col, value, formats.get(num_format="yyyy-mm-dd hh:mm:ss"))
            elif isinstance(value, dt.date):
                rc = sheet.write_datetime(r, col, value, day)
            else:
                text = str(value)
                rc = sheet.write_string(r, col, text, formats.text(text, wrap=wrap[col]))
            if rc != 0:
                raise ExportError(f"{res.name} row {r} column {fields[col]['name']}: xlsxwriter code {rc}")
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width + 2, XLSX_MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(frame.height, 1), len(fields) - 1)


def write_xlsx(tables: Sequence[Table], path: Path, about: Mapping[str, str], created: dt.datetime) -> Path:
    """One workbook: a README sheet (what, version, licence, how to cite, the sheets), a data dictionary sheet (every
    column of every table), then a sheet per table (bold frozen header row, typed cells, numbers with thousands
    separators, long text wrapped, Arabic text right-to-left).

    Text is always a string cell (``write_string``; the options turn off every conversion of strings to formulas,
    numbers or links); one that starts like a formula is also marked quoted (``quote_prefix``). Built in memory, so
    every part of the file carries xlsxwriter's fixed 1980-01-01 timestamp; the document's created date is
    ``created``, never the clock.
    """
    xlsxwriter = require("xlsxwriter", "release")

    for table in tables:
        if len(table.name) > 31:
            raise ExportError(f"resource name {table.name!r} is longer than the 31 characters of a sheet name")
        if table.name.lower() == README_SHEET.lower():
            raise ExportError(f"a resource is named {table.name!r}, which the XLSX export reserves for its README")
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(path), options)
    book.set_properties(
        {
            "title": about.get("title", ""),
            "subject": about.get("description", ""),
            "author": about.get("author", ""),
            "keywords": about.get("keywords", ""),
            "comments": f"{about.get('attribution', '')} Licence: {about.get('license_url', '')}",
            "created": created,
        }
    )
    formats = _Formats(book)
    try:
        _readme_sheet(book.add_worksheet(README_SHEET), formats, tables, about)
        _dictionary_sheet(book.add_worksheet(DICTIONARY_SHEET), formats, tables)
        for table in tables:
            _table_sheet(book.add_worksheet(table.name), formats, table)
    finally:
        book.close()
    return path


# --- JSON ------------------------------------------------------------------------------------------------------


def json_value(field: Mapping[str, Any], raw: str | None, typed: Any) -> Any:
    """A cell as a JSON value: numbers as numbers (whole numbers exactly as written), dates as ISO 8601 text.

    A cell that was not read as its type (``typed`` None) is given as its text.
    """
    if raw is None:
        return None
    ftype = field_type(field)
    if ftype == "number" and typed is not None and INTEGER_TEXT.match(raw):
        return int(raw)
    if isinstance(typed, dt.date):
        return typed.isoformat()
    return typed if typed is not None else raw


def records(table: Table) -> list[dict[str, Any]]:
    """The rows of a table as JSON-ready records, every field present (null where the cell is empty)."""
    fields = table.resource.fields
    out = []
    for raw, typed in _rows(table):
        out.append({f["name"]: json_value(f, raw.get(f["name"]), typed.get(f["name"])) for f in fields})
    return out


def write_json(tables: Sequence[Table], out_dir: Path) -> list[Path]:
    """One ``<name>.json`` per table: an array of records, keys in the schema's field order, UTF-8 text (not \\u
    escapes)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = out_dir / f"{table.name}.json"
        text = json.dumps(records(table), ensure_ascii=False, indent=2, allow_nan=False)
        path.write_bytes((text + "\n").encode("utf-8"))
        written.append(path)
    return written
