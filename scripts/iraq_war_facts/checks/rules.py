"""Check family: rules. Cross-field and cross-table rules that a Table Schema cannot express.

Values against their bounds and qualifier, time fields against their type, precision and basis, dates against the
frame of the war and the publication of their source, percentages, currencies, code lists, source use, slips and
package-wide identifiers. Cells that are missing where the schema requires them or that fail to cast are left to the
schema family; so are foreign keys (a code or source id that exists nowhere).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from iraq_war_facts.checks.base import Context, Problem, Table

CHECK = "rules"
FRAME_START = date(1990, 1, 1)
FRAME_END = date(2030, 12, 31)
POINT_QUALIFIERS = frozenset({"exact", "approximately", "more_than", "at_least", "up_to"})
ID_COLUMNS = ("fact_id", "event_id", "mention_id", "relation_id")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
FACT_DATES = ("as_of", "period_start", "period_end")
PERIOD_FIELDS = tuple(f"{d}{s}" for d in ("period_start", "period_end") for s in ("", "_precision", "_basis"))
AS_OF_FIELDS = ("as_of", "as_of_precision", "as_of_basis")

Row = tuple[int, dict[str, Any], dict[str, Any]]


def _rows(table: Table) -> Iterator[Row]:
    """(row index, raw cells, typed cells) of every row."""
    for i, (raw, typed) in enumerate(
        zip(table.raw.iter_rows(named=True), table.frame.iter_rows(named=True), strict=False)
    ):
        yield i, raw, typed


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


def unit_end(day: date, precision: str | None) -> date:
    """Last day of the month or year that a date of this precision stands for."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def _values(table: Table, i: int, raw: dict[str, Any], typed: dict[str, Any]) -> Iterator[Problem]:
    """Bounds, qualifier and unit of one fact row."""
    v, lo, hi = typed.get("value"), typed.get("value_low"), typed.get("value_high")
    rv, rlo, rhi = raw.get("value"), raw.get("value_low"), raw.get("value_high")
    if lo is not None and v is not None and lo > v:
        yield table.problem(CHECK, i, "value_low", f"value_low {rlo} is greater than value {rv}")
    if hi is not None and v is not None and v > hi:
        yield table.problem(CHECK, i, "value_high", f"value {rv} is greater than value_high {rhi}")
    qualifier = raw.get("qualifier")
    if lo is not None and hi is not None:
        if lo > hi:
            yield table.problem(CHECK, i, "value_low", f"value_low {rlo} is greater than value_high {rhi}")
        elif lo == hi and qualifier == "range":
            yield table.problem(CHECK, i, "value_low", f"range bounds are equal: value_low {rlo} = value_high {rhi}")
    if qualifier in POINT_QUALIFIERS:
        if rv is None:
            yield table.problem(CHECK, i, "value", f"qualifier {qualifier} needs a value")
        for name, cell in (("value_low", rlo), ("value_high", rhi)):
            if cell is not None:
                yield table.problem(CHECK, i, name, f"qualifier {qualifier} takes no {name} (got {cell})")
    elif qualifier == "range":
        for name, cell in (("value_low", rlo), ("value_high", rhi)):
            if cell is None:
                yield table.problem(CHECK, i, name, f"qualifier range needs {name}")
    elif qualifier == "indefinite":
        if rv is not None:
            yield table.problem(CHECK, i, "value", f"qualifier indefinite takes no value (got {rv}): use value_low")
        if rlo is None:
            yield table.problem(CHECK, i, "value_low", "qualifier indefinite needs value_low (the floor of the plural)")
        if rhi is not None:
            yield table.problem(CHECK, i, "value_high", f"qualifier indefinite takes no value_high (got {rhi})")
    unit = raw.get("unit")
    if unit == "percent":
        for name in ("value", "value_low", "value_high"):
            x = typed.get(name)
            if x is not None and not 0 <= x <= 100:
                yield table.problem(CHECK, i, name, f"{name} {raw[name]} is outside 0–100 for unit percent")
    if "currency" in table.header and unit is not None and CURRENCY_RE.match(unit):
        currency = raw.get("currency")
        if currency is not None and currency != unit:
            yield table.problem(CHECK, i, "currency", f"currency {currency} differs from unit {unit}")
    literal = raw.get("literal_value")
    if literal is not None:
        if raw.get("note") is None:
            yield table.problem(CHECK, i, "note", f"literal_value {literal} is set but note is empty: say why")
        if typed.get("literal_value") is not None and typed.get("literal_value") == v:
            yield table.problem(
                CHECK, i, "literal_value", f"literal_value {literal} equals value {rv}: leave literal_value empty"
            )


