"""Check family: schema. Every constraint each resource's Table Schema declares, checked on the typed frame.

Field constraints run as pandera Columns built from the Table Schema's fields (those of
:func:`iraq_war_facts.tableschema.to_pandera`), each validated on the distinct values of the columns it stands for;
unique, primary and foreign keys are polars queries. Type errors, header problems and ragged or blank rows are
reported while reading, so they are not repeated here. At most :data:`CAP` problems are listed per table, field and
constraint, then one summary.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import polars as pl

from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.tableschema import (
    MAX_YEAR,
    MIN_YEAR,
    Skipped,
    as_list,
    category_values,
    column_key,
    distinct_values,
    duplicate_keys,
    missing_references,
    nullable,
    outside_python_dates,
    renamed,
    rows_holding,
    show,
    show_key,
    stacked,
    to_column,
    value_failures,
)

CAP = 1000
FAMILY = "schema"
COMPARISONS = {
    "minimum": "is less than",
    "maximum": "is greater than",
    "exclusiveMinimum": "is not greater than",
    "exclusiveMaximum": "is not less than",
}
LISTED = 20  # enum or category values named in a message
# constraint (as pandera's check is named) -> problem code; others are "constraint"
CONSTRAINT_CODES = {
    "enum": "enum",
    "categories": "categories",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive-minimum",
    "exclusiveMaximum": "exclusive-maximum",
    "minLength": "min-length",
    "maxLength": "max-length",
    "pattern": "pattern",
}


def check(ctx: Context) -> Iterator[Problem]:
    """Field constraints, primary and unique keys, and foreign keys of every table."""
    tables = list(ctx.tables.values())
    distinct = [_distinct(table) for table in tables]
    known = _absent_references(ctx, tables, distinct)
    yield from _field_problems(ctx, tables, distinct)
    for table in tables:
        yield from key_problems(table)
        yield from foreign_key_problems(ctx, table, known)


def python_dates(table: Table) -> list[Problem]:
    """Type errors for the dates of ``table`` that Python cannot hold (year 0, say), which are then left empty in
    ``table.frame`` as any cell that failed to cast: polars reads them, but the checks could not handle them."""
    problems: list[Problem] = []
    for name, rows in outside_python_dates(table.frame).items():
        ftype = _ftype(table, name)
        shown = rows.head(CAP)
        years = table.frame.get_column(name).dt.year().gather(shown).to_list()
        texts = table.raw.get_column(name).gather(shown).to_list()
        messages = (
            f"type error: {text!r} is not a valid {ftype}: year {year} is outside {MIN_YEAR} to {MAX_YEAR}"
            for text, year in zip(texts, years, strict=True)
        )
        problems += _capped(table, rows, name, "type", messages, "type-error")
        year = pl.col(name).dt.year()
        outside = (year < MIN_YEAR) | (year > MAX_YEAR)
        table.frame = table.frame.with_columns(pl.when(outside).then(None).otherwise(pl.col(name)).alias(name))
    return problems


def _schema_path(ctx: Context, table: Table) -> str:
    ref = table.resource.descriptor.get("schema")
    return ref if isinstance(ref, str) else ctx.package.descriptor_path.name


def _ftype(table: Table, name: str) -> str:
    try:
        return table.resource.field(name).get("type", "string")
    except KeyError:
        return "string"


def _capped(
    table: Table, rows: pl.Series, name: str | None, label: str, messages: Iterator[str], code: str
) -> Iterator[Problem]:
    """One problem per row (the first CAP rows, with the first CAP messages), then one summary for the rest."""
    for row, message in zip(rows.head(CAP).to_list(), messages, strict=False):
        yield table.problem(FAMILY, row, name, message, code=code)
    if rows.len() > CAP:
        yield table.problem(FAMILY, None, name, f"{label} violated: … and {rows.len() - CAP} more rows", code=code)


def _listing(values: list[Any], ftype: str) -> str:
    shown = ", ".join(show(v, ftype) for v in values[:LISTED])
    return shown + (f", … ({len(values)} in all)" if len(values) > LISTED else "")


def _characters(n: int) -> str:
    return f"{n} character" if n == 1 else f"{n} characters"


def _constraint_message(field: dict[str, Any], constraint: str, text: str) -> str:
    """What is wrong with cell ``text`` for one constraint, e.g. ``-3 is less than 0``."""
    ftype = field.get("type", "string")
    constraints = field.get("constraints") or {}
    value = show(text, ftype)
    if constraint == "enum":
        detail = f"{value} is not one of {_listing(constraints['enum'], ftype)}"
    elif constraint == "categories":
        detail = f"{value} is not one of the categories {_listing(category_values(field['categories']), ftype)}"
    elif constraint in COMPARISONS:
        detail = f"{value} {COMPARISONS[constraint]} {show(constraints[constraint], ftype)}"
    elif constraint == "minLength":
        detail = f"{value} has {_characters(len(text))}, fewer than {constraints[constraint]}"
    elif constraint == "maxLength":
        detail = f"{value} has {_characters(len(text))}, more than {constraints[constraint]}"
    elif constraint == "pattern":
        detail = f"{value} does not match {constraints['pattern']}"
    else:
        detail = f"{value} fails {constraint}"
    return f'constraint "{constraint}" violated: {detail}'


@dataclass
class _Group:
    """Columns (of one or more tables) whose fields have the same constraints and dtype: one pandera Column."""

    field: dict[str, Any]
    nullable: bool
    column: Any  # the pandera Column, named after the first member
    skipped: list[Skipped]
    members: list[tuple[int, str]] = dataclass_field(default_factory=list)  # (table position, column)


@dataclass
class _Found:
    """What pandera found in one table: failures about a whole column, and failing rows by (column, check)."""

    whole: list[tuple[str, str, str | None]] = dataclass_field(default_factory=list)  # (column, check, detail)
    rows: dict[tuple[str, str], pl.Series] = dataclass_field(default_factory=dict)


def field_problems(ctx: Context, table: Table) -> Iterator[Problem]:
    """Field constraints (required, unique, enum, bounds, lengths, pattern, categories) of one table via pandera."""
    yield from _field_problems(ctx, [table], [_distinct(table)])


def _field_problems(ctx: Context, tables: list[Table], distinct: list[dict[str, pl.Series]]) -> Iterator[Problem]:
    """Field constraints of ``tables`` through pandera.

    Each pandera Column is built once for every set of columns whose fields declare the same constraints (``metric``
    of every fact table, say) and validated on the distinct values those columns hold; the failing values are then
    traced back to their rows. ``unique`` is checked on the whole column with polars.
    """
    groups: dict[tuple[str, str], _Group] = {}
    found = [_Found() for _ in tables]
    uniques: list[list[str]] = []
    for pos, table in enumerate(tables):
        schema = table.resource.schema
        dtypes = table.frame.schema
        first: dict[str, dict[str, Any]] = {}
        for field in schema.get("fields", []):
            if field["name"] in dtypes and field["name"] not in first:
                first[field["name"]] = field
        uniques.append([n for n, f in first.items() if (f.get("constraints") or {}).get("unique") is True])
        for name, field in first.items():
            null_ok = nullable(schema, field)
            key = (column_key(field, null_ok), str(dtypes[name]))
            group = groups.get(key)
            if group is None:
                skipped: list[Skipped] = []
                column = to_column(field, null_ok, False, name, skipped)
                group = groups[key] = _Group(field, null_ok, column, skipped)
            group.members.append((pos, name))
            for skip in renamed(group.skipped, name):
                if skip.invalid:
                    message = f'field {skip.field!r}: constraint "{skip.constraint}" {skip.reason}'
                    where = _schema_path(ctx, table)
                    yield Problem(where, None, None, FAMILY, message, skip.field, table.name, code="invalid-constraint")
                else:
                    note = f'{table.path}: field {skip.field!r}: constraint "{skip.constraint}" {skip.reason}'
                    if note not in ctx.notes:
                        ctx.notes.append(note)
    for group in groups.values():
        _validate(group, tables, distinct, found)
    for pos, table in enumerate(tables):
        for name in uniques[pos]:
            if len(distinct[pos][name]) < table.frame.height:
                repeated = table.frame.get_column(name).is_duplicated().arg_true().cast(pl.Int64)
                if repeated.len():
                    found[pos].rows[(name, "field_uniqueness")] = repeated
        yield from _reported(table, found[pos])


def _distinct(table: Table) -> dict[str, pl.Series]:
    """Distinct values of every typed column; a text field's column is its raw column, shared with other checks."""
    frame, raw = table.frame, table.raw
    dtypes, names = frame.schema, set(raw.columns)
    text = [c for c, dtype in dtypes.items() if dtype == pl.String and c in names]
    typed = [c for c in dtypes if c not in text]
    values = distinct_values(raw, text) if text else {}
    if typed:
        values.update(distinct_values(frame, typed))
    return values


