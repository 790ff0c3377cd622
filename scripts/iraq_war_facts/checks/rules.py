"""Check family: rules. Cross-field and cross-table rules that a Table Schema cannot express.

Values against their bounds and qualifier, time fields against their type, precision and basis, dates against the
frame of the war and the publication of their source, percentages, currencies, code lists, source use, slips and
package-wide identifiers. Cells that are missing where the schema requires them or that fail to cast are left to the
schema family; so are foreign keys (a code or source id that exists nowhere).

Every rule is a polars expression over the whole table, true on the rows that break it; all the rules of a table are
evaluated in one pass, and messages are written only for the rows reported. Lookups (codes, sources, publication
dates) are decided once per distinct value. At most :data:`CAP` problems are listed per table, field and rule, then one
summary. Comparisons follow Python's: a NaN is neither greater than, less than nor equal to anything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import KW_ONLY, dataclass
from datetime import date
from typing import Any

import polars as pl

from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.model import FIGURES, NUMERIC_TYPES, POINT_QUALIFIERS
from iraq_war_facts.model import build as build_model
from iraq_war_facts.model import unit_end_expr as _unit_end
from iraq_war_facts.package import Resource
from iraq_war_facts.tableschema import distinct_values

CHECK = "rules"
CAP = 1000
LAZY_ROWS = (
    50_000  # above this, a table's rules are planned as one lazy query; below, planning costs more than it saves
)
FRAME_START = date(1990, 1, 1)
FRAME_END = date(2030, 12, 31)
ID_COLUMNS = ("fact_id", "event_id", "mention_id", "relation_id")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
CURRENCY_PATTERN = r"^[A-Z]{3}\n?$"  # CURRENCY_RE.match in polars: Python's "$" also matches before a final newline
FACT_DATES = ("as_of", "period_start", "period_end")
PERIOD_FIELDS = tuple(f"{d}{s}" for d in ("period_start", "period_end") for s in ("", "_precision", "_basis"))
AS_OF_FIELDS = ("as_of", "as_of_precision", "as_of_basis")
TYPED = "\u0000typed:"  # prefix of the typed columns beside the raw ones in a table's working frame

Cells = dict[str, Any]
Message = Callable[[Cells, Cells], str]  # (raw cells, typed cells) of a reported row -> message


@dataclass(frozen=True)
class Rule:
    """One rule on the rows of a table: the field it reports, a label, where it is broken and what to say there.

    ``code`` is the type of the problems it reports, a code of :mod:`iraq_war_facts.problems` (rules of one kind share
    it).
    """

    field: str
    label: str
    broken: pl.Expr
    message: Message
    _: KW_ONLY
    code: str


def _fk_fields(table: Table, resource: str) -> set[str]:
    """Single fields of ``table`` that a foreign key ties to ``resource`` (the schema family checks those)."""
    out: set[str] = set()
    for fk in table.resource.schema.get("foreignKeys", []) or []:
        if not isinstance(fk, dict):
            continue
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        ref = fk.get("reference", {}) if isinstance(fk.get("reference"), dict) else {}
        target = ref.get("resource") or table.name
        if target == resource and isinstance(fields, list) and len(fields) == 1:
            out.add(fields[0])
    return out


class _Columns:
    """Column expressions of one table: ``raw`` text or ``typed`` value, null where the table has no such column."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.raw_names = set(table.raw.columns)
        self.types = table.frame.schema

    def frame(self) -> pl.DataFrame:
        """The raw columns and, beside them, the typed ones (shared, not copied)."""
        typed = [s.alias(TYPED + s.name) for s in self.table.frame.get_columns()]
        return self.table.raw.hstack(typed) if typed else self.table.raw

    def raw(self, name: str) -> pl.Expr:
        return pl.col(name) if name in self.raw_names else pl.lit(None, dtype=pl.String)

    def typed(self, name: str, dtype: pl.DataType | type[pl.DataType] = pl.Null) -> pl.Expr:
        return pl.col(TYPED + name) if name in self.types else pl.lit(None, dtype=dtype)

    def _nan(self, name: str) -> pl.Expr | None:
        return pl.col(TYPED + name).is_nan() if name in self.types and self.types[name].is_float() else None

    def _py(self, expr: pl.Expr, *names: str) -> pl.Expr:
        """``expr`` (a comparison of typed values) false where a value is NaN, as in Python."""
        for name in names:
            nan = self._nan(name)
            if nan is not None:
                expr = expr & ~nan
        return expr

    def _numeric(self, *names: str) -> bool:
        """Whether every named column that the table has is a number (a figure typed otherwise is reported by the
        core check, and its comparisons are left out rather than compared as text)."""
        return all(self.types[n].is_numeric() for n in names if n in self.types)

    def greater(self, a: str, b: str) -> pl.Expr:
        if not self._numeric(a, b):
            return pl.lit(False)
        return self._py(self.typed(a) > self.typed(b), a, b)

    def equal(self, a: str, b: str) -> pl.Expr:
        if not self._numeric(a, b):
            return pl.lit(False)
        return self._py(self.typed(a) == self.typed(b), a, b)

    def outside(self, name: str, low: float, high: float) -> pl.Expr:
        """``not low <= value <= high`` for a value that is set (true for NaN, as in Python)."""
        if not self._numeric(name):
            return pl.lit(False)
        x = self.typed(name)
        out = (x < low) | (x > high)
        nan = self._nan(name)
        return x.is_not_null() & (out | nan if nan is not None else out)


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def _values(c: _Columns) -> Iterator[Rule]:
    """Bounds, qualifier and unit of fact rows."""
    q = c.raw("qualifier")
    yield Rule(
        "value_low",
        "value_low greater than value",
        c.greater("value_low", "value"),
        lambda r, t: f"value_low {r.get('value_low')} is greater than value {r.get('value')}",
        code="bounds-order",
    )
    yield Rule(
        "value_high",
        "value greater than value_high",
        c.greater("value", "value_high"),
        lambda r, t: f"value {r.get('value')} is greater than value_high {r.get('value_high')}",
        code="bounds-order",
    )
    yield Rule(
        "value_low",
        "value_low greater than value_high",
        c.greater("value_low", "value_high"),
        lambda r, t: f"value_low {r.get('value_low')} is greater than value_high {r.get('value_high')}",
        code="bounds-order",
    )
    yield Rule(
        "value_low",
        "range bounds equal",
        c.equal("value_low", "value_high") & (q == "range"),
        lambda r, t: f"range bounds are equal: value_low {r.get('value_low')} = value_high {r.get('value_high')}",
        code="range-bounds-equal",
    )
    point = q.is_in(list(POINT_QUALIFIERS))
    yield Rule(
        "value",
        "point qualifier without value",
        point & c.raw("value").is_null(),
        lambda r, t: f"qualifier {r.get('qualifier')} needs a value",
        code="qualifier-fields",
    )
    for name in ("value_low", "value_high"):
        yield Rule(
            name,
            f"point qualifier with {name}",
            point & c.raw(name).is_not_null(),
            lambda r, t, name=name: f"qualifier {r.get('qualifier')} takes no {name} (got {r.get(name)})",
            code="qualifier-fields",
        )
        yield Rule(
            name,
            f"range without {name}",
            (q == "range") & c.raw(name).is_null(),
            lambda r, t, name=name: f"qualifier range needs {name}",
            code="qualifier-fields",
        )
    indefinite = q == "indefinite"
    yield Rule(
        "value",
        "indefinite with value",
        indefinite & c.raw("value").is_not_null(),
        lambda r, t: f"qualifier indefinite takes no value (got {r.get('value')}): use value_low",
        code="qualifier-fields",
    )
    yield Rule(
        "value_low",
        "indefinite without value_low",
        indefinite & c.raw("value_low").is_null(),
        lambda r, t: "qualifier indefinite needs value_low (the floor of the plural)",
        code="qualifier-fields",
    )
    yield Rule(
        "value_high",
        "indefinite with value_high",
        indefinite & c.raw("value_high").is_not_null(),
        lambda r, t: f"qualifier indefinite takes no value_high (got {r.get('value_high')})",
        code="qualifier-fields",
    )
    unit = c.raw("unit")
    for name in ("value", "value_low", "value_high"):
        yield Rule(
            name,
            f"{name} outside 0-100 percent",
            (unit == "percent") & c.outside(name, 0, 100),
            lambda r, t, name=name: f"{name} {r.get(name)} is outside 0–100 for unit percent",
            code="percent-out-of-range",
        )
    if "currency" in c.table.header:
        currency = c.raw("currency")
        yield Rule(
            "currency",
            "currency differs from unit",
            unit.str.contains(CURRENCY_PATTERN) & currency.is_not_null() & (currency != unit),
            lambda r, t: f"currency {r.get('currency')} differs from unit {r.get('unit')}",
            code="currency-mismatch",
        )
    literal = c.raw("literal_value").is_not_null()
    yield Rule(
        "note",
        "literal_value without note",
        literal & c.raw("note").is_null(),
        lambda r, t: f"literal_value {r.get('literal_value')} is set but note is empty: say why",
        code="literal-without-note",
    )
    yield Rule(
        "literal_value",
        "literal_value equals value",
        literal & c.typed("literal_value").is_not_null() & c.equal("literal_value", "value"),
        lambda r, t: f"literal_value {r.get('literal_value')} equals value {r.get('value')}: leave literal_value empty",
        code="literal-equals-value",
    )


