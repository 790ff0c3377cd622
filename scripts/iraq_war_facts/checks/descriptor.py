"""Check family: descriptor. The metadata of datapackage.json, checked by the rules of the Data Package v2 profile.

Each property has a rule in :data:`PACKAGE` or :data:`RESOURCE`: its JSON type and shape, as the official profile
gives them (the profiles are not needed at run time). The package name, the resource names and the version become
file names (the release's zip, SQLite and Parquet files), so they are held to the naming rule: lower-case letters,
digits, ``.``, ``_`` and ``-``, starting with a letter or digit, at most :data:`MAX_NAME` characters; resource names
must differ in more than case. A problem names datapackage.json and the JSON path of the property
(``resources[3].name``).

:func:`screen` runs before any table is read: it also checks each Table Schema
(:mod:`iraq_war_facts.checks.schema_parts`) and returns the package with every malformed part set aside, so the other
families neither fail on it nor report it again. What makes a package unreadable (no resources, an unsafe path, a
schema without fields) is refused earlier, by :func:`iraq_war_facts.package.load`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from iraq_war_facts.checks import schema_parts
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.checks.shapes import Failure, Rule, count, failures, list_of, matching, record, shown, text
from iraq_war_facts.package import Package, Resource

FAMILY = "descriptor"
MAX_NAME = 100
MAX_VERSION = 64
"""Names and the version are joined into file names such as ``{name}-{version}.zip``: these limits keep every such
name well under the 255 bytes file systems allow."""
NAME_RULE = "breaks the naming rule: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
VERSION_RULE = "cannot be part of a file name: letters, digits, '.', '_', '+' and '-', starting with a letter or digit"
# The profile's pattern of a path: a URL, or a POSIX path that neither starts with . / ~ nor climbs with /../
PATH = r"((?=[^./~])(?!file:)((?!\/\.\.\/)(?!\\)(?!:\/\/).)*|(http|ftp)s?:\/\/.*)"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
EXAMPLE_CREATED = "2026-11-21T00:00:00Z"


def created(value: Any) -> Iterator[Failure]:
    """An RFC 3339 date-time with its offset, as the profile's ``date-time`` format, that Python can hold."""
    if not isinstance(value, str):
        yield "", f"must be a string, not {shown(value)}"
    elif not RFC3339.fullmatch(value) or not _real_moment(value):
        yield "", f"{shown(value)} is not an RFC 3339 date-time such as {EXAMPLE_CREATED}"


def _real_moment(value: str) -> bool:
    """Whether an RFC 3339 text names a real moment (a leap second read as :59, fractions cut to microseconds)."""
    moment = value.upper().replace("Z", "+00:00")
    if moment[17:19] == "60":
        moment = moment[:17] + "59" + moment[19:]
    moment = re.sub(r"\.(\d{1,6})\d*", r".\1", moment)
    try:
        dt.datetime.fromisoformat(moment)
    except ValueError:
        return False
    return True


NAME = matching(r"[a-z0-9][a-z0-9._-]*", NAME_RULE, MAX_NAME)
PATH_OR_URL = matching(PATH, "is neither a URL nor a relative path inside the package")
LICENSE = record(
    {
        "name": matching(r"[-a-zA-Z0-9._]+", "is not a license identifier: letters, digits, '.', '_' and '-'"),
        "path": PATH_OR_URL,
        "title": text,
    },
    any_of=("name", "path"),
)
CONTRIBUTOR = record(
    {
        "title": text,
        "path": PATH_OR_URL,
        "email": text,
        "givenName": text,
        "familyName": text,
        "organization": text,
        "roles": list_of(text, "a list of strings"),
    },
    non_empty=True,
)
SOURCE = record({"title": text, "path": PATH_OR_URL, "email": text, "version": text}, non_empty=True)
LICENSES = list_of(LICENSE, "a list of objects")
SOURCES = list_of(SOURCE, "a list of objects", min_items=0)