def _validate(group: _Group, tables: list[Table], distinct: list[dict[str, pl.Series]], found: list[_Found]) -> None:
    """Validate a group's distinct values with its pandera Column and record the failing rows of each member."""
    parts = [distinct[p][n].alias(group.column.name) for p, n in group.members]
    values = parts[0] if len(parts) == 1 else pl.concat(parts).unique()
    cases = value_failures(group.column, values)
    if cases.is_empty():
        return
    if len(group.members) > 1 and cases.get_column("index").null_count():
        # A failure about the whole column names it: validate each column on its own for exact details.
        for pos, name in group.members:
            column = to_column(group.field, group.nullable, False, name, [])
            _record(value_failures(column, distinct[pos][name]), distinct[pos][name], [(pos, name)], tables, found)
        return
    _record(cases, values, group.members, tables, found)


def _record(
    cases: pl.DataFrame, values: pl.Series, members: list[tuple[int, str]], tables: list[Table], found: list[_Found]
) -> None:
    """Trace pandera's failures on ``values`` back to the rows of each member column."""
    for rec in cases.filter(pl.col("index").is_null()).iter_rows(named=True):
        for pos, name in members:
            found[pos].whole.append((name, rec["check"], rec["detail"]))
    failing = cases.filter(pl.col("index").is_not_null())
    for (check_name,), group in failing.group_by(["check"], maintain_order=True):
        bad = values.gather(group.get_column("index").unique())
        for pos, name in members:
            rows = rows_holding(tables[pos].frame.get_column(name), bad)
            if rows.len():
                found[pos].rows[(name, check_name)] = rows