# ---------------------------------------------------------------------------
# Time
# ---------------------------------------------------------------------------


def _time_type(c: _Columns) -> Iterator[Rule]:
    """time_type against the as_of and period fields."""
    as_of, period = c.raw("time_type") == "as_of", c.raw("time_type") == "period"
    yield Rule(
        "as_of",
        "time_type as_of without as_of",
        as_of & c.raw("as_of").is_null() & c.raw("as_of_basis").ne_missing("unknown"),
        lambda r, t: "time_type as_of needs as_of (or as_of_basis unknown)",
        code="time-type-fields",
    )
    for name in PERIOD_FIELDS:
        yield Rule(
            name,
            f"time_type as_of with {name}",
            as_of & c.raw(name).is_not_null(),
            lambda r, t, name=name: f"time_type as_of takes no {name} (got {r.get(name)})",
            code="time-type-fields",
        )
    yield Rule(
        "period_start",
        "time_type period without dates",
        period & c.raw("period_start").is_null() & c.raw("period_end").is_null(),
        lambda r, t: "time_type period needs period_start and/or period_end",
        code="time-type-fields",
    )
    for name in AS_OF_FIELDS:
        yield Rule(
            name,
            f"time_type period with {name}",
            period & c.raw(name).is_not_null(),
            lambda r, t, name=name: f"time_type period takes no {name} (got {r.get(name)})",
            code="time-type-fields",
        )


