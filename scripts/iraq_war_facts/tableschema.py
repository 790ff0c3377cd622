"""Table Schema → pandera: the field constraints of a Table Schema as a ``pandera.polars.DataFrameSchema``.

The Table Schema JSON stays the single source of truth: every dtype, nullability and check below is derived from
it. Keys that span rows or tables (primaryKey, uniqueKeys, foreignKeys) are plain polars queries here too, since
pandera cannot express them. Everything is vectorised; pandera is imported only when a schema is built.

Every field constraint is a function of one cell's value, so a column can be validated on its distinct values
(:func:`distinct_values`, :func:`value_failures`) and the failing values mapped back to the rows that hold them
(:func:`rows_holding`): data columns repeat heavily, and pandera's cost grows with the rows it is given.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import weakref
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from pandera.polars import Column, DataFrameSchema

DTYPES: dict[str, type[pl.DataType]] = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
    "year": pl.Int64,
    "datetime": pl.Datetime,
}
"""Polars dtype of each Table Schema type as the reader casts it; any other type stays text (pl.String)."""

ORDERED = frozenset({"integer", "number", "date", "year", "datetime"})
TEXT_ORDERED = frozenset({"time", "duration", "yearmonth"})  # ordered types the reader keeps as text
BOUNDS = {"minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt"}
LENGTHS = ("minLength", "maxLength")
CHECKED = ("enum", "categories", *BOUNDS, *LENGTHS, "pattern")
"""Field constraints turned into pandera checks, in this order (``required`` and ``unique`` are column options)."""

PROBE_DATE = dt.date(2003, 1, 1)
"""The date a date ``format`` must write and read back (the first of a year: a pattern of the year alone is fine)."""
MIN_YEAR, MAX_YEAR = 1, 9999
"""The years Python's ``datetime`` holds: a cell outside them is a type error."""
REGEX_SYNTAX = "polars regular expressions have no look-around and no backreferences"

FAILURE_COLUMNS = {"column": pl.String, "check": pl.String, "index": pl.Int64}
COLUMN_KEYS = ("type", "format", "constraints", "categories", "trueValues", "falseValues")
"""The keys of a field that shape its pandera column (with its nullability); the rest is documentation."""


class NotChecked(Exception):
    """A valid constraint this validator does not check on the field's type."""


@dataclass(frozen=True)
class Skipped:
    """A declared constraint that is not checked: its value is invalid, or it does not apply to the field type."""

    field: str
    constraint: str
    reason: str
    invalid: bool  # True: the schema is wrong; False: the constraint is valid but not checked here


def polars_dtype(ftype: str) -> type[pl.DataType]:
    """The polars dtype a field of Table Schema type ``ftype`` is read as."""
    return DTYPES.get(ftype, pl.String)


def anchored(pattern: str) -> str:
    """A Table Schema pattern (implicitly anchored: it must match the whole value) as a polars/Rust regex."""
    return f"^(?:{pattern})$"


def as_list(value: Any) -> list[Any]:
    """A key's ``fields``: Table Schema allows one name as a string or a list of names."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def typed_value(field: dict[str, Any], value: Any) -> Any:
    """A constraint value (JSON) as the Python value of the field's type; ValueError when it is not one."""
    ftype = field.get("type", "string")
    if isinstance(value, bool) and ftype != "boolean":
        raise ValueError(f"{value!r} is not a valid {ftype}")
    try:
        if ftype in ("integer", "year"):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return value if isinstance(value, int) else int(str(value))
        if ftype == "number":
            return value if isinstance(value, (int, float)) else float(str(value))
        if ftype == "boolean":
            if isinstance(value, bool):
                return value
            if value in field.get("trueValues", ["true", "True", "TRUE", "1"]):
                return True
            if value in field.get("falseValues", ["false", "False", "FALSE", "0"]):
                return False
            raise ValueError
        if ftype == "date":
            fmt = field.get("format", "default")
            if fmt in ("default", "any"):
                return dt.date.fromisoformat(str(value))
            return dt.datetime.strptime(str(value), fmt).date()
        if ftype == "datetime":
            return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a valid {ftype}") from None
    if isinstance(value, (dict, list)):
        raise ValueError(f"{value!r} is not a valid {ftype}")
    return str(value)


