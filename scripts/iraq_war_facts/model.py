"""The model of a package, read once from its descriptor and Table Schemas: every other module asks it.

- **Topics**: the fact tables are the resources that carry the ``x-facts`` property in ``datapackage.json``, in the
  order the descriptor lists them; the topic's code (in the codebook's ``topic`` list) is the resource name, and
  ``x-facts.scope`` names the field that says what a figure covers (``force_type``, ``cause``, ...).
- **Core**: the fields every fact table declares (the citation and value core), in the order of the first table.
- **Key**: the primary key the fact tables share (``fact_id``).
- **Code lists**: which fields take codes of which codebook list (the ``codelist`` property of a field).
- **Types**: the polars type of each Table Schema type, defined here only.

Nothing here reads a CSV. Adding a topic is adding a resource with ``x-facts``, its schema and its codebook entries.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from iraq_war_facts.package import Package, Resource

FACTS_PROPERTY = "x-facts"
# What the qualifier codes of the codebook mean for the figures of a row: the one definition rules and charts use.
POINT_QUALIFIERS = frozenset({"exact", "approximately", "more_than", "at_least", "up_to", "less_than"})
LOWER_BOUNDS = frozenset({"more_than", "at_least"})
UPPER_BOUNDS = frozenset({"up_to", "less_than"})
EXACT = "exact"  # the qualifier of a figure stated without a hedge
# The claim types the tense check compares: a claim recorded as reported whose clause speaks of the future.
REPORTED, PLANNED = "reported", "planned"
RANGE, INDEFINITE = "range", "indefinite"
# The core fields of a fact table that hold its figures: rules, relations and the report compare them as numbers.
FIGURES = ("value", "value_low", "value_high", "literal_value")
NUMERIC_TYPES = frozenset({"number", "integer"})
POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    "year": pl.Int64(),
    "datetime": pl.Datetime(),
}


def polars_type(field: dict[str, Any]) -> pl.DataType:
    """The polars type a Table Schema field is read as (text for any type not listed)."""
    return POLARS_TYPES.get(str(field.get("type", "string")), pl.String())


@dataclass(frozen=True)
class Topic:
    """One fact table: its code (the resource name), its resource and its scope field."""

    code: str
    resource: Resource
    scope: str | None


@dataclass(frozen=True)
class Model:
    """What the code needs to know about a package, derived from its descriptor and schemas."""

    package: Package
    topics: tuple[Topic, ...]
    core: tuple[str, ...]
    key: str | None

    @property
    def topic_codes(self) -> list[str]:
        return [t.code for t in self.topics]

    def topic(self, code: str) -> Topic | None:
        return next((t for t in self.topics if t.code == code), None)

    def core_types(self) -> dict[str, pl.DataType]:
        """Core field name -> polars type, as the first fact table declares it."""
        if not self.topics:
            return {}
        first = self.topics[0].resource
        return {name: polars_type(first.field(name)) for name in self.core}

    def codelist_fields(self) -> dict[str, list[tuple[str, str]]]:
        """Codebook list -> the (resource, field) pairs whose cells take its codes."""
        out: dict[str, list[tuple[str, str]]] = {}
        for res in self.package.resources.values():
            for f in res.fields:
                if isinstance(f.get("codelist"), str):
                    out.setdefault(f["codelist"], []).append((res.name, f["name"]))
        return out

    def missing_core(self) -> dict[str, list[str]]:
        """Fact table -> the fields every other fact table declares but it lacks (a fact table must keep the core)."""
        names = {t.code: set(t.resource.field_names) for t in self.topics}
        out = {}
        for code, have in names.items():
            others = [n for c, n in names.items() if c != code]
            if others:
                lacking = set.intersection(*others) - have
                if lacking:
                    first = next(t for t in self.topics if t.code != code).resource.field_names
                    out[code] = [f for f in first if f in lacking]
        return out


def build(pkg: Package) -> Model:
    """The model of a loaded package."""
    topics = []
    for res in pkg.fact_resources:
        spec = res.descriptor.get(FACTS_PROPERTY)
        scope = spec.get("scope") if isinstance(spec, dict) else None
        topics.append(Topic(res.name, res, scope if isinstance(scope, str) and scope in res.field_names else None))
    core: tuple[str, ...] = ()
    key = None
    if topics:
        shared = set.intersection(*(set(t.resource.field_names) for t in topics))
        core = tuple(f for f in topics[0].resource.field_names if f in shared)
        keys = {tuple(t.resource.schema.get("primaryKey") or ()) for t in topics}
        if len(keys) == 1:
            only = next(iter(keys))
            key = only[0] if len(only) == 1 else None
    return Model(pkg, tuple(topics), core, key)


def id_key(value: str) -> tuple[str, int, str]:
    """Sort key that puts ids in numeric order: ``CAS-9999`` before ``CAS-12345``."""
    digits = len(value) - len(value.rstrip("0123456789"))
    head, tail = value[: len(value) - digits], value[len(value) - digits :]
    return head, int(tail) if tail else -1, value


def id_order(column: str) -> list[pl.Expr]:
    """Sort keys that put ids in numeric order: ``CAS-9999`` before ``CAS-12345``."""
    col = pl.col(column)
    return [col.str.replace(r"[0-9]+$", ""), col.str.extract(r"([0-9]+)$").cast(pl.Int64, strict=False), col]


def unit_end(day: date, precision: str | None) -> date:
    """Last day of the month or year that a date of this precision stands for."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def unit_end_expr(day: pl.Expr, precision: pl.Expr) -> pl.Expr:
    """:func:`unit_end` as a polars expression."""
    return (
        pl.when(precision == "year")
        .then(pl.date(day.dt.year(), 12, 31))
        .when(precision == "month")
        .then(day.dt.month_end())
        .otherwise(day)
    )