def _reported(table: Table, found: _Found) -> Iterator[Problem]:
    """The problems of one table from what pandera found."""
    fields = {f["name"]: f for f in table.resource.fields}
    for name, check_name, detail in found.whole:
        detail = (detail or "").strip().splitlines()[0] if (detail or "").strip() else "unknown reason"
        message = f"field {name!r}: {check_name} could not be checked: {detail}"
        yield table.problem(FAMILY, None, name, message, code="constraint-not-checked")
    if not found.rows:
        return
    blank = table.raw.select(pl.all_horizontal(pl.all().is_null()).alias("blank"))["blank"].arg_true()
    for (name, check_name), rows in found.rows.items():
        if blank.len():  # a blank row is reported while reading; its empty cells are not reported again
            rows = rows.filter(~rows.is_in(blank.cast(pl.Int64).implode()))
        if rows.is_empty():
            continue
        index = rows.unique().sort()
        field = fields[name]
        if check_name == "not_nullable":
            yield from _required(table, field, index)
        elif check_name == "field_uniqueness":
            yield from _unique(table, name, index)
        else:
            texts = table.raw[name].gather(index.head(CAP)).to_list()
            messages = (_constraint_message(field, check_name, text) for text in texts)
            code = CONSTRAINT_CODES.get(check_name, "constraint")
            yield from _capped(table, index, name, f'constraint "{check_name}"', messages, code)


def _required(table: Table, field: dict[str, Any], index: pl.Series) -> Iterator[Problem]:
    """Empty cells of a required or primary-key field (cells that failed to cast were reported while reading)."""
    name = field["name"]
    empty = index.filter(table.raw[name].gather(index).is_null())
    required = (field.get("constraints") or {}).get("required") is True
    label = 'constraint "required"' if required else "primary key"
    messages = (f"{label} violated: empty" for _ in empty)
    yield from _capped(table, empty, name, label, messages, "required")