def category_values(categories: Any) -> list[Any]:
    """The values of a v2 ``categories`` list: plain values or ``{"value": ..., "label": ...}`` objects."""
    if not isinstance(categories, list):
        raise ValueError("categories must be a list")
    return [c["value"] if isinstance(c, dict) and "value" in c else c for c in categories]


def regex_error(regex: str) -> str | None:
    """Why polars (Rust regex) cannot compile ``regex``, or None when it can: the regex library's own reason, e.g.
    ``look-around, including look-ahead and look-behind, is not supported``."""
    try:
        pl.Series([""], dtype=pl.String).str.contains(regex)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = next((line.removeprefix("error:").strip() for line in lines if line.startswith("error:")), None)
        return reason or (lines[0].removeprefix("regex error:").strip() if lines else type(exc).__name__)
    return None


def date_format_error(fmt: str) -> str | None:
    """Why the reader cannot read dates written in the strftime pattern ``fmt``, or None when it can.

    A date is written with the pattern and read back as the reader reads cells (``str.to_date``): the pattern must
    be one polars knows and must give back the date, so it needs at least the year.
    """
    probe = pl.Series([PROBE_DATE])
    try:
        text = probe.dt.strftime(fmt)
        back = text.str.to_date(fmt, strict=False)[0]
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):
        return "is not a date format polars can read"
    if back != PROBE_DATE:
        read = back.isoformat() if isinstance(back, dt.date) else "nothing"
        return f"cannot read back the dates it writes: {PROBE_DATE} is written {json.dumps(text[0])} and read as {read}"
    return None


def outside_python_dates(frame: pl.DataFrame) -> dict[str, pl.Series]:
    """Rows (0-based) of each date or datetime column of ``frame`` whose year is outside 1 to 9999.

    Polars holds such dates (year 0, say); Python's ``datetime`` cannot, so the checks could not handle them.
    """
    found = {}
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:  # compared as they are stored (days), without working out their years
            outside = (pl.col(name) < dt.date(MIN_YEAR, 1, 1)) | (pl.col(name) > dt.date(MAX_YEAR, 12, 31))
        elif isinstance(dtype, pl.Datetime):
            year = pl.col(name).dt.year()
            outside = (year < MIN_YEAR) | (year > MAX_YEAR)
        else:
            continue
        rows = frame.select(outside.arg_true())[:, 0]
        if rows.len():
            found[name] = rows.cast(pl.Int64)
    return found


def _bound(key: str, value: Any) -> Any:
    """A minimum/maximum check; a datetime bound is compared in the column's time zone (naive means UTC)."""
    from pandera.polars import Check, PolarsData

    op = BOUNDS[key]
    if not isinstance(value, dt.datetime):
        return getattr(Check, op)(value, name=key, error=key)

    def compare(data: PolarsData) -> pl.LazyFrame:
        zone = getattr(data.lazyframe.collect_schema()[data.key], "time_zone", None)
        bound = value
        if zone is None and bound.tzinfo is not None:
            bound = bound.astimezone(dt.UTC).replace(tzinfo=None)
        elif zone is not None and bound.tzinfo is None:
            bound = bound.replace(tzinfo=dt.UTC)
        return data.lazyframe.select(getattr(pl.col(data.key), op)(bound))

    return Check(compare, name=key, error=key)