def _dates(c: _Columns, dates: list[str]) -> Iterator[Rule]:
    """Frame, precision and basis of every date field."""
    header = c.table.header
    for name in dates:
        day, text = c.typed(name, pl.Date), c.raw(name)
        yield Rule(
            name,
            f"{name} outside the frame",
            day.is_not_null() & ((day < FRAME_START) | (day > FRAME_END)),
            lambda r, t, name=name: (
                f"{name} {r.get(name)} is "
                f"{f'before {FRAME_START}' if t[name] < FRAME_START else f'after {FRAME_END}'}"
                ", outside the frame of the war"
            ),
            code="date-out-of-frame",
        )
        pname, bname = f"{name}_precision", f"{name}_basis"
        if pname not in header:
            continue
        precision, basis = c.raw(pname), c.raw(bname)
        yield Rule(
            pname,
            f"{name} without {pname}",
            text.is_not_null() & precision.is_null(),
            lambda r, t, name=name, pname=pname: f"{name} {r.get(name)} has no {pname}",
            code="date-precision-basis",
        )
        if bname in header:
            yield Rule(
                bname,
                f"{name} without {bname}",
                text.is_not_null() & basis.is_null(),
                lambda r, t, name=name, bname=bname: f"{name} {r.get(name)} has no {bname}",
                code="date-precision-basis",
            )
        yield Rule(
            pname,
            f"{pname} without {name}",
            text.is_null() & precision.is_not_null(),
            lambda r, t, name=name, pname=pname: f"{pname} {r.get(pname)} is set but {name} is empty",
            code="date-precision-basis",
        )
        yield Rule(
            bname,
            f"{bname} without {name}",
            text.is_null() & basis.is_not_null() & (basis != "unknown"),
            lambda r, t, name=name, bname=bname: f"{bname} {r.get(bname)} is set but {name} is empty",
            code="date-precision-basis",
        )
        yield Rule(
            name,
            f"{name} of precision month not on the 1st",
            day.is_not_null() & (precision == "month") & (day.dt.day() != 1),
            lambda r, t, name=name: f"{name} {r.get(name)} has precision month but is not the first day of its month",
            code="date-not-first-day",
        )
        yield Rule(
            name,
            f"{name} of precision year not on 1 January",
            day.is_not_null() & (precision == "year") & (day.dt.ordinal_day() != 1),
            lambda r, t, name=name: f"{name} {r.get(name)} has precision year but is not 1 January",
            code="date-not-first-day",
        )