PACKAGE: dict[str, Rule] = {
    "$schema": text,
    "name": NAME,
    "id": text,
    "title": text,
    "description": text,
    "homepage": matching(r"https?://\S+", "is not an http(s) address", flags=re.IGNORECASE),
    "version": matching(r"[A-Za-z0-9][A-Za-z0-9._+-]*", VERSION_RULE, MAX_VERSION),
    "created": created,
    "keywords": list_of(text, "a list of strings"),
    "image": text,
    "licenses": LICENSES,
    "contributors": list_of(CONTRIBUTOR, "a list of objects"),
    "sources": SOURCES,
}
"""Rules of the package's own properties (``resources`` is read by :func:`iraq_war_facts.package.load`)."""

RESOURCE: dict[str, Rule] = {
    "$schema": text,
    "name": NAME,
    "title": text,
    "description": text,
    "homepage": PACKAGE["homepage"],
    "type": text,
    "format": text,
    "mediatype": matching(r"(.+)/(.+)", "is not a media type such as text/csv"),
    "encoding": text,
    "hash": matching(r"[^:]+:[a-fA-F0-9]+|[a-fA-F0-9]{32}", "is not an algorithm and hex digits such as sha256:0f…"),
    "bytes": count,
    "licenses": LICENSES,
    "sources": SOURCES,
}
"""Rules of a resource's properties (``path`` and ``schema`` are read by :func:`iraq_war_facts.package.load`)."""

PROPERTY_CODES = {
    "name": "invalid-name",
    "version": "invalid-version",
    "created": "invalid-created",
    "hash": "invalid-hash",
    "bytes": "invalid-bytes",
}
"""The problem code of a property; any other property's is ``invalid-property``."""
SET_ASIDE = ("hash", "bytes")
"""Malformed resource properties that the other checks would misread: left out of the package they see."""


def metadata_problems(descriptor: dict[str, Any], where: str) -> list[Problem]:
    """The problems of the metadata of ``descriptor`` (read from the file ``where``), resources included."""
    problems = [
        _problem(where, key, f"{key}{path}", message, None) for key, path, message in failures(descriptor, PACKAGE)
    ]
    items = descriptor.get("resources")
    seen: dict[str, int] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        resource = name if isinstance(name, str) else None
        for key, path, message in failures(item, RESOURCE):
            problems.append(_problem(where, key, f"resources[{i}].{key}{path}", message, resource))
        if resource is None:
            continue
        first = seen.setdefault(resource.casefold(), i)
        if first != i:
            how = "is also the name of" if items[first]["name"] == resource else "differs only in case from"
            message = f"resources[{i}].name: {shown(resource)} {how} resources[{first}].name"
            problems.append(Problem(where, None, None, FAMILY, message, None, resource, code="duplicate-name"))
    return problems


def _problem(where: str, key: str, location: str, message: str, resource: str | None) -> Problem:
    """A problem of property ``key`` (which gives its code) at the JSON path ``location`` of the file ``where``."""
    code = PROPERTY_CODES.get(key, "invalid-property")
    return Problem(where, None, None, FAMILY, f"{location}: {message}", None, resource, code=code)


def screen(pkg: Package) -> tuple[Package, list[Problem]]:
    """The problems of the descriptor's metadata and of every Table Schema, and the package the other checks see.

    That package is ``pkg`` itself when nothing is malformed; else a copy without the malformed parts: a resource's
    malformed ``hash`` or ``bytes``, and what :func:`iraq_war_facts.checks.schema_parts.screen` sets aside.
    """
    where = pkg.descriptor_path.name
    problems = metadata_problems(pkg.descriptor, where)
    resources: dict[str, Resource] = {}
    for i, res in enumerate(pkg.resources.values()):
        bad = [key for key in SET_ASIDE if key in res.descriptor and any(RESOURCE[key](res.descriptor[key]))]
        descriptor = {k: v for k, v in res.descriptor.items() if k not in bad} if bad else res.descriptor
        ref = res.descriptor.get("schema")
        file, prefix = (ref, "") if isinstance(ref, str) else (where, f"resources[{i}].schema.")
        schema, found = schema_parts.screen(res.schema, file, prefix, res.name)
        problems += found
        if descriptor is not res.descriptor or schema is not res.schema:
            res = dataclasses.replace(res, descriptor=descriptor, schema=schema)
        resources[res.name] = res
    if all(resources[name] is res for name, res in pkg.resources.items()):
        return pkg, problems
    return dataclasses.replace(pkg, resources=resources), problems