def _check(field: dict[str, Any], key: str, declared: Any) -> Any:
    """The pandera check of one declared constraint; ValueError when invalid, NotChecked when not checked."""
    from pandera.polars import Check

    ftype = field.get("type", "string")
    if key in ("enum", "categories"):
        values = category_values(declared) if key == "categories" else declared
        if not isinstance(values, list):
            raise ValueError(f"{key} must be a list")
        return Check.isin([typed_value(field, v) for v in values], name=key, error=key)
    if key in BOUNDS:
        if ftype in ORDERED:
            return _bound(key, typed_value(field, declared))
        if ftype in TEXT_ORDERED:
            raise NotChecked(f"not checked on a field of type {ftype}")
        raise ValueError(f"does not apply to a field of type {ftype}")
    if key in LENGTHS:
        if not isinstance(declared, int) or isinstance(declared, bool) or declared < 0:
            raise ValueError(f"{declared!r} is not a non-negative integer")
        if ftype == "string":
            bound = {"min_value": declared} if key == "minLength" else {"max_value": declared}
            return Check.str_length(**bound, name=key, error=key)
        if ftype in ("array", "object"):
            raise NotChecked(f"not checked on a field of type {ftype}")
        raise ValueError(f"does not apply to a field of type {ftype}")
    # pattern
    if not isinstance(declared, str):
        raise ValueError(f"{declared!r} is not a string")
    error = regex_error(anchored(declared))
    if error:
        raise ValueError(f"{declared!r} is not a regular expression polars can run: {error} ({REGEX_SYNTAX})")
    if polars_dtype(ftype) != pl.String:
        raise NotChecked(f"not checked on a field of type {ftype}")
    return Check.str_matches(anchored(declared), name=key, error=key)


def _field_checks(field: dict[str, Any], skipped: list[Skipped]) -> list[Any]:
    """The pandera checks of one field's constraints; invalid or unchecked ones go to ``skipped``."""
    constraints = dict(field.get("constraints") or {})
    if "categories" in field:
        constraints["categories"] = field["categories"]
    checks = []
    for key in CHECKED:
        if key in constraints:
            try:
                checks.append(_check(field, key, constraints[key]))
            except ValueError as exc:
                skipped.append(Skipped(field["name"], key, str(exc), invalid=True))
            except NotChecked as exc:
                skipped.append(Skipped(field["name"], key, str(exc), invalid=False))
    return checks


def column_key(field: dict[str, Any], nullable: bool) -> str:
    """What a field's pandera column (unique aside) is built from: fields with the same key get the same checks."""
    shape = {k: field[k] for k in COLUMN_KEYS if k in field}
    return json.dumps([shape, nullable], sort_keys=True, default=repr)


def nullable(schema: dict[str, Any], field: dict[str, Any]) -> bool:
    """Whether a field may be empty: not when it is required or in the primary key."""
    constraints = field.get("constraints") or {}
    return not (constraints.get("required") is True or field["name"] in as_list(schema.get("primaryKey")))


def load_pandera() -> None:
    """Import pandera's polars API and register its backends, as its first validation would.

    A failure is left for the first real use of pandera to report.
    """
    with contextlib.suppress(Exception):
        from pandera.api.polars.components import Column

        Column.register_default_backends(pl.LazyFrame)


def to_column(field: dict[str, Any], nullable: bool, unique: bool, name: str, skipped: list[Skipped]) -> Column:
    """The pandera Column of one field: dtype from the field type, one check per constraint (named after it)."""
    from pandera.polars import Column

    return Column(
        polars_dtype(field.get("type", "string")),
        checks=_field_checks(field, skipped),
        nullable=nullable,
        unique=unique,
        name=name,
    )


