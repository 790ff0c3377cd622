"""The parts of a Table Schema, checked before any table is read: field types and formats, the JSON type of the
``required`` and ``unique`` constraints, keys, and the lists a schema or field holds.

Each part must have the shape the Table Schema v2 profile gives it, and a key must name fields of the schema. A
malformed part is one problem of the schema's file (check family ``schema``), named by its JSON path
(``fields[3].type``, ``foreignKeys[0].reference``), and it is set aside in the copy of the schema the checks use:

- a field of unknown type, or a date field whose ``format`` polars cannot read, is read as text (type ``any``), with
  only its ``required`` and ``unique`` constraints: nothing about it can be checked until the schema is fixed, and no
  cell of it is reported as a type error;
- any other malformed ``format``, constraint, key or list is dropped; a second field of the same name is ignored.

So no check family fails on a malformed part, and nothing is reported twice. The values of the other constraints
(bounds, ``enum``, ``pattern``...) are checked with the field's type by :mod:`iraq_war_facts.tableschema`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from iraq_war_facts.checks.base import Problem
from iraq_war_facts.checks.shapes import Failure, Rule, failures, flag, list_of, shown, text
from iraq_war_facts.tableschema import date_format_error

FAMILY = "schema"
TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "object",
    "array",
    "geopoint",
    "geojson",
    "any",
)
"""The field types of the Table Schema v2 profile."""
FORMATS = {
    "string": ("default", "email", "uri", "binary", "uuid"),
    "geopoint": ("default", "array", "object"),
    "geojson": ("default", "topojson"),
}
"""The formats of a type; any other type but date, time and datetime (which take a pattern) has only ``default``."""
PATTERN_TYPES = ("date", "time", "datetime")
FLAGS = ("required", "unique")
AS_TEXT = "the column is read as text"
TYPED = ("type", "format", "constraints", "categories", "trueValues", "falseValues", "bareNumber", "groupChar")
"""The keys of a field that depend on its type: what a field read as text loses."""
KEY_NAMES = "a field name or a list of field names"


def missing_values(value: Any) -> Iterator[Failure]:
    """A list of strings, or of objects each with a string ``value``."""
    if not isinstance(value, list) or not all(
        isinstance(v, str) or (isinstance(v, dict) and isinstance(v.get("value"), str)) for v in value
    ):
        yield "", f"must be a list of strings, not {shown(value)}"


SCHEMA: dict[str, Rule] = {"missingValues": missing_values}
"""Rules of a schema's plain properties (keys are checked against the fields below)."""
FIELD: dict[str, Rule] = {
    "title": text,
    "description": text,
    "rdfType": text,
    "trueValues": list_of(text, "a list of strings", min_items=0),
    "falseValues": list_of(text, "a list of strings", min_items=0),
    "missingValues": missing_values,
}
"""Rules of a field's plain properties."""
Report = Callable[..., None]


def screen(schema: dict[str, Any], where: str, prefix: str, resource: str) -> tuple[dict[str, Any], list[Problem]]:
    """The problems of the parts of ``schema`` and the schema with its malformed parts set aside (``schema`` itself
    when there are none). ``where`` is the file holding it, ``prefix`` its JSON path there (``resources[3].schema.``
    when given in the descriptor). ``load`` has made sure ``fields`` is a list of objects, each with a name."""
    problems: list[Problem] = []

    def report(path: str, message: str, code: str, field: str | None = None) -> None:
        problems.append(Problem(where, None, None, FAMILY, f"{prefix}{path}: {message}", field, resource, code=code))

    clean = copy.deepcopy(schema)
    clean["fields"] = _fields(clean["fields"], report)
    names = {f["name"] for f in clean["fields"]}
    for key, path, message in list(failures(clean, SCHEMA)):
        report(f"{key}{path}", message, "invalid-schema")
        clean.pop(key, None)
    if "primaryKey" in clean and not _primary_key(clean["primaryKey"], names, report):
        del clean["primaryKey"]
    for key, screen in (("uniqueKeys", _unique_keys), ("foreignKeys", _foreign_keys)):
        if key in clean:
            kept = screen(clean[key], names, report)
            if kept is None:
                del clean[key]
            else:
                clean[key] = kept
    return (clean, problems) if problems else (schema, problems)


def _fields(fields: list[dict[str, Any]], report: Report) -> list[dict[str, Any]]:
    """The fields as the checks use them: a field named twice once, each one's malformed parts set aside."""
    kept = []
    first: dict[str, int] = {}
    for j, field in enumerate(fields):
        name = field["name"]
        if name in first:
            report(f"fields[{j}].name", f"{shown(name)} names fields[{first[name]}] too", "duplicate-field", name)
            continue
        first[name] = j
        kept.append(_field(field, f"fields[{j}]", report))
    return kept