def _unique(table: Table, name: str, index: pl.Series) -> Iterator[Problem]:
    """Each repeat of a value of a unique field, pointing at the value's first line."""
    values = pl.DataFrame({"row": index, "value": table.frame[name].gather(index)}).drop_nulls("value")
    repeats = values.with_columns(pl.col("row").min().over("value").alias("first")).filter(
        pl.col("row") != pl.col("first")
    )
    shown = repeats.head(CAP)
    texts = table.raw[name].gather(shown["row"]).to_list()
    ftype = _ftype(table, name)
    messages = (
        f'constraint "unique" violated: {show(text, ftype)} also on line {table.lines[first]}'
        for text, first in zip(texts, shown["first"].to_list(), strict=True)
    )
    yield from _capped(table, repeats["row"], name, 'constraint "unique"', messages, "unique")


def _key_texts(table: Table, fields: list[str], rows: list[int]) -> list[str]:
    ftypes = [_ftype(table, f) for f in fields]
    return [show_key(values, ftypes) for values in table.raw.select(fields)[rows].iter_rows()]


def key_problems(table: Table) -> Iterator[Problem]:
    """Duplicate primary keys and unique keys (v2 ``uniqueKeys``), each repeat pointing at the first line.

    A key of one field that also carries the ``unique`` constraint is left to that constraint; rows with a null key
    field are left to ``required`` (primary key) or exempt (unique keys).
    """
    schema = table.resource.schema
    unique_fields = {f["name"] for f in table.resource.fields if (f.get("constraints") or {}).get("unique") is True}
    seen = [{name} for name in unique_fields]
    keys: list[tuple[list[str], str, str]] = []
    primary = as_list(schema.get("primaryKey"))
    if primary:
        keys.append((primary, "primary key", "primary-key"))
    for key in schema.get("uniqueKeys") or []:
        fields = as_list(key)
        keys.append((fields, f"unique key ({', '.join(fields)})", "unique-key"))
    for fields, label, code in keys:
        if not fields or set(fields) in seen or not all(f in table.frame.columns for f in fields):
            continue
        seen.append(set(fields))
        dups = duplicate_keys(table.frame, fields)
        if dups.is_empty():
            continue
        shown = dups.head(CAP)
        texts = _key_texts(table, fields, shown["row"].to_list())
        messages = (
            f"{label} violated: {text} duplicates line {table.lines[first]}"
            for text, first in zip(texts, shown["first"].to_list(), strict=True)
        )
        name = fields[0] if len(fields) == 1 else None
        yield from _capped(table, dups["row"], name, label, messages, code)


def _typed_rows(table: Table, fields: list[str], rows: pl.Series) -> pl.Series:
    """``rows`` whose ``fields`` all hold a typed value or are empty: a cell that failed to cast is already reported."""
    if rows.is_empty():
        return rows
    failed = [table.raw[f].gather(rows).is_not_null() & table.frame[f].gather(rows).is_null() for f in fields]
    return rows.filter(~pl.DataFrame(failed).select(pl.any_horizontal(pl.all()))[:, 0])


def _absent_references(
    ctx: Context, tables: list[Table], distinct: list[dict[str, pl.Series]]
) -> dict[tuple[str, int], pl.Series]:
    """Values of single-field foreign keys (to a field of the same dtype) that their target does not hold, by
    (table, position of the key): one lookup per referenced field, on the distinct values of :func:`_distinct`."""
    values = {table.name: found for table, found in zip(tables, distinct, strict=True)}
    dtypes = {table.name: table.frame.schema for table in tables}
    wanted: dict[tuple[str, str], list[tuple[tuple[str, int], str]]] = {}  # (target, field) -> ((table, k), field)
    for table in tables:
        for k, fk in enumerate(table.resource.schema.get("foreignKeys") or []):
            fields = as_list(fk.get("fields"))
            reference = fk.get("reference") or {}
            target = reference.get("resource") or table.name
            ref = as_list(reference.get("fields"))
            if len(fields) != 1 or len(ref) != 1 or target not in values:
                continue
            dtype = dtypes[table.name].get(fields[0])
            if dtype is None or dtypes[target].get(ref[0]) != dtype:
                continue
            wanted.setdefault((target, ref[0]), []).append(((table.name, k), fields[0]))
    known: dict[tuple[str, int], pl.Series] = {}
    for (target, ref_name), keys in wanted.items():
        children = [values[name][field] for (name, _), field in keys]
        lookup = stacked(children)
        held = values[target][ref_name].implode()
        missing = lookup.filter(pl.col("value").is_not_null() & ~pl.col("value").is_in(held))
        parts = missing.partition_by("part", as_dict=True)
        for part, (key, _) in enumerate(keys):
            found = parts.get((part,))
            known[key] = children[part].clear() if found is None else found.get_column("value")
    return known