def to_pandera(schema: dict[str, Any], columns: Collection[str] | None = None) -> DataFrameSchema:
    """The pandera DataFrameSchema of a Table Schema's field constraints.

    One Column per field (only those in ``columns`` when given): dtype from the field type, nullable unless the
    field is required or in the primary key, ``unique`` from the constraint, and one check per other constraint,
    named after it. ``metadata`` keeps the Table Schema (``tableschema``), each field (``fields``) and the
    constraints that were skipped (``skipped``: a list of :class:`Skipped`).
    """
    from pandera.polars import DataFrameSchema

    skipped: list[Skipped] = []
    cols: dict[str, Any] = {}
    fields: dict[str, dict[str, Any]] = {}
    for field in schema.get("fields", []):
        name = field["name"]
        if (columns is not None and name not in columns) or name in fields:
            continue
        fields[name] = field
        unique = (field.get("constraints") or {}).get("unique") is True
        cols[name] = to_column(field, nullable(schema, field), unique, name, skipped)
    return DataFrameSchema(cols, metadata={"tableschema": schema, "fields": fields, "skipped": skipped})


def renamed(skipped: Iterable[Skipped], name: str) -> list[Skipped]:
    """``skipped`` as found for another field with the same constraints."""
    return [dataclasses.replace(skip, field=name) for skip in skipped]