def _field(field: dict[str, Any], at: str, report: Report) -> dict[str, Any]:
    """One field with its malformed parts set aside: read as text when its type or date format is unusable."""
    name = field["name"]

    def part(key: str) -> str:
        return f"{at}.{key} (field {shown(name)})"

    ftype = field.get("type", "string")
    as_text = False
    if not isinstance(ftype, str) or ftype not in TYPES:
        report(part("type"), f"{shown(ftype)} is not a Table Schema type; {AS_TEXT}", "invalid-field-type", name)
        as_text = True
    elif "format" in field:
        wrong = _format_problem(ftype, field["format"])
        if wrong and ftype == "date":  # the reader casts dates with their format
            report(part("format"), f"{wrong}; {AS_TEXT}", "invalid-format", name)
            as_text = True
        elif wrong:
            report(part("format"), wrong, "invalid-format", name)
            del field["format"]
    for key, path, message in list(failures(field, FIELD)):
        report(part(f"{key}{path}"), message, "invalid-schema", name)
        field.pop(key, None)
    constraints = field.get("constraints")
    if "constraints" in field and not isinstance(constraints, dict):
        report(part("constraints"), f"must be an object, not {shown(constraints)}", "invalid-constraint", name)
        del field["constraints"]
    elif isinstance(constraints, dict):
        for key in FLAGS:
            wrong = [message for _, message in flag(constraints[key])] if key in constraints else []
            if wrong:
                report(part(f"constraints.{key}"), wrong[0], "invalid-constraint", name)
                del constraints[key]
    if not as_text:
        return field
    flags = {k: v for k, v in (field.get("constraints") or {}).items() if k in FLAGS}
    return {**{k: v for k, v in field.items() if k not in TYPED}, "type": "any", "constraints": flags}


def _format_problem(ftype: str, fmt: Any) -> str | None:
    """What is wrong with the ``format`` of a field of type ``ftype``, or None."""
    if not isinstance(fmt, str):
        return f"must be a string, not {shown(fmt)}"
    if ftype in PATTERN_TYPES:
        if ftype != "date" or fmt in ("default", "any"):
            return None  # only dates are cast with their format; time and datetime patterns are not read here
        reason = date_format_error(fmt)
        return f"{shown(fmt)} {reason}" if reason else None
    allowed = FORMATS.get(ftype, ("default",))
    return None if fmt in allowed else f"{shown(fmt)} is not a format of a {ftype} field ({', '.join(allowed)})"


def _key_names(value: Any) -> list[str] | None:
    """The field names of a key given as one name or a non-empty list of names, else None."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    return None


def _unknown(names: list[str], known: set[str]) -> str | None:
    """What is wrong with the field names of a key: a name the schema lacks, or one named twice."""
    for name in names:
        if name not in known:
            return f"{shown(name)} is not a field of this schema"
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return f"names {shown(name)} twice"
        seen.add(name)
    return None


def _primary_key(value: Any, known: set[str], report: Report) -> bool:
    """Whether the primary key is well formed (else it is reported)."""
    names = _key_names(value)
    wrong = f"must be {KEY_NAMES}, not {shown(value)}" if names is None else _unknown(names, known)
    if wrong:
        report("primaryKey", wrong, "invalid-key")
    return wrong is None


def _unique_keys(value: Any, known: set[str], report: Report) -> list[Any] | None:
    """The well-formed unique keys (a malformed one is reported), or None when ``uniqueKeys`` is not a list."""
    if not isinstance(value, list):
        report("uniqueKeys", f"must be a list of lists of field names, not {shown(value)}", "invalid-key")
        return None
    kept = []
    for k, key in enumerate(value):
        names = key if isinstance(key, list) and key and all(isinstance(n, str) for n in key) else None
        wrong = f"must be a list of field names, not {shown(key)}" if names is None else _unknown(names, known)
        if wrong:
            report(f"uniqueKeys[{k}]", wrong, "invalid-key")
        else:
            kept.append(key)
    return kept


def _foreign_keys(value: Any, known: set[str], report: Report) -> list[Any] | None:
    """The well-formed foreign keys (a malformed one is reported), or None when ``foreignKeys`` is not a list.

    Whether the referenced resource and fields exist, and as many as the key's fields, is the schema check's.
    """
    if not isinstance(value, list):
        report("foreignKeys", f"must be a list of objects, not {shown(value)}", "invalid-foreign-key")
        return None
    kept = []
    for k, fk in enumerate(value):
        path, wrong = _foreign_key(fk, known)
        if wrong:
            report(f"foreignKeys[{k}]{path}", wrong, "invalid-foreign-key")
        else:
            kept.append(fk)
    return kept


def _foreign_key(fk: Any, known: set[str]) -> tuple[str, str | None]:
    """(JSON path below the key, what is wrong) of one foreign key; what is wrong is None when it is well formed."""
    if not isinstance(fk, dict):
        return "", f"must be an object with fields and reference, not {shown(fk)}"
    names = _key_names(fk.get("fields"))
    if names is None:
        return ".fields", f"must be {KEY_NAMES}, not {shown(fk.get('fields'))}"
    reference = fk.get("reference")
    if not isinstance(reference, dict):
        return ".reference", f"must be an object with fields, not {shown(reference)}"
    if not isinstance(reference.get("resource", ""), str):
        return ".reference.resource", f"must be a resource name, not {shown(reference['resource'])}"
    if _key_names(reference.get("fields")) is None:
        return ".reference.fields", f"must be {KEY_NAMES}, not {shown(reference.get('fields'))}"
    return ".fields", _unknown(names, known)
