"""Check family: schema. Every constraint each resource's Table Schema declares, checked on the typed frame.

Field constraints run as a pandera schema built from the Table Schema (:func:`iraq_war_facts.tableschema.to_pandera`);
primary, unique and foreign keys are polars queries. Type errors, header problems and ragged or blank rows are
reported while reading, so they are not repeated here. At most :data:`CAP` problems are listed per table, field and
constraint, then one summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl

from iraq_war_facts.checks.base import Context, Problem, Table
from iraq_war_facts.tableschema import (
    as_list,
    category_values,
    duplicate_keys,
    failure_cases,
    missing_references,
    show,
    show_key,
    to_pandera,
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


def check(ctx: Context) -> Iterator[Problem]:
    """Field constraints, primary and unique keys, and foreign keys of every table."""
    for table in ctx.tables.values():
        yield from field_problems(ctx, table)
        yield from key_problems(table)
        yield from foreign_key_problems(ctx, table)


def _schema_path(ctx: Context, table: Table) -> str:
    ref = table.resource.descriptor.get("schema")
    return ref if isinstance(ref, str) else ctx.package.descriptor_path.name


def _ftype(table: Table, name: str) -> str:
    try:
        return table.resource.field(name).get("type", "string")
    except KeyError:
        return "string"


def _capped(table: Table, rows: pl.Series, name: str | None, label: str, messages: Iterator[str]) -> Iterator[Problem]:
    """One problem per row (the first CAP rows, with the first CAP messages), then one summary for the rest."""
    for row, message in zip(rows.head(CAP).to_list(), messages, strict=False):
        yield table.problem(FAMILY, row, name, message)
    if rows.len() > CAP:
        yield table.problem(FAMILY, None, name, f"{label} violated: … and {rows.len() - CAP} more rows")


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


def field_problems(ctx: Context, table: Table) -> Iterator[Problem]:
    """Field constraints (required, unique, enum, bounds, lengths, pattern, categories) through pandera."""
    fields = {f["name"]: f for f in table.resource.fields}
    present = [c for c in table.frame.columns if c in fields]
    schema = to_pandera(table.resource.schema, columns=present)
    for skip in schema.metadata["skipped"]:
        if skip.invalid:
            message = f'field {skip.field!r}: constraint "{skip.constraint}" {skip.reason}'
            yield Problem(_schema_path(ctx, table), None, None, FAMILY, message, skip.field, table.name)
        else:
            note = f'{table.path}: field {skip.field!r}: constraint "{skip.constraint}" {skip.reason}'
            if note not in ctx.notes:
                ctx.notes.append(note)
    if not present:
        return
    cases = failure_cases(schema, table.frame)
    for rec in cases.filter(pl.col("index").is_null()).iter_rows(named=True):
        detail = (rec["detail"] or "").strip().splitlines()[0] if (rec["detail"] or "").strip() else "unknown reason"
        message = f"field {rec['column']!r}: {rec['check']} could not be checked: {detail}"
        yield table.problem(FAMILY, None, rec["column"], message)
    rows = cases.filter(pl.col("index").is_not_null())
    if rows.is_empty():
        return
    blank = table.raw.select(pl.all_horizontal(pl.all().is_null()).alias("blank"))["blank"].arg_true()
    if blank.len():  # a blank row is reported while reading; its empty cells are not reported again
        rows = rows.filter(~pl.col("index").is_in(blank.cast(pl.Int64).implode()))
    for (name, check_name), group in rows.group_by(["column", "check"], maintain_order=True):
        index = group["index"].unique().sort()
        field = fields[name]
        if check_name == "not_nullable":
            yield from _required(table, field, index)
        elif check_name == "field_uniqueness":
            yield from _unique(table, name, index)
        else:
            texts = table.raw[name].gather(index.head(CAP)).to_list()
            messages = (_constraint_message(field, check_name, text) for text in texts)
            yield from _capped(table, index, name, f'constraint "{check_name}"', messages)


def _required(table: Table, field: dict[str, Any], index: pl.Series) -> Iterator[Problem]:
    """Empty cells of a required or primary-key field (cells that failed to cast were reported while reading)."""
    name = field["name"]
    empty = index.filter(table.raw[name].gather(index).is_null())
    required = (field.get("constraints") or {}).get("required") is True
    label = 'constraint "required"' if required else "primary key"
    messages = (f"{label} violated: empty" for _ in empty)
    yield from _capped(table, empty, name, label, messages)


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
    yield from _capped(table, repeats["row"], name, 'constraint "unique"', messages)


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
    keys: list[tuple[list[str], str]] = []
    primary = as_list(schema.get("primaryKey"))
    if primary:
        keys.append((primary, "primary key"))
    for key in schema.get("uniqueKeys") or []:
        fields = as_list(key)
        keys.append((fields, f"unique key ({', '.join(fields)})"))
    for fields, label in keys:
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
        yield from _capped(table, dups["row"], name, label, messages)


def _typed_rows(table: Table, fields: list[str], rows: pl.Series) -> pl.Series:
    """``rows`` whose ``fields`` all hold a typed value or are empty: a cell that failed to cast is already reported."""
    if rows.is_empty():
        return rows
    failed = [table.raw[f].gather(rows).is_not_null() & table.frame[f].gather(rows).is_null() for f in fields]
    return rows.filter(~pl.DataFrame(failed).select(pl.any_horizontal(pl.all()))[:, 0])


def foreign_key_problems(ctx: Context, table: Table) -> Iterator[Problem]:
    """Values of foreign keys that the referenced resource (another one, or this one) does not hold."""
    for fk in table.resource.schema.get("foreignKeys") or []:
        fields = as_list(fk.get("fields"))
        reference = fk.get("reference") or {}
        target_name = reference.get("resource") or table.name
        ref = as_list(reference.get("fields"))
        name = fields[0] if len(fields) == 1 else None
        if not fields or len(fields) != len(ref):
            message = f"foreign key {fields} → {target_name}.{ref}: fields and reference fields differ in number"
            yield Problem(_schema_path(ctx, table), None, None, FAMILY, message, name, table.name)
            continue
        if not all(f in table.frame.columns for f in fields):
            continue  # a missing header column, reported while reading
        target = ctx.tables.get(target_name)
        if target is None:
            if target_name in ctx.package.resources:
                message = f"foreign key not checked: resource {target_name!r} could not be read"
            else:
                message = f"foreign key violated: the package has no resource {target_name!r}"
            yield table.problem(FAMILY, None, name, message)
            continue
        absent = [r for r in ref if r not in target.frame.columns]
        if absent:
            message = f"foreign key not checked: {target_name} has no field {absent[0]!r}"
            yield table.problem(FAMILY, None, name, message)
            continue
        found = _typed_rows(table, fields, missing_references(table.frame, fields, target.frame, ref))
        if found.is_empty():
            continue
        where = f"{target_name}.{ref[0]}" if len(ref) == 1 else f"{target_name}.({', '.join(ref)})"
        if len(fields) == 1:
            ftype = _ftype(table, fields[0])
            texts = [show(t, ftype) for t in table.raw[fields[0]].gather(found.head(CAP)).to_list()]
        else:
            texts = _key_texts(table, fields, found.head(CAP).to_list())
        messages = (f"foreign key violated: {text} not found in {where}" for text in texts)
        yield from _capped(table, found, name, "foreign key", messages)