def foreign_key_problems(
    ctx: Context, table: Table, known: dict[tuple[str, int], pl.Series] | None = None
) -> Iterator[Problem]:
    """Values of foreign keys that the referenced resource (another one, or this one) does not hold.

    ``known`` holds what :func:`_absent_references` found for this table's keys; other keys are looked up here.
    """
    known = known or {}
    for k, fk in enumerate(table.resource.schema.get("foreignKeys") or []):
        fields = as_list(fk.get("fields"))
        reference = fk.get("reference") or {}
        target_name = reference.get("resource") or table.name
        ref = as_list(reference.get("fields"))
        name = fields[0] if len(fields) == 1 else None
        if not fields or len(fields) != len(ref):
            message = f"foreign key {fields} → {target_name}.{ref}: fields and reference fields differ in number"
            where = _schema_path(ctx, table)
            yield Problem(where, None, None, FAMILY, message, name, table.name, code="invalid-foreign-key")
            continue
        if not all(f in table.frame.columns for f in fields):
            continue  # a missing header column, reported while reading
        target = ctx.tables.get(target_name)
        if target is None:
            if target_name in ctx.package.resources:
                code = "foreign-key-not-checked"
                message = f"foreign key not checked: resource {target_name!r} could not be read"
            else:
                code, message = "foreign-key", f"foreign key violated: the package has no resource {target_name!r}"
            yield table.problem(FAMILY, None, name, message, code=code)
            continue
        absent = [r for r in ref if r not in target.frame.columns]
        if absent:
            message = f"foreign key not checked: {target_name} has no field {absent[0]!r}"
            yield table.problem(FAMILY, None, name, message, code="foreign-key-not-checked")
            continue
        values = known.get((table.name, k))
        if values is None:
            rows = missing_references(table.frame, fields, target.frame, ref)
        elif values.is_empty():
            continue
        else:
            rows = rows_holding(table.frame.get_column(fields[0]), values)
        found = _typed_rows(table, fields, rows)
        if found.is_empty():
            continue
        where = f"{target_name}.{ref[0]}" if len(ref) == 1 else f"{target_name}.({', '.join(ref)})"
        if len(fields) == 1:
            ftype = _ftype(table, fields[0])
            texts = [show(t, ftype) for t in table.raw[fields[0]].gather(found.head(CAP)).to_list()]
        else:
            texts = _key_texts(table, fields, found.head(CAP).to_list())
        hint = _suggester(table, fields[0], target, ref[0]) if len(fields) == 1 else None
        messages = (f"foreign key violated: {text} not found in {where}{hint(text) if hint else ''}" for text in texts)
        yield from _capped(table, found, name, "foreign key", messages, "foreign-key")


def _suggester(table: Table, field: str, target: Table, ref: str) -> Callable[[str], str] | None:
    """A function giving "; did you mean 'x'?" for a value a single-field foreign key does not find: the closest
    value of the referenced field, among the codes of the field's own code list where it declares one."""
    if ref not in target.raw.columns:
        return None
    candidates = target.raw.select(ref, *(["list"] if "list" in target.raw.columns else []))
    listed = table.resource.field(field).get("codelist")
    if isinstance(listed, str) and "list" in candidates.columns:
        candidates = candidates.filter(pl.col("list") == listed)
    values = [v for v in candidates.get_column(ref).drop_nulls().unique(maintain_order=True).to_list() if v]

    def hint(shown: str) -> str:
        close = difflib.get_close_matches(shown.strip("'\""), values, n=1, cutoff=0.6)
        return f"; did you mean {close[0]!r}?" if close else ""

    return hint