def _period_order(c: _Columns) -> Iterator[Rule]:
    """period_start must not be after the last day period_end stands for."""
    start, end = c.typed("period_start"), c.typed("period_end")
    if c.types.get("period_start") != pl.Date or c.types.get("period_end") != pl.Date:
        return
    yield Rule(
        "period_start",
        "period_start after period_end",
        start.is_not_null() & end.is_not_null() & (start > _unit_end(end, c.raw("period_end_precision"))),
        lambda r, t: f"period_start {r.get('period_start')} is after period_end {r.get('period_end')}",
        code="period-order",
    )


def _publication(ctx: Context) -> dict[str, tuple[date, str]]:
    """Latest possible publication date of each source with a published date, and how it was derived."""
    sources = ctx.tables.get("sources")
    if sources is None or "published" not in sources.header:
        return {}
    c = _Columns(sources)
    precision = c.raw("published_precision").fill_null("day")
    published = c.typed("published")
    if c.types.get("published") != pl.Date:
        return {}
    dated = (
        c.frame()
        .select(
            c.raw("source_id").alias("sid"),
            c.raw("published").alias("text"),
            precision.alias("precision"),
            published.alias("published"),
            _unit_end(published, precision).alias("latest"),
        )
        .filter(pl.col("published").is_not_null() & pl.col("sid").is_not_null())
        .unique(subset="sid", keep="last", maintain_order=True)
    )
    out: dict[str, tuple[date, str]] = {}
    for sid, text, prec, day, latest in dated.iter_rows():  # one row per source
        how = f"published {text} at {prec} precision"
        out[sid] = (latest, how if latest == day else f"{how}, so by {latest} at the latest")
    return out


def _after_publication(c: _Columns, dates: list[str], latest: dict[str, tuple[date, str]]) -> Iterator[Rule]:
    """A reported or estimated claim cannot be dated after its source was published."""
    if not latest or not dates:
        return
    sid = c.raw("source_id")
    last = sid.replace_strict(list(latest), [v[0] for v in latest.values()], default=None, return_dtype=pl.Date)
    unplanned = c.raw("claim_type").ne_missing("planned")
    for name in dates:
        day = c.typed(name, pl.Date)
        yield Rule(
            name,
            f"{name} after publication",
            unplanned & day.is_not_null() & last.is_not_null() & (day > last),
            lambda r, t, name=name: (
                f"{name} {r.get(name)} is after {r.get('source_id')} was published "
                f"({latest[r['source_id']][1]}); only a planned claim may be"
            ),
            code="after-publication",
        )


# ---------------------------------------------------------------------------
# Codes, sources and identifiers
# ---------------------------------------------------------------------------


def _distinct(table: Table, names: Iterable[str]) -> dict[str, list[Any]]:
    """Distinct non-null raw values of each of ``names`` (columns of the table)."""
    found = _distinct_series(table, names)
    return {name: values.to_list() for name, values in found.items()}


def _distinct_series(table: Table, names: Iterable[str]) -> dict[str, pl.Series]:
    """Distinct non-null raw values of each of ``names`` (columns of the table), shared with the other families."""
    names = [n for n in dict.fromkeys(names) if n in table.raw.columns]
    return {name: values.drop_nulls() for name, values in distinct_values(table.raw, names).items()}


def _codebook(ctx: Context) -> dict[str, tuple[str | None, str | None]] | None:
    """(list, parent) of each code, from its first row in the codebook."""
    codebook = ctx.tables.get("codebook")
    if codebook is None:
        return None
    c = _Columns(codebook)
    rows = (
        codebook.raw.select(c.raw("code").alias("code"), c.raw("list").alias("list"), c.raw("parent").alias("parent"))
        .filter(pl.col("code").is_not_null())
        .unique(subset="code", keep="first", maintain_order=True)
    )
    return {code: (listed, parent) for code, listed, parent in rows.iter_rows()}  # one row per code