# ---------------------------------------------------------------------------
# Time
# ---------------------------------------------------------------------------


def _time_type(table: Table, i: int, raw: dict[str, Any]) -> Iterator[Problem]:
    """time_type against the as_of and period fields."""
    time_type = raw.get("time_type")
    if time_type == "as_of":
        if raw.get("as_of") is None and raw.get("as_of_basis") != "unknown":
            yield table.problem(CHECK, i, "as_of", "time_type as_of needs as_of (or as_of_basis unknown)")
        for name in PERIOD_FIELDS:
            if raw.get(name) is not None:
                yield table.problem(CHECK, i, name, f"time_type as_of takes no {name} (got {raw[name]})")
    elif time_type == "period":
        if raw.get("period_start") is None and raw.get("period_end") is None:
            yield table.problem(CHECK, i, "period_start", "time_type period needs period_start and/or period_end")
        for name in AS_OF_FIELDS:
            if raw.get(name) is not None:
                yield table.problem(CHECK, i, name, f"time_type period takes no {name} (got {raw[name]})")


def _dates(table: Table, i: int, raw: dict[str, Any], typed: dict[str, Any], dates: list[str]) -> Iterator[Problem]:
    """Frame, precision and basis of every date field of a row."""
    for name in dates:
        day = typed.get(name)
        text = raw.get(name)
        if day is not None and not FRAME_START <= day <= FRAME_END:
            side = f"before {FRAME_START}" if day < FRAME_START else f"after {FRAME_END}"
            yield table.problem(CHECK, i, name, f"{name} {text} is {side}, outside the frame of the war")
        pname, bname = f"{name}_precision", f"{name}_basis"
        if pname not in table.header:
            continue
        precision, basis = raw.get(pname), raw.get(bname)
        if text is not None:
            if precision is None:
                yield table.problem(CHECK, i, pname, f"{name} {text} has no {pname}")
            if basis is None and bname in table.header:
                yield table.problem(CHECK, i, bname, f"{name} {text} has no {bname}")
        else:
            if precision is not None:
                yield table.problem(CHECK, i, pname, f"{pname} {precision} is set but {name} is empty")
            if basis is not None and basis != "unknown":
                yield table.problem(CHECK, i, bname, f"{bname} {basis} is set but {name} is empty")
        if day is not None and precision == "month" and day.day != 1:
            yield table.problem(
                CHECK, i, name, f"{name} {text} has precision month but is not the first day of its month"
            )
        if day is not None and precision == "year" and (day.month, day.day) != (1, 1):
            yield table.problem(CHECK, i, name, f"{name} {text} has precision year but is not 1 January")


def _period_order(table: Table, i: int, raw: dict[str, Any], typed: dict[str, Any]) -> Iterator[Problem]:
    """period_start must not be after the last day period_end stands for."""
    start, end = typed.get("period_start"), typed.get("period_end")
    if start is not None and end is not None and start > unit_end(end, raw.get("period_end_precision")):
        yield table.problem(
            CHECK, i, "period_start", f"period_start {raw['period_start']} is after period_end {raw['period_end']}"
        )


def _publication(ctx: Context) -> dict[str, tuple[date, str]]:
    """Latest possible publication date of each source with a published date, and how it was derived."""
    out: dict[str, tuple[date, str]] = {}
    sources = ctx.tables.get("sources")
    if sources is None or "published" not in sources.header:
        return out
    for _, raw, typed in _rows(sources):
        published, sid = typed.get("published"), raw.get("source_id")
        if published is None or sid is None:
            continue
        precision = raw.get("published_precision") or "day"
        latest = unit_end(published, precision)
        how = f"published {raw['published']} at {precision} precision"
        out[sid] = (latest, how if latest == published else f"{how}, so by {latest} at the latest")
    return out


def _after_publication(
    table: Table,
    i: int,
    raw: dict[str, Any],
    typed: dict[str, Any],
    dates: Iterable[str],
    latest: dict[str, tuple[date, str]],
) -> Iterator[Problem]:
    """A reported or estimated claim cannot be dated after its source was published."""
    sid = raw.get("source_id")
    if raw.get("claim_type") == "planned" or sid not in latest:
        return
    last, how = latest[sid]
    for name in dates:
        day = typed.get(name)
        if day is not None and day > last:
            msg = f"{name} {raw[name]} is after {sid} was published ({how}); only a planned claim may be"
            yield table.problem(CHECK, i, name, msg)


