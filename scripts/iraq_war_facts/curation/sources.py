"""``add-source``: register a new text in the sources table, publisher and date unknown until a curator reads them.

The row gets the next free id, the text's file name, sha256, size and language; every other required field the
schema declares gets a placeholder (``TO FILL: `` and the field's description) so that the package stays valid and a
reader sees what is missing. The table keeps its exact bytes and gains one line in its own dialect; the descriptor's
hash and bytes follow.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from iraq_war_facts.checks.citations import MAX_TEXT_BYTES
from iraq_war_facts.descriptor import rehash
from iraq_war_facts.errors import INVALID, IWFError, PackageError
from iraq_war_facts.outputs import check_file, write_text
from iraq_war_facts.package import Resource, load, read_regular

RESOURCE = "sources"
ID = "source_id"
UNKNOWN = "unknown"  # the basis code for what the text does not state
PLACEHOLDER = "TO FILL: "
ARABIC = "ar"


class CurationError(IWFError):
    """A curation command refused its input; nothing was written."""

    exit_code = INVALID


def read_text(path: Path) -> tuple[bytes, str]:
    """The bytes and text of a UTF-8 source text, else :class:`PackageError` (exit 2) naming the file."""
    data = read_regular(path, str(path), MAX_TEXT_BYTES)
    if not data:
        raise PackageError(str(path), "the file is empty: there is no text")
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(str(path), f"not UTF-8 at byte {exc.start}: save the text as UTF-8") from None


def detect_language(text: str) -> str | None:
    """``ar`` when Arabic letters are most of the text's letters, else None (the curator says)."""
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if unicodedata.name(c, "").startswith("ARABIC"))
    return ARABIC if letters and arabic * 2 > len(letters) else None


def _pattern(res: Resource, name: str) -> str | None:
    constraints = res.field(name).get("constraints", {}) if name in res.field_names else {}
    return constraints.get("pattern")


def _conform(res: Resource, name: str, value: str, advice: str) -> None:
    """Refuse a value that the schema's pattern for ``name`` does not allow."""
    pattern = _pattern(res, name)
    if pattern is not None and re.fullmatch(pattern, value) is None:
        raise CurationError(f"{value!r}: the {res.name} table's {name} must match {pattern} ({res.relpath}); {advice}")


def _read_table(res: Resource) -> tuple[str, list[str], list[dict[str, str]], str]:
    """The table's text, header, rows and line ending."""
    text = read_regular(res.path, res.relpath).decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    records = [dict(zip(header, r, strict=False)) for r in reader if r]
    first = text.split("\n", 1)[0]
    return text, header, records, "\r\n" if first.endswith("\r") else "\n"


def _next_id(records: list[dict[str, str]]) -> str:
    numbers = [int(m.group(1)) for r in records if (m := re.fullmatch(r"src-([0-9]+)", r.get(ID, "")))]
    return f"src-{max(numbers, default=-1) + 1:03d}"


def _registered(records: list[dict[str, str]], name: str, digest: str) -> None:
    for r in records:
        if r.get("file") == name:
            raise CurationError(f"{name} is already registered as {r.get(ID)}: give the new text another name")
        if r.get("text_sha256") == digest:
            raise CurationError(f"{name} is already registered as {r.get(ID)} ({r.get('file')}): same sha256 {digest}")


def _row(res: Resource, header: list[str], known: dict[str, str]) -> dict[str, str]:
    """One value per column: the known ones, a placeholder for every other required field, else empty."""
    row = {}
    for name in header:
        if name in known:
            row[name] = known[name]
            continue
        field: dict[str, Any] = res.field(name) if name in res.field_names else {}
        required = field.get("constraints", {}).get("required", False)
        row[name] = f"{PLACEHOLDER}{field.get('description', name)}" if required else ""
    return row


def add_source(text: str | Path, descriptor: str | Path, language: str | None = None) -> dict[str, str]:
    """Register ``text`` in the sources table of the package at ``descriptor``; return the new row.

    Refuses (:class:`CurationError`, exit 1) a text already registered (same file name or sha256), a file name or
    language that the schema does not allow, and a text whose language is not Arabic unless ``language`` is given;
    :class:`PackageError` (exit 2) for a text that cannot be read, is empty or is not UTF-8. The table is rewritten
    atomically, never through a symlink; the descriptor's hash and bytes are updated."""
    path = Path(text)
    data, content = read_text(path)
    pkg = load(descriptor)
    if RESOURCE not in pkg.resources:
        raise CurationError(f"{pkg.descriptor_path.name} has no {RESOURCE} resource to register the text in")
    res = pkg.resources[RESOURCE]
    check_file(res.path)
    _conform(res, "file", path.name, "rename the text")
    if language is None:
        language = detect_language(content)
        if language is None:
            raise CurationError(f"{path.name}: Arabic letters are not most of its letters; give its --language")
    _conform(res, "language", language, "give an ISO 639-1 code such as ar or en")
    table, header, records, newline = _read_table(res)
    digest = hashlib.sha256(data).hexdigest()
    _registered(records, path.name, digest)
    known = {
        ID: _next_id(records),
        "file": path.name,
        "text_sha256": digest,
        "bytes": str(len(data)),
        "language": language,
        "publisher_basis": UNKNOWN,
        "published_basis": UNKNOWN,
    }
    row = _row(res, header, known)
    line = io.StringIO()
    csv.writer(line, lineterminator=newline).writerow([row[name] for name in header])
    if table and not table.endswith("\n"):
        table += newline
    write_text(res.path, table + line.getvalue())
    rehash(pkg.descriptor_path)
    return row


def placement(text: str | Path, sources_dir: str | Path | None) -> Path | None:
    """Where ``text`` must be copied for ``validate --sources sources_dir`` to read it, or None when it is there."""
    path = Path(text)
    if sources_dir is None:
        return None
    folder = Path(sources_dir)
    target = folder / path.name
    if target.exists() and path.resolve() == target.resolve():
        return None
    return target