def _codes(c: _Columns, codes: dict[str, tuple[str | None, str | None]], fact_names: set[str]) -> Iterator[Rule]:
    """Each coded field holds a code of its list; a metric sits in the table of its topic."""
    table = c.table
    coded = [(f["name"], f["codelist"]) for f in table.resource.fields if isinstance(f.get("codelist"), str)]
    coded = [(name, listed) for name, listed in coded if name in table.header]
    if not coded:
        return
    keyed = _fk_fields(table, "codebook")
    distinct = _distinct(table, (name for name, _ in coded))
    for name, listed in coded:
        unknown, other_list, other_topic = [], [], []
        for code in distinct.get(name, []):  # once per distinct value
            if code not in codes:
                if name not in keyed:
                    unknown.append(code)
            elif codes[code][0] != listed:
                other_list.append(code)
            elif listed == "metric" and table.name in fact_names and codes[code][1] != table.name:
                other_topic.append(code)
        cell = c.raw(name)
        if unknown:
            yield Rule(
                name,
                f"{name} not a code",
                cell.is_in(unknown),
                lambda r, t, name=name, listed=listed: (
                    f"{name} {r[name]!r} is not a code of the codebook{_did_you_mean(r[name], codes, listed)}"
                ),
                code="unknown-code",
            )
        if other_list:
            yield Rule(
                name,
                f"{name} code of another list",
                cell.is_in(other_list),
                lambda r, t, name=name, listed=listed: (
                    f"{name} {r[name]!r} is a code of list {codes[r[name]][0]!r}, not of list {listed!r}"
                ),
                code="wrong-code-list",
            )
        if other_topic:
            yield Rule(
                name,
                f"{name} metric of another topic",
                cell.is_in(other_topic),
                lambda r, t, name=name: (
                    f"metric {r[name]!r} belongs to {codes[r[name]][1]!r} (its codebook parent), not to {table.name!r}"
                ),
                code="metric-wrong-topic",
            )


def _metric_units(ctx: Context) -> dict[str, list[str]]:
    """Metric code -> the unit codes its codebook row declares (metrics that declare none are left out)."""
    codebook = ctx.tables.get("codebook")
    if codebook is None or not {"code", "list", "units"} <= set(codebook.raw.columns):
        return {}
    rows = codebook.raw.select("code", "list", "units").drop_nulls()
    return {code: units.split() for code, listed, units in rows.iter_rows() if listed == "metric"}


def _units(c: _Columns, units: dict[str, list[str]], codes: dict[str, tuple[str | None, str | None]]) -> Iterator[Rule]:
    """A fact's unit is one its metric declares; a metric declares only codes of the unit list."""
    table = c.table
    if table.name == "codebook" and "units" in table.header:
        unknown = sorted({u for declared in units.values() for u in declared if codes.get(u, (None,))[0] != "unit"})
        if unknown:
            listed = c.raw("units").str.split(" ").list.eval(pl.element().is_in(unknown)).list.any()
            yield Rule(
                "units",
                "units not unit codes",
                listed,
                lambda r, t: f"units {r['units']!r} names a code that is not a unit: {', '.join(unknown)}",
                code="unknown-unit-of-metric",
            )
    if "metric" not in table.header or "unit" not in table.header or not units:
        return
    metric, unit = c.raw("metric"), c.raw("unit")
    broken = pl.lit(False)
    for code, declared in units.items():
        broken = broken | ((metric == code) & unit.is_not_null() & ~unit.is_in(declared))
    yield Rule(
        "unit",
        "unit not the metric's",
        broken,
        lambda r, t: (
            f"unit {r['unit']!r} is not a unit of metric {r['metric']!r}, which counts in "
            f"{' or '.join(units.get(r['metric'], []))}"
        ),
        code="unit-not-for-metric",
    )