# ---------------------------------------------------------------------------
# Codes, sources and identifiers
# ---------------------------------------------------------------------------


def _codes(ctx: Context) -> Iterator[Problem]:
    """Each coded field holds a code of its list; a metric sits in the table of its topic."""
    codebook = ctx.tables.get("codebook")
    if codebook is None:
        return
    codes: dict[str, tuple[str | None, str | None]] = {}
    for _, raw, _ in _rows(codebook):
        if raw.get("code") is not None:
            codes.setdefault(raw["code"], (raw.get("list"), raw.get("parent")))
    fact_names = {t.name for t in ctx.fact_tables}
    for table in ctx.tables.values():
        coded = [(f["name"], f["codelist"]) for f in table.resource.fields if isinstance(f.get("codelist"), str)]
        coded = [(name, listed) for name, listed in coded if name in table.header]
        if not coded:
            continue
        keyed = _fk_fields(table, "codebook")
        for i, raw, _ in _rows(table):
            for name, listed in coded:
                code = raw.get(name)
                if code is None:
                    continue
                if code not in codes:
                    if name not in keyed:
                        yield table.problem(CHECK, i, name, f"{name} {code!r} is not a code of the codebook")
                    continue
                actual, parent = codes[code]
                if actual != listed:
                    yield table.problem(
                        CHECK, i, name, f"{name} {code!r} is a code of list {actual!r}, not of list {listed!r}"
                    )
                elif listed == "metric" and table.name in fact_names and parent != table.name:
                    msg = f"metric {code!r} belongs to {parent!r} (its codebook parent), not to {table.name!r}"
                    yield table.problem(CHECK, i, name, msg)


def _sources(ctx: Context) -> Iterator[Problem]:
    """Source ids exist (where no foreign key says so already) and every source is cited by a fact."""
    sources = ctx.tables.get("sources")
    if sources is None:
        return
    known = {raw["source_id"] for _, raw, _ in _rows(sources) if raw.get("source_id") is not None}
    for table in ctx.tables.values():
        if table is sources or "source_id" not in table.header or "source_id" in _fk_fields(table, "sources"):
            continue
        for i, raw, _ in _rows(table):
            sid = raw.get("source_id")
            if sid is not None and sid not in known:
                yield table.problem(CHECK, i, "source_id", f"source_id {sid} is not a source of the package")
    cited = {
        raw["source_id"]
        for table in ctx.fact_tables
        if "source_id" in table.header
        for _, raw, _ in _rows(table)
        if raw.get("source_id") is not None
    }
    for i, raw, _ in _rows(sources):
        sid = raw.get("source_id")
        if sid is not None and sid not in cited:
            yield sources.problem(CHECK, i, "source_id", f"source {sid} is not cited by any fact")


def _identifiers(ctx: Context) -> Iterator[Problem]:
    """fact_id, event_id, mention_id and relation_id are unique across tables (within a table: schema family)."""
    first: dict[str, tuple[Table, int]] = {}
    for table in ctx.tables.values():
        key = table.resource.schema.get("primaryKey")
        key = [key] if isinstance(key, str) else key
        if not isinstance(key, list) or len(key) != 1 or key[0] not in ID_COLUMNS or key[0] not in table.header:
            continue
        name = key[0]
        for i, raw, _ in _rows(table):
            ident = raw.get(name)
            if ident is None:
                continue
            if ident not in first:
                first[ident] = (table, i)
                continue
            other, j = first[ident]
            if other is not table:
                msg = f"{name} {ident} is also used in {other.path} line {other.lines[j]}: ids are unique package-wide"
                yield table.problem(CHECK, i, name, msg)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def _date_fields(table: Table) -> list[str]:
    return [f["name"] for f in table.resource.fields if f.get("type") == "date" and f["name"] in table.header]


def check(ctx: Context) -> Iterable[Problem]:
    """Run every rule over the loaded tables."""
    problems: list[Problem] = []
    latest = _publication(ctx)
    fact_names = {t.name for t in ctx.fact_tables}
    for table in ctx.tables.values():
        dates = _date_fields(table)
        is_fact = table.name in fact_names
        for i, raw, typed in _rows(table):
            if is_fact:
                problems += _values(table, i, raw, typed)
                problems += _time_type(table, i, raw)
                problems += _period_order(table, i, raw, typed)
            problems += _dates(table, i, raw, typed, dates)
            if is_fact or table.name == "events":
                problems += _after_publication(table, i, raw, typed, dates, latest)
    problems += _codes(ctx)
    problems += _sources(ctx)
    problems += _identifiers(ctx)
    return problems
