"""Load the Data Package descriptor and its resources safely.

Every path the descriptor names is checked before it is opened: it must be relative, stay inside the
package folder, not be a URL or a symlink, and not exceed a size limit. Problems raise
:class:`PackageError` with a message that names the file, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from iraq_war_facts.errors import PackageError  # defined there, importable from here too

MAX_DESCRIPTOR_BYTES = 1 << 20
MAX_RESOURCE_BYTES = 1 << 30
MAX_JSON_DEPTH = 64
"""Deepest nesting of objects and lists a descriptor or schema may hold: far beyond any real one, far below what
would exhaust the recursion of the JSON parser or of code that walks the result."""
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Resource:
    """One tabular resource: its descriptor, its file and its Table Schema."""

    name: str
    path: Path
    relpath: str
    descriptor: dict[str, Any]
    schema: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema.get("fields", [])

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        for f in self.fields:
            if f["name"] == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Package:
    """A loaded descriptor with its resources, keyed by name."""

    root: Path
    descriptor_path: Path
    descriptor: dict[str, Any]
    resources: dict[str, Resource] = field(default_factory=dict)

    @property
    def fact_resources(self) -> list[Resource]:
        """The fact tables, one per topic: the resources that carry the ``x-facts`` property, in descriptor order."""
        return [r for r in self.resources.values() if isinstance(r.descriptor.get("x-facts"), dict)]


def safe_path(root: Path, relpath: object, where: str, limit: int | None = None) -> Path:
    """Resolve ``relpath`` inside ``root`` or raise: no absolute paths, ``..``, URLs, symlinks or huge files."""
    if not isinstance(relpath, str) or not relpath:
        raise PackageError(where, "path must be a non-empty string")
    if "://" in relpath or relpath.startswith(("file:", "\\")):
        raise PackageError(where, f"path {relpath!r} is a URL; only files inside the package are allowed")
    posix = PurePosixPath(relpath)
    if posix.is_absolute() or (len(relpath) > 1 and relpath[1] == ":"):
        raise PackageError(where, f"path {relpath!r} is absolute; use a path relative to the descriptor")
    if ".." in posix.parts or "\\" in relpath:
        raise PackageError(where, f"path {relpath!r} leaves the package folder")
    path = root / Path(*posix.parts)
    probe = root
    for part in posix.parts:
        probe = probe / part
        if probe.is_symlink():
            raise PackageError(where, f"path {relpath!r} goes through a symlink, which is refused")
    if not path.is_file():
        raise PackageError(where, f"file {relpath!r} does not exist")
    size = path.stat().st_size
    limit = MAX_RESOURCE_BYTES if limit is None else limit
    if size > limit:
        raise PackageError(where, f"file {relpath!r} is {size} bytes, over the limit of {limit} bytes")
    return path


def read_regular(path: Path, where: str, limit: int = MAX_RESOURCE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else :class:`PackageError`.

    A FIFO, device, socket or folder is refused before anything is read (the file is opened without blocking and
    checked on the open handle), and never more than ``limit`` + 1 bytes are read, so ``/dev/zero`` or a file that
    grows while it is read cannot exhaust memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise PackageError(where, f"cannot read: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise PackageError(where, "not a regular file (a folder, pipe or device); give a file")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > limit:
            raise PackageError(where, f"{info.st_size} bytes, over the limit of {limit} bytes")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise PackageError(where, f"over the limit of {limit} bytes")
    return data


def read_json(path: Path, where: str, limit: int | None = None) -> dict[str, Any]:
    """Read a JSON object from a checked path."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackageError(where, f"cannot read: {exc.strerror}") from None
    limit = MAX_DESCRIPTOR_BYTES if limit is None else limit
    if size > limit:
        raise PackageError(where, f"{size} bytes, over the limit of {limit} bytes")
    too_deep = False
    try:
        data = json.loads(path.read_bytes().decode("utf-8"), parse_int=_integer, parse_constant=_not_a_number)
    except UnicodeDecodeError as exc:
        raise PackageError(where, f"not UTF-8 at byte {exc.start}") from None
    except _NotJSON as exc:
        raise PackageError(where, f"invalid JSON: {exc}") from None
    except json.JSONDecodeError as exc:
        raise PackageError(f"{where}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        too_deep = True  # deeper than the parser goes, so over the limit too
    if too_deep or _nested_deeper(data, MAX_JSON_DEPTH):
        raise PackageError(where, f"nested deeper than {MAX_JSON_DEPTH} levels")
    if not isinstance(data, dict):
        raise PackageError(where, "must hold a JSON object")
    return data


class _NotJSON(ValueError):
    """A number the JSON text holds that JSON or Python cannot."""


def _integer(text: str) -> int:
    """A JSON integer, unless it has more digits than Python converts (``sys.get_int_max_str_digits``)."""
    limit = sys.get_int_max_str_digits()
    digits = len(text.lstrip("-"))
    if limit and digits > limit:
        raise _NotJSON(f"a number of {digits} digits, over the limit of {limit}")
    return int(text)


def _not_a_number(name: str) -> float:
    """``NaN``, ``Infinity`` and ``-Infinity``, which Python reads but JSON does not have, are refused."""
    raise _NotJSON(f"{name} is not a JSON number")


def _nested_deeper(data: object, limit: int) -> bool:
    """Whether objects and lists nest deeper than ``limit`` levels in ``data`` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        nested = [child for child in children if isinstance(child, (dict, list))]
        if nested and depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in nested)
    return False


def find_descriptor(start: Path) -> Path:
    """The nearest ``datapackage.json`` in ``start`` or a folder above it, as git finds its repository."""
    start = Path(start).absolute()
    for folder in (start, *start.parents):
        candidate = folder / DESCRIPTOR
        if candidate.is_file():
            return candidate
    raise PackageError(
        str(start), f"no {DESCRIPTOR} here or in any folder above; run inside a data package or name its descriptor"
    )


def load(descriptor: str | os.PathLike[str]) -> Package:
    """Load a descriptor and the Table Schemas of its resources."""
    dpath = Path(descriptor)
    if dpath.is_dir():
        dpath = dpath / "datapackage.json"
    if not dpath.is_file():
        raise PackageError(str(descriptor), "no such descriptor file")
    where = dpath.name
    desc = read_json(dpath, where)
    root = dpath.resolve().parent
    items = desc.get("resources")
    if not isinstance(items, list) or not items:
        raise PackageError(where, "'resources' must be a non-empty list")
    resources: dict[str, Resource] = {}
    for i, item in enumerate(items):
        rwhere = f"{where}: resources[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise PackageError(rwhere, "each resource needs a string 'name'")
        name = item["name"]
        if name in resources:
            raise PackageError(rwhere, f"duplicate resource name {name!r}")
        path = safe_path(root, item.get("path"), f"{rwhere} ({name})")
        schema_ref = item.get("schema")
        if isinstance(schema_ref, str):
            schema = read_json(
                safe_path(root, schema_ref, f"{rwhere} ({name}) schema", MAX_DESCRIPTOR_BYTES), schema_ref
            )
        elif isinstance(schema_ref, dict):
            schema = schema_ref
        else:
            raise PackageError(rwhere, f"resource {name!r} needs a Table Schema")
        if isinstance(schema_ref, str):
            _check_fields(schema, schema_ref, "")
        else:
            _check_fields(schema, where, f"resources[{i}].schema.")
        resources[name] = Resource(name, path, item["path"], item, schema)
    return Package(root, dpath.resolve(), desc, resources)


def _check_fields(schema: dict[str, Any], where: str, prefix: str) -> None:
    """Raise PackageError unless ``schema`` lists its fields, each with a name: else it says nothing of its table.

    ``where`` is the file holding the schema, ``prefix`` the JSON path of the schema in it. What else a schema holds
    is checked by validate (:mod:`iraq_war_facts.checks.schema_parts`).
    """
    fields = schema.get("fields")
    if not isinstance(fields, list):
        raise PackageError(f"{where}: {prefix}fields", "must be a list of field objects")
    for j, item in enumerate(fields):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise PackageError(f"{where}: {prefix}fields[{j}]", "each field needs a name that is a non-empty string")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