def _did_you_mean(value: str, codes: dict[str, tuple[str | None, str | None]], listed: str) -> str:
    """ "; did you mean 'x'?" with the code of list ``listed`` closest to ``value``, or "" when none is close."""
    close = difflib.get_close_matches(value, [c for c, (lst, _) in codes.items() if lst == listed], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _source_ids(ctx: Context) -> tuple[set[str], set[str]] | None:
    """Source ids of the sources table and those cited by a fact; None without a sources table."""
    sources = ctx.tables.get("sources")
    if sources is None:
        return None
    known = set(_distinct(sources, ["source_id"]).get("source_id", []))
    cited: set[str] = set()
    for table in ctx.fact_tables:
        if "source_id" in table.header:
            cited.update(_distinct(table, ["source_id"]).get("source_id", []))
    return known, cited


def _sources(c: _Columns, ctx: Context, known: set[str], cited: set[str]) -> Iterator[Rule]:
    """Source ids exist (where no foreign key says so already) and every source is cited by a fact."""
    table = c.table
    if table is ctx.tables["sources"]:
        uncited = known - cited
        if uncited:
            yield Rule(
                "source_id",
                "source not cited",
                c.raw("source_id").is_in(sorted(uncited)),
                lambda r, t: f"source {r['source_id']} is not cited by any fact",
                code="uncited-source",
            )
        return
    if "source_id" not in table.header or "source_id" in _fk_fields(table, "sources"):
        return
    unknown = [sid for sid in _distinct(table, ["source_id"]).get("source_id", []) if sid not in known]
    if unknown:
        yield Rule(
            "source_id",
            "source_id not a source",
            c.raw("source_id").is_in(unknown),
            lambda r, t: f"source_id {r['source_id']} is not a source of the package",
            code="unknown-source",
        )


def _capped(
    table: Table, name: str | None, label: str, rows: list[int], messages: Iterable[str], total: int, code: str
) -> Iterator[Problem]:
    """Problems of type ``code`` for the first CAP rows, then one summary for the rest."""
    for row, message in zip(rows, messages, strict=True):
        yield table.problem(CHECK, row, name, message, code=code)
    if total > CAP:
        yield table.problem(CHECK, None, name, f"rule {label!r}: … and {total - CAP} more rows", code=code)


def _shared(ctx: Context, keyed: list[tuple[Table, str]]) -> bool:
    """Whether an id of one of ``keyed`` (table, id column) is also an id of another: the distinct ids of the largest
    table are looked up among those of the others, which are few."""
    ids = [_distinct_series(table, [name])[name] for table, name in keyed]
    largest = max(range(len(ids)), key=lambda k: ids[k].len())
    others = [part for k, part in enumerate(ids) if k != largest]
    if not others:
        return False
    rest = pl.concat(others)
    return bool(rest.is_duplicated().any() or ids[largest].is_in(rest.implode()).any())


def _identifiers(ctx: Context) -> Iterator[Problem]:
    """fact_id, event_id, mention_id and relation_id are unique across tables (within a table: schema family)."""
    keyed: list[tuple[Table, str]] = []
    for table in ctx.tables.values():
        key = table.resource.schema.get("primaryKey")
        key = [key] if isinstance(key, str) else key
        if not isinstance(key, list) or len(key) != 1 or key[0] not in ID_COLUMNS or key[0] not in table.header:
            continue
        keyed.append((table, key[0]))
    parts = [
        table.raw.select(
            pl.lit(k, dtype=pl.UInt32).alias("table"),
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
            _Columns(table).raw(name).alias("id"),
        ).filter(pl.col("id").is_not_null())
        for k, (table, name) in enumerate(keyed)
    ]
    if not parts or not _shared(ctx, keyed):
        return
    ids = pl.concat(parts)
    # Hashes first (cheap to compare), then the ids themselves among the few rows whose hash repeats.
    shared = ids.filter(pl.col("id").hash().is_duplicated())
    shared = shared.filter(pl.col("id").is_duplicated())
    if shared.is_empty():
        return
    # The first use of an id (in table order, then row order) is where the others point.
    repeats = shared.with_columns(
        pl.col("table").first().over("id").alias("first_table"),
        pl.col("row").first().over("id").alias("first_row"),
    ).filter(pl.col("table") != pl.col("first_table"))
    for (k,), group in repeats.group_by("table", maintain_order=True):
        table, name = keyed[k]
        shown = group.head(CAP)
        messages = (
            f"{name} {ident} is also used in {keyed[first][0].path} line {keyed[first][0].lines[j]}: "
            "ids are unique package-wide"
            for ident, first, j in shown.select("id", "first_table", "first_row").iter_rows()
        )
        rows = shown["row"].to_list()
        yield from _capped(table, name, "package-wide id", rows, messages, group.height, "duplicate-id")


def _corrections(ctx: Context) -> Iterator[Problem]:
    """Every row of the corrections log names a row of the package (by fact, event, mention or relation id)."""
    table = ctx.tables.get("corrections")
    if table is None or table.raw.height == 0 or "fact_id" not in table.header:
        return
    ids = [
        values
        for other in ctx.tables.values()
        if other.name != "corrections"
        for values in _distinct_series(other, (n for n in ID_COLUMNS if n in other.header)).values()
    ]
    known = pl.concat(ids) if ids else pl.Series([], dtype=pl.String)
    col = _Columns(table).raw("fact_id")
    rows = table.raw.select(col.alias("id")).with_row_index("row")
    missing = rows.filter(pl.col("id").is_not_null() & ~pl.col("id").is_in(known.implode()))
    shown = missing.head(CAP)
    messages = (f"fact_id {ident} is not the id of any row of the package" for ident in shown["id"])
    rows, total = shown["row"].to_list(), missing.height
    yield from _capped(table, "fact_id", "corrected row exists", rows, messages, total, "correction-unknown-row")


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def _date_fields(table: Table) -> list[str]:
    names = [f["name"] for f in table.resource.fields if f.get("type") == "date" and f["name"] in table.header]
    return list(dict.fromkeys(names))


def _report(c: _Columns, rules: list[Rule]) -> Iterator[Problem]:
    """Evaluate the rules of a table in one pass; problems for the first CAP rows of each, then a summary."""
    table = c.table
    if not rules or table.raw.height == 0:
        return
    anchor = "\u0000rows"  # a column, so that a rule that is a constant still gives one value per row
    exprs = [
        pl.int_range(pl.len()).alias(anchor),
        *(r.broken.fill_null(False).alias(str(i)) for i, r in enumerate(rules)),
    ]
    # A large table's rules run as one lazy query, so that what they share (a source's publication date) is computed
    # once; a small one's eagerly.
    frame = c.frame()
    broken = frame.lazy().select(exprs).collect() if table.raw.height > LAZY_ROWS else frame.select(exprs)
    broken = broken.drop(anchor)
    counts = broken.sum().row(0)
    found = [(rule, broken[:, i].arg_true()) for i, rule in enumerate(rules) if counts[i]]
    if not found:
        return
    shown = pl.concat([rows.head(CAP) for _, rows in found]).unique().sort()
    raw = dict(zip(shown.to_list(), table.raw[shown].rows(named=True), strict=True))
    typed = dict(zip(shown.to_list(), table.frame[shown].rows(named=True), strict=True))
    for rule, rows in found:
        head = rows.head(CAP).to_list()
        messages = (rule.message(raw[i], typed[i]) for i in head)
        yield from _capped(table, rule.field, rule.label, head, messages, rows.len(), rule.code)


def _core(ctx: Context) -> list[Problem]:
    """Every fact table keeps the fields the other fact tables share (the citation and value core), its figures
    typed as numbers."""
    out = []

    def where(res: Resource) -> str:
        schema = res.descriptor.get("schema")
        return schema if isinstance(schema, str) else res.relpath

    for name, lacking in build_model(ctx.package).missing_core().items():
        res = ctx.package.resources[name]
        message = f"fact table {name} lacks the core field(s) every other fact table has: {', '.join(lacking)}"
        out.append(Problem(where(res), None, None, CHECK, message, lacking[0], name, code="fact-table-core"))
    for res in ctx.package.fact_resources:
        for f in res.fields:
            kind = f.get("type", "string")
            if f["name"] in FIGURES and kind not in NUMERIC_TYPES:
                message = (
                    f"{f['name']} of fact table {res.name} is typed {kind}; figures are numbers (number or integer)"
                )
                out.append(Problem(where(res), None, None, CHECK, message, f["name"], res.name, code="fact-table-core"))
    return out


def check(ctx: Context) -> Iterable[Problem]:
    """Run every rule over the loaded tables."""
    problems: list[Problem] = []
    latest = _publication(ctx)
    codes = _codebook(ctx)
    units = _metric_units(ctx)
    source_ids = _source_ids(ctx)
    fact_names = {t.name for t in ctx.fact_tables}
    for table in ctx.tables.values():
        c = _Columns(table)
        dates = _date_fields(table)
        is_fact = table.name in fact_names
        rules: list[Rule] = []
        if is_fact:
            rules += _values(c)
            rules += _time_type(c)
            rules += _period_order(c)
        rules += _dates(c, dates)
        if is_fact or table.name == "events":
            rules += _after_publication(c, dates, latest)
        if codes is not None:
            rules += _codes(c, codes, fact_names)
            rules += _units(c, units, codes)
        if source_ids is not None:
            rules += _sources(c, ctx, *source_ids)
        problems += _report(c, rules)
    problems += _identifiers(ctx)
    problems += _corrections(ctx)
    problems += _core(ctx)
    return problems