def _failures(validate: Any) -> pl.DataFrame:
    """Run a pandera validation (data checks included); its failures as ``column``, ``check``, ``index``, ``detail``."""
    from pandera.config import ValidationDepth, config_context
    from pandera.errors import SchemaErrors

    try:
        with config_context(validation_enabled=True, validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            validate()
    except SchemaErrors as exc:
        cases = exc.failure_cases
        return cases.select(
            pl.col("column").cast(pl.String),
            pl.col("check").cast(pl.String),
            pl.col("index").cast(pl.Int64),
            pl.col("failure_case").cast(pl.String).alias("detail"),
        )
    return pl.DataFrame(schema={**FAILURE_COLUMNS, "detail": pl.String})


def failure_cases(schema: DataFrameSchema, frame: pl.DataFrame) -> pl.DataFrame:
    """Validate ``frame`` (data checks included) and return its failures: ``column``, ``check``, ``index``.

    ``check`` is a constraint name, or pandera's ``not_nullable`` / ``field_uniqueness``; ``index`` is the 0-based
    row, null for a failure about a whole column (wrong dtype, a check that could not run).
    """
    return _failures(lambda: schema.validate(frame, lazy=True))


def value_failures(column: Column, values: pl.Series) -> pl.DataFrame:
    """Validate ``values`` (e.g. a column's distinct values) with one pandera Column; failures as :func:`failure_cases`
    gives them, ``index`` pointing into ``values``."""
    frame = values.alias(column.name).to_frame()
    return _failures(lambda: column.validate(frame, lazy=True))


SAMPLE = 1000  # values: see _all_distinct
_DISTINCT: dict[int, tuple[weakref.ref[pl.DataFrame], dict[str, pl.Series]]] = {}


def distinct_values(frame: pl.DataFrame, columns: Iterable[str]) -> dict[str, pl.Series]:
    """The distinct values of ``columns`` of ``frame`` (null once if present, in no particular order).

    Computed once per frame and column (in one parallel pass for the columns not yet known) and kept while the
    frame lives, so the check families that look at the same table share them.
    """
    key = id(frame)
    entry = _DISTINCT.get(key)
    if entry is None or entry[0]() is not frame:
        entry = (weakref.ref(frame), {})
        _DISTINCT[key] = entry
        weakref.finalize(frame, _DISTINCT.pop, key, None)
    known = entry[1]
    wanted = list(dict.fromkeys(columns))
    missing = [c for c in wanted if c not in known]
    for c in _all_distinct(frame, missing):
        known[c] = frame.get_column(c).alias(c)
    missing = [c for c in missing if c not in known]
    if missing:
        found = frame.select(pl.col(c).unique().implode() for c in missing)
        for c in missing:
            known[c] = found.get_column(c)[0].alias(c)
    return {c: known[c] for c in wanted}


def _all_distinct(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    """Those of ``columns`` of a large frame whose values all differ (null at most once), found cheaply: a column
    whose first :data:`SAMPLE` values differ (an id, say) is checked on the hashes of its values, which all differ
    only if the values do; a hash that repeats leaves the column to a full search for its distinct values."""
    if not columns or frame.height <= SAMPLE:
        return []
    heads = frame.select(pl.col(c).head(SAMPLE).n_unique() for c in columns).row(0)
    candidates = [c for c, n in zip(columns, heads, strict=True) if n == SAMPLE]
    if not candidates:
        return []
    flags = frame.select(pl.col(c).hash().n_unique() == pl.len() for c in candidates).row(0)
    return [c for c, flag in zip(candidates, flags, strict=True) if flag]


def rows_holding(column: pl.Series, values: pl.Series) -> pl.Series:
    """Rows (0-based, sorted) of ``column`` whose value is one of ``values`` (null matches null)."""
    return column.is_in(values.implode(), nulls_equal=True).arg_true().cast(pl.Int64).alias("row")


def stacked(parts: list[pl.Series]) -> pl.DataFrame:
    """``parts`` (at least one, of one dtype) end to end as ``value``; ``part`` tells which one each value is from."""
    ends = pl.Series([p.len() for p in parts], dtype=pl.Int64).cum_sum()
    part = ends.search_sorted(pl.int_range(ends[-1], dtype=pl.Int64, eager=True), side="right").cast(pl.Int64)
    return pl.DataFrame({"part": part, "value": pl.concat([p.alias("value") for p in parts])})


def duplicate_keys(frame: pl.DataFrame, fields: list[str]) -> pl.DataFrame:
    """Rows whose key (all ``fields`` non-null) repeats an earlier row: ``row`` and ``first`` (0-based), by row."""
    key = frame.select(fields).with_row_index("__row")
    complete = key.filter(pl.all_horizontal(pl.col(f).is_not_null() for f in fields))
    return (
        complete.with_columns(pl.col("__row").min().over(fields).alias("__first"))
        .filter(pl.col("__row") != pl.col("__first"))
        .select(pl.col("__row").cast(pl.Int64).alias("row"), pl.col("__first").cast(pl.Int64).alias("first"))
        .sort("row")
    )


def missing_references(frame: pl.DataFrame, fields: list[str], target: pl.DataFrame, ref: list[str]) -> pl.Series:
    """Rows (0-based, sorted) whose ``fields`` are not all null and whose values are not in ``target[ref]``."""
    child = frame.select(fields)
    parent = target.select(ref)
    if any(child.schema[f] != parent.schema[r] for f, r in zip(fields, ref, strict=True)):
        child = child.select(pl.all().cast(pl.String))
        parent = parent.select(pl.all().cast(pl.String))
    parent = parent.rename(dict(zip(ref, fields, strict=True)))
    if len(fields) == 1:
        (name,) = fields
        values = parent[name].drop_nulls().unique()
        miss = child.select((pl.col(name).is_not_null() & ~pl.col(name).is_in(values.implode())).alias("m"))["m"]
        return miss.arg_true().cast(pl.Int64).alias("row")
    rows = (
        child.with_row_index("__row")
        .filter(pl.any_horizontal(pl.col(f).is_not_null() for f in fields))
        .join(parent.unique(), on=fields, how="anti", nulls_equal=True)
        .get_column("__row")
    )
    return rows.cast(pl.Int64).sort().alias("row")


def show(value: Any, ftype: str = "string", limit: int = 80) -> str:
    """A cell or constraint value for a message: text quoted, numbers and dates as written, long text cut."""
    if value is None:
        return "empty"
    if ftype in ORDERED or ftype == "boolean" or not isinstance(value, str):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def show_key(values: Iterable[Any], ftypes: Iterable[str]) -> str:
    """A key tuple for a message, e.g. ``('x',)`` or ``('x', 2)``."""
    parts = [show(v, t) if v is not None else "None" for v, t in zip(values, ftypes, strict=True)]
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"
