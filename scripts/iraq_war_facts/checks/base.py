"""What every check shares: the problem record, a loaded table and the validation context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from iraq_war_facts.package import Package, Resource


@dataclass(frozen=True, order=True)
class Problem:
    """One finding. ``line`` is the line an editor shows in the CSV (header = 1); ``column`` is 1-based.

    ``code`` (required, by keyword) is its type in :mod:`iraq_war_facts.problems` (``foreign-key``,
    ``quote-not-in-source``...); the tests fail on a code the catalogue lacks.
    """

    path: str  # the file as the descriptor names it, e.g. "data/troops.csv" (or "datapackage.json")
    line: int | None
    column: int | None
    check: str  # family: schema, rules, citations, relations, completeness, hygiene, package
    message: str
    field: str | None = None
    resource: str | None = None
    severity: str = "error"  # "error" fails validation; "warning" does not
    _: KW_ONLY
    code: str

    def location(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def text(self) -> str:
        return f"{self.location()}: {self.message}"

    def record(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "resource": self.resource,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "check": self.check,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Table:
    """A resource read from CSV.

    ``raw`` holds every column as text exactly as read (null for an empty cell); ``frame`` holds the same rows with
    each field cast to its Table Schema type (null where the cell is empty or could not be cast: those cells are
    reported by the schema check). ``lines[i]`` is the editor line of row ``i`` (0-based row index).
    """

    resource: Resource
    raw: pl.DataFrame
    frame: pl.DataFrame
    lines: list[int]
    header: list[str]

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def path(self) -> str:
        return self.resource.relpath

    def column(self, name: str) -> int | None:
        """1-based column of a header name in the file, or None."""
        try:
            return self.header.index(name) + 1
        except ValueError:
            return None

    def problem(
        self, check: str, row: int | None, name: str | None, message: str, severity: str = "error", *, code: str
    ) -> Problem:
        """A problem of type ``code`` at row index ``row`` (0-based; None for the whole file) and field ``name``."""
        line = self.lines[row] if row is not None else None
        col = self.column(name) if name is not None and row is not None else None
        return Problem(self.path, line, col, check, message, name, self.name, severity, code=code)


@dataclass
class Context:
    """Everything the checks may look at. ``sources_dir`` is None when citation checks cannot run."""

    package: Package
    tables: dict[str, Table] = field(default_factory=dict)
    sources_dir: Path | None = None
    notes: list[str] = field(default_factory=list)  # facts about the run, e.g. checks not run and why
    digests: dict[str, Future[str]] = field(default_factory=dict)  # resource name -> hex digest being computed

    @property
    def fact_tables(self) -> list[Table]:
        return [self.tables[r.name] for r in self.package.fact_resources if r.name in self.tables]


Check = Callable[[Context], Iterable[Problem]]
