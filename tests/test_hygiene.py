"""Hygiene check: one fixture per kind of problem, the cap, robustness to arbitrary cells and unsafe paths."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from unittest import mock

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from helpers import copy_package
from iraq_war_facts import package
from iraq_war_facts import validate as validate_module
from iraq_war_facts.checks import hygiene
from iraq_war_facts.checks.base import Context, Problem
from iraq_war_facts.cli import main
from iraq_war_facts.package import load
from iraq_war_facts.reading import read_table
from iraq_war_facts.validate import Report, validate

FIELDS = [
    {"name": "fact_id", "type": "string", "constraints": {"pattern": "^F-[0-9]{4}$"}},
    {"name": "metric", "type": "string", "codelist": "metric"},
    {"name": "value", "type": "number"},
    {"name": "label", "type": "string"},
    {"name": "quote", "type": "string"},
    {"name": "note", "type": "string"},
]
HEADER = [f["name"] for f in FIELDS]
GOOD = ["F-0001", "killed", "4000", "كتيبة", "أكثر من 4000 قتيل", "A clean note."]
PATH = "data/t.csv"


def csv_text(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue()


def make_package(root: Path, data: str | bytes, resource_path: str = PATH) -> Path:
    """A one-table package under ``root`` with ``data`` in ``data/t.csv``; returns its descriptor."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "schemas").mkdir(exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    (root / PATH).write_bytes(raw)
    (root / "schemas" / "t.json").write_text(json.dumps({"fields": FIELDS}), encoding="utf-8")
    desc = {"name": "tiny", "resources": [{"name": "t", "path": resource_path, "schema": "schemas/t.json"}]}
    (root / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    return root / "datapackage.json"


def hygiene_of(descriptor: Path) -> list[Problem]:
    """The hygiene check alone, on a freshly read package."""
    ctx = Context(load(descriptor))
    for res in ctx.package.resources.values():
        table, _ = read_table(res)
        if table is not None:
            ctx.tables[res.name] = table
    return sorted(hygiene.check(ctx))


def problem(line: int | None, column: int | None, message: str, field: str | None, *, code: str) -> Problem:
    return Problem(PATH, line, column, "hygiene", message, field, "t", code=code)


def row(**cells: str) -> list[str]:
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(cells)
    return [values[name] for name in HEADER]


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Modification time and bytes of every file under ``folder``."""
    files = (p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes()) for p in files}


# --- one fixture per kind -------------------------------------------------------------------------------------------


def test_clean_table_and_real_package_have_no_hygiene_problems(tmp_path) -> None:
    assert hygiene_of(make_package(tmp_path, csv_text(row(), row(fact_id="F-0002")))) == []
    assert hygiene_of(ROOT / "datapackage.json") == []


def test_byte_order_mark_at_the_start_of_a_csv(tmp_path) -> None:
    descriptor = make_package(tmp_path, b"\xef\xbb\xbf" + csv_text(row()).encode())
    msg = "the file starts with a UTF-8 byte order mark (BOM): save it as UTF-8 without BOM"
    assert hygiene_of(descriptor) == [problem(1, 1, msg, None, code="bom")]


def test_text_not_in_nfc_is_reported_except_in_quotes(tmp_path) -> None:
    decomposed = "cafe\u0301"  # e + combining acute: NFC is "café"
    arabic = "\u0627\u0653"  # alef + maddah above: NFC is U+0622
    data = csv_text(
        row(note=decomposed),
        row(fact_id="F-0002", label=arabic, quote=arabic + " " + decomposed),
        row(fact_id="F-0003", note="كَتَبَ café"),  # harakat and precomposed letters are NFC
    )
    not_nfc = "text is not in Unicode NFC form from character {}: normalise it to NFC"
    assert hygiene_of(make_package(tmp_path, data)) == [
        problem(2, 6, not_nfc.format("4 (U+0065 LATIN SMALL LETTER E)"), "note", code="not-nfc"),
        problem(3, 4, not_nfc.format("1 (U+0627 ARABIC LETTER ALEF)"), "label", code="not-nfc"),
    ]


def test_leading_and_trailing_whitespace_in_any_cell(tmp_path) -> None:
    data = csv_text(
        row(metric=" killed"),
        row(fact_id="F-0002", note="Note.\u00a0"),
        row(fact_id="F-0003", quote=" أكثر ", value=" 4000"),
        row(fact_id="F-0004", label="line one\nline two"),  # inner newline: fine, and the next row is on line 7
        row(fact_id="F-0005", note="   "),
    )
    assert hygiene_of(make_package(tmp_path, data)) == [
        problem(2, 2, "leading whitespace ' ': strip it", "metric", code="stray-space"),
        problem(3, 6, "trailing whitespace '\\xa0': strip it", "note", code="stray-space"),
        problem(4, 3, "leading whitespace ' ': strip it", "value", code="stray-space"),
        problem(4, 5, "leading whitespace ' ' and trailing whitespace ' ': strip it", "quote", code="stray-space"),
        problem(7, 6, "leading whitespace '   ': strip it", "note", code="stray-space"),
    ]


def test_invisible_and_bidi_controls_are_reported_except_in_quotes(tmp_path) -> None:
    data = csv_text(
        row(metric="killed\u200f"),
        row(fact_id="F-0002", note="a \u202ereversed\u202c text"),
        row(fact_id="F-0003", label="x\ufeffy", quote="\u200fأكثر من 4000 قتيل"),
        row(fact_id="F-0004", note="\u061c\u2066\u2069"),
    )
    invisible = "invisible or bidi control character {}"
    assert hygiene_of(make_package(tmp_path, data)) == [
        problem(
            2, 2, invisible.format("U+200F RIGHT-TO-LEFT MARK at character 7"), "metric", code="invisible-character"
        ),
        problem(
            3,
            6,
            invisible.format("U+202E RIGHT-TO-LEFT OVERRIDE at character 3 (2 in the cell)"),
            "note",
            code="invisible-character",
        ),
        problem(
            4,
            4,
            invisible.format("U+FEFF ZERO WIDTH NO-BREAK SPACE at character 2"),
            "label",
            code="invisible-character",
        ),
        problem(
            5,
            6,
            invisible.format("U+061C ARABIC LETTER MARK at character 1 (3 in the cell)"),
            "note",
            code="invisible-character",
        ),
    ]


def test_tatweel_only_in_identifier_and_code_fields(tmp_path) -> None:
    data = csv_text(
        row(metric="kil\u0640led"),
        row(fact_id="F-00\u064002"),
        row(fact_id="F-0003", label="كتيـــبة", quote="أكثـــر من 4000 قتيل", note="طويـــل"),
    )
    assert hygiene_of(make_package(tmp_path, data)) == [
        problem(
            2, 2, "tatweel (U+0640 ARABIC TATWEEL) at character 4 of an identifier or code", "metric", code="tatweel"
        ),
        problem(
            3, 1, "tatweel (U+0640 ARABIC TATWEEL) at character 5 of an identifier or code", "fact_id", code="tatweel"
        ),
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_cells_a_spreadsheet_would_run_as_formulas(tmp_path, start) -> None:
    data = csv_text(row(note=f"{start}SUM(A1:A9)"), row(fact_id="F-0002", value="-5"))  # numbers are typed: fine
    found = [p for p in hygiene_of(make_package(tmp_path, data)) if "formula" in p.message]
    msg = f"text cell starts with {start!r}: a spreadsheet would run it as a formula"
    assert found == [problem(2, 6, msg, "note", code="formula-cell")]


def test_problems_are_capped_per_field_and_kind(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(hygiene, "MAX_PER_KIND", 3)
    rows = [row(fact_id=f"F-{i:04d}", note=f"n{i} ", label="=x") for i in range(1, 7)]
    found = hygiene_of(make_package(tmp_path, csv_text(*rows)))
    notes = [p for p in found if p.field == "note"]
    assert notes == [
        *(problem(line, 6, "trailing whitespace ' ': strip it", "note", code="stray-space") for line in (2, 3, 4)),
        problem(
            5, 6, "… and 3 more cells of this column with leading or trailing whitespace", "note", code="stray-space"
        ),
    ]
    labels = [p for p in found if p.field == "label"]
    assert labels[-1] == problem(
        5, 4, "… and 3 more cells of this column with a formula-like start", "label", code="formula-cell"
    )
    assert len(found) == 8


def test_hygiene_problems_reach_the_report_and_fail_validation(tmp_path, capsys) -> None:
    descriptor = make_package(tmp_path, csv_text(row(metric="killed ")))
    report = validate(descriptor)
    assert problem(2, 2, "trailing whitespace ' ': strip it", "metric", code="stray-space") in report.problems
    assert not report.ok
    assert main(["validate", str(descriptor)]) == 1
    assert "data/t.csv:2:2: trailing whitespace ' ': strip it" in capsys.readouterr().out


def test_duplicate_and_extra_header_columns_do_not_break_the_check(tmp_path) -> None:
    text = "fact_id,metric,metric,value,label,quote,note,extra\nF-0001,killed, x,1,a,b,c,=d\n"
    found = hygiene_of(make_package(tmp_path, text))
    assert (
        Problem(PATH, 2, 3, "hygiene", "leading whitespace ' ': strip it", "metric", "t", code="stray-space") in found
    )
    formula = "text cell starts with '=': a spreadsheet would run it as a formula"
    assert Problem(PATH, 2, 8, "hygiene", formula, "extra", "t", code="formula-cell") in found


def test_large_table_is_checked_in_one_vectorised_pass(tmp_path) -> None:
    rows = [row(fact_id=f"F-{i:04d}") for i in range(1, 10_000)]
    rows[5000][5] = "trailing "
    found = hygiene_of(make_package(tmp_path, csv_text(*rows)))
    assert found == [problem(5002, 6, "trailing whitespace ' ': strip it", "note", code="stray-space")]


def test_characters_looked_for_inside_cells_are_outside_ascii() -> None:
    # The prefilter scans only cells with a non-ASCII character for them.
    suspects = [int(cp, 16) for cp in re.findall(r"\\x\{([0-9A-F]+)\}", hygiene._nfc_suspects())]
    assert len(suspects) > 100 and min(suspects) >= 0x80
    assert all(ord(ch) >= 0x80 for ch in hygiene.INVISIBLE + hygiene.TATWEEL)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=20))
def test_every_text_not_in_nfc_is_found(texts) -> None:
    found = pl.Series(texts, dtype=pl.String).str.contains(hygiene._nfc_suspects()).to_list()
    for text, suspect in zip(texts, found, strict=True):
        assert suspect or unicodedata.is_normalized("NFC", text), ascii(text)


# --- arbitrary input never breaks validation, and validation never writes -------------------------------------------


def copy_real_package(dest: Path) -> Path:
    return copy_package(dest)


RESOURCES = sorted(p.name for p in (ROOT / "data").glob("*.csv"))


def put_cell(path: Path, line: int, column: int, cell: str | bytes) -> None:
    """Write ``cell`` into a data row: text goes in CSV-quoted, bytes replace the raw field as they are."""
    data = path.read_bytes()
    if isinstance(cell, str):
        records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        if len(records) < 2:
            records.append([""] * len(records[0]))
        rec = records[1 + line % (len(records) - 1)]
        rec[column % len(rec)] = cell
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(records)
        path.write_bytes(out.getvalue().encode("utf-8", errors="surrogatepass"))
    else:
        lines = data.split(b"\n")
        i = 1 + line % max(1, len(lines) - 2)
        fields = lines[i].split(b",")
        fields[column % len(fields)] = cell
        lines[i] = b",".join(fields)
        path.write_bytes(b"\n".join(lines))


CELLS = st.one_of(st.text(), st.binary(), st.sampled_from(["\ufeff", "\r", '"', '"\n', "=1", "\u200f", "\x00"]))
EDITS = st.tuples(st.sampled_from(RESOURCES), st.integers(0, 200), st.integers(0, 40), CELLS)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=1, max_size=3))
def test_arbitrary_cells_never_break_validation_or_write(edits) -> None:
    """One to three arbitrary cells anywhere; one validation through the command line, its report captured."""
    with tempfile.TemporaryDirectory() as tmp:
        descriptor = copy_real_package(Path(tmp))
        for resource, line, column, cell in sorted(edits, key=lambda e: isinstance(e[3], bytes)):  # text first
            put_cell(descriptor.parent / "data" / resource, line, column, cell)
        before = snapshot(descriptor.parent)
        reports: list[Report] = []

        def validate_and_keep(*args, **kwargs) -> Report:
            reports.append(validate(*args, **kwargs))
            return reports[-1]

        out, err = io.StringIO(), io.StringIO()
        with (
            mock.patch.object(validate_module, "validate", validate_and_keep),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(["validate", str(descriptor), "--format", "json"])
        assert snapshot(descriptor.parent) == before, "validation wrote into the package"
        if code == 2:  # unusable input: one line naming where, never a traceback
            assert err.getvalue().startswith("error: ") and "Traceback" not in err.getvalue()
            return
        [report] = reports
        assert isinstance(report, Report) and all(isinstance(p, Problem) for p in report.problems)
        doc = json.loads(out.getvalue())
        assert code == (0 if report.ok else 1) and doc["valid"] is report.ok
        assert doc["problems"] == [p.record() for p in report.problems]


def test_validation_of_a_dirty_package_writes_nothing(tmp_path, capsys) -> None:
    descriptor = make_package(tmp_path, b"\xef\xbb\xbf" + csv_text(row(note="=x ")).encode())
    before = snapshot(tmp_path)
    assert main(["validate", str(descriptor)]) == 1
    capsys.readouterr()
    assert snapshot(tmp_path) == before


# --- unsafe resource paths: exit 2 with a clear message ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/etc/passwd", "is absolute"),
        ("../outside.csv", "leaves the package folder"),
        ("data/../../outside.csv", "leaves the package folder"),
        ("http://example.org/t.csv", "is a URL"),
        ("file:///etc/passwd", "is a URL"),
        ("data/missing.csv", "does not exist"),
    ],
)
def test_unsafe_resource_paths_exit_2(tmp_path, capsys, path, expected) -> None:
    (tmp_path / "outside.csv").write_text(csv_text(row()), encoding="utf-8")
    descriptor = make_package(tmp_path / "pkg", csv_text(row()), resource_path=path)
    assert main(["validate", str(descriptor)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: datapackage.json: resources[0] (t): ")
    assert expected in err and repr(path) in err and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
@pytest.mark.parametrize("link", ["data/t.csv", "data"])
def test_symlinked_resource_or_folder_exits_2(tmp_path, capsys, link) -> None:
    outside = tmp_path / "outside"
    make_package(outside, csv_text(row()))
    descriptor = make_package(tmp_path / "pkg", csv_text(row()))
    target = tmp_path / "pkg" / link
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    target.symlink_to(outside / link)
    assert main(["validate", str(descriptor)]) == 2
    err = capsys.readouterr().err
    assert "goes through a symlink, which is refused" in err and "Traceback" not in err


def test_oversized_resource_exits_2(tmp_path, capsys) -> None:
    descriptor = make_package(tmp_path, csv_text(row()))
    with (tmp_path / PATH).open("r+b") as fh:
        fh.truncate(package.MAX_RESOURCE_BYTES + 1)  # sparse: no disk space used, nothing read
    assert main(["validate", str(descriptor)]) == 2
    err = capsys.readouterr().err
    assert f"over the limit of {package.MAX_RESOURCE_BYTES} bytes" in err and "Traceback" not in err


def test_oversized_resource_exits_2_with_a_patched_limit(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(package, "MAX_RESOURCE_BYTES", 64)
    descriptor = make_package(tmp_path, csv_text(row(), row(fact_id="F-0002")))
    size = (tmp_path / PATH).stat().st_size
    assert main(["validate", str(descriptor)]) == 2
    err = capsys.readouterr().err
    assert f"file 'data/t.csv' is {size} bytes, over the limit of 64 bytes" in err and "Traceback" not in err


def test_descriptor_hash_and_bytes_must_match_the_files(tmp_path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    costs = descriptor.parent / "data" / "costs.csv"
    costs.write_bytes(costs.read_bytes().replace(b"about 500 billion", b"about 501 billion"))
    found = [p for p in validate(descriptor).problems if p.check == "hygiene"]
    assert [(p.path, p.field, p.resource) for p in found] == [("datapackage.json", "hash", "costs")]
    assert found[0].message.startswith("resource 'costs': the file's sha256 is ")
    assert found[0].message.endswith("; run rehash")
    costs.write_bytes(costs.read_bytes() + b"\n")
    found = [p for p in validate(descriptor).problems if p.check == "hygiene"]
    assert [p.field for p in found] == ["bytes", "hash"]
