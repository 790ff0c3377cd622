"""Hostile or careless cells: numbers that are not finite or out of range, control characters, carriage returns,
formula triggers in any field, wide headers, ragged rows in large files, and what the generated formats embed."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import copy_package
from iraq_war_facts import exports, reading
from iraq_war_facts.checks import hygiene
from iraq_war_facts.checks.base import Problem, Table
from iraq_war_facts.cli import main
from iraq_war_facts.package import load
from iraq_war_facts.reading import read_table
from iraq_war_facts.report import document
from iraq_war_facts.report.document import Arabic, Bullets, Code, Figure, Heading, Link, Para, Strong
from iraq_war_facts.validate import validate

FIELDS = [
    {"name": "id", "type": "string"},
    {"name": "value", "type": "number"},
    {"name": "count", "type": "integer"},
    {"name": "day", "type": "date"},
    {"name": "note", "type": "string"},
    {"name": "quote", "type": "string"},
]
HEADER = [f["name"] for f in FIELDS]
GOOD = {"id": "F-1", "value": "4000", "count": "3", "day": "2004-05-06", "note": "A note.", "quote": "نص"}
PATH = "data/t.csv"


def row(**cells: str) -> list[str]:
    return [cells.get(name, GOOD[name]) for name in HEADER]


def csv_bytes(*rows: list[str], end: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=end).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def make_package(root: Path, data: bytes, fields: list[dict] | None = None) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / PATH).write_bytes(data)
    schema = {"fields": fields or FIELDS}
    desc = {"name": "tiny", "resources": [{"name": "t", "path": PATH, "schema": schema}]}
    (root / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    return root / "datapackage.json"


def read(tmp_path: Path, data: bytes, fields: list[dict] | None = None) -> tuple[Table | None, list[Problem]]:
    return read_table(load(make_package(tmp_path, data, fields)).resources["t"])


def hygiene_of(table: Table) -> list[Problem]:
    return sorted(hygiene.table_problems(table))


def schema_problem(line: int | None, column: int | None, message: str, field: str | None, *, code: str) -> Problem:
    return Problem(PATH, line, column, "schema", message, field, "t", code=code)


def hygiene_problem(line: int | None, column: int | None, message: str, field: str | None, *, code: str) -> Problem:
    return Problem(PATH, line, column, "hygiene", message, field, "t", code=code)


# --- numbers: finite and less than 10^15 in magnitude ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-inf", "Infinity", "-Infinity", "+INF"])
@pytest.mark.parametrize(("field", "column"), [("value", 2), ("count", 3)])
def test_non_finite_numbers_are_type_problems(tmp_path, text, field, column) -> None:
    table, problems = read(tmp_path, csv_bytes(row(), row(**{field: text})))
    message = f"type error: {text!r} is not a finite number"
    assert problems == [schema_problem(3, column, message, field, code="number-not-finite")]
    assert table is not None and table.frame[field].to_list()[1] is None


@pytest.mark.parametrize(
    ("field", "text", "why"),
    [
        ("value", "1e400", "out of range: beyond what a 64-bit float holds"),
        ("value", "-1.8e308", "out of range: beyond what a 64-bit float holds"),
        ("value", "1e309", "out of range: beyond what a 64-bit float holds"),
        ("value", "9" * 5000, "too long: a number is written in at most 100 characters"),
        ("value", "0" * 100 + "1", "too long: a number is written in at most 100 characters"),
        ("count", "0" * 100 + "1", "too long: a number is written in at most 100 characters"),
        ("count", "9" * 5000, "too long: a number is written in at most 100 characters"),
        ("count", "9223372036854775808", "out of range: an integer must lie between"),
        ("count", "-9223372036854775809", "out of range: an integer must lie between"),
    ],
)
def test_numbers_beyond_their_type_or_too_long_are_out_of_range(tmp_path, field, text, why) -> None:
    table, problems = read(tmp_path, csv_bytes(row(**{field: text})))
    [found] = problems
    column = HEADER.index(field) + 1
    assert (found.line, found.column, found.field, found.code) == (2, column, field, "number-out-of-range")
    assert found.message.startswith("type error: ") and why in found.message
    assert len(found.message) < 160  # a 5000-digit cell is shown cut
    assert table is not None and table.frame[field].to_list() == [None]


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("value", "1.7976931348623157e308", 1.7976931348623157e308),
        ("value", "-1.7976931348623157e308", -1.7976931348623157e308),
        ("value", "3000000000000000000000", 3e21),
        ("value", "0" * 99 + "1", 1.0),
        ("value", "1" + "0" * 99, 1e99),
        ("value", "-2.5", -2.5),
        ("value", "0", 0.0),
        ("count", "9223372036854775807", 9223372036854775807),
        ("count", "-9223372036854775808", -9223372036854775808),
        ("count", "0" * 99 + "1", 1),
    ],
)
def test_numbers_a_float64_or_int64_holds_are_read(tmp_path, field, text, value) -> None:
    table, problems = read(tmp_path, csv_bytes(row(**{field: text})))
    assert problems == []
    assert table is not None and table.frame[field].to_list() == [value]


def test_a_number_that_is_not_one_keeps_its_type_error(tmp_path) -> None:
    _, problems = read(tmp_path, csv_bytes(row(value="١٢"), row(count="1.5")))
    assert problems == [
        schema_problem(2, 2, "type error: '١٢' is not a valid number", "value", code="type-error"),
        schema_problem(3, 3, "type error: '1.5' is not a valid integer", "count", code="type-error"),
    ]


def test_a_non_finite_value_in_the_real_package_is_rejected_before_any_rule(tmp_path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    troops = descriptor.parent / "data" / "troops.csv"
    troops.write_bytes(
        troops.read_bytes().replace(
            b"TRP-0001,troops_deployed,coalition,150000,", b"TRP-0001,troops_deployed,coalition,-Infinity,"
        )
    )
    report = validate(descriptor)
    found = [p for p in report.problems if p.code not in ("hash-mismatch", "bytes-mismatch")]
    assert [(p.path, p.line, p.column, p.code) for p in found] == [
        ("data/troops.csv", 2, 4, "formula-cell"),  # it does not parse as a number, and starts with "-"
        ("data/troops.csv", 2, 4, "number-not-finite"),
    ]
    assert not report.ok


# --- type errors are capped like every other family -----------------------------------------------------------------


@pytest.mark.parametrize(("bad", "listed", "more"), [(2, 2, None), (3, 3, None), (4, 3, 1), (7, 3, 4)])
def test_type_errors_are_capped_per_field(tmp_path, monkeypatch, bad, listed, more) -> None:
    monkeypatch.setattr(reading, "CAP", 3)
    rows = [row(value="x", count="y" if i == 0 else "1") for i in range(bad)]
    _, problems = read(tmp_path, csv_bytes(*rows))
    values = [p for p in problems if p.field == "value"]
    expected = [
        schema_problem(line, 2, "type error: 'x' is not a valid number", "value", code="type-error")
        for line in range(2, 2 + listed)
    ]
    if more:
        expected.append(schema_problem(None, None, f"type error: … and {more} more rows", "value", code="type-error"))
    assert values == expected
    assert [p.line for p in problems if p.field == "count"] == [2]


# --- control characters -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "U+0000 NUL"),
        ("\x07", "U+0007 BEL"),
        ("\x1b", "U+001B ESC"),
        ("\x01", "U+0001 SOH"),
        ("\t", "U+0009 TAB"),
        ("\x7f", "U+007F DEL"),
        ("\x9b", "U+009B CSI"),
        ("\x85", "U+0085 NEL"),
    ],
)
@pytest.mark.parametrize(("field", "column"), [("note", 5), ("quote", 6), ("id", 1)])
def test_control_characters_in_any_text_cell(tmp_path, char, name, field, column) -> None:
    table, problems = read(tmp_path, csv_bytes(row(), row(**{field: f"ab{char}c{char}d"})))
    assert problems == []
    found = [p for p in hygiene_of(table) if p.code == "control-character"]
    message = f"control character {name} at character 3 (2 in the cell): delete it"
    assert found == [hygiene_problem(3, column, message, field, code="control-character")]


def test_line_breaks_inside_quoted_cells_are_not_control_characters(tmp_path) -> None:
    table, problems = read(
        tmp_path, csv_bytes(row(note="line one\nline two"), row(id="F-2", note="one\r\ntwo"), end="\r\n")
    )
    assert problems == [] and hygiene_of(table) == []
    assert table.lines == [2, 4]


def test_a_control_character_in_a_number_field_is_reported_by_both(tmp_path) -> None:
    table, problems = read(tmp_path, csv_bytes(row(value="4\x000")))
    assert [p.code for p in problems] == ["type-error"]
    assert [(p.line, p.column, p.code) for p in hygiene_of(table)] == [(2, 2, "control-character")]


# --- carriage returns -------------------------------------------------------------------------------------------


def test_a_stray_carriage_return_inside_a_row(tmp_path) -> None:
    data = csv_bytes(row(), row(id="F-2"), row(id="F-3")).replace(b"F-2,", b"F-2\r,")
    table, problems = read(tmp_path, data)
    message = "carriage return (CR) that does not end a line: delete it (lines end with LF or CRLF)"
    assert problems == [hygiene_problem(3, 1, message, "id", code="carriage-return")]
    assert table is not None and table.raw.height == 3


def test_carriage_returns_inside_quoted_and_multi_line_cells(tmp_path) -> None:
    data = csv_bytes(row(note="a\rb"), row(id="F-2", quote="one\ntwo,\rthree"), row(id="F-3", note="x\r\r"))
    _, problems = read(tmp_path, data)
    assert [(p.line, p.column, p.field, p.code) for p in problems] == [
        (2, 5, "note", "carriage-return"),
        (4, 6, "quote", "carriage-return"),
        (5, 5, "note", "carriage-return"),
    ]
    assert problems[-1].message == (
        "carriage return (CR) that does not end a line (2 in the cell): delete it (lines end with LF or CRLF)"
    )


def test_carriage_returns_are_capped(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(reading, "CAP", 2)
    _, problems = read(tmp_path, csv_bytes(*(row(id=f"F-{i}", note=f"a\r{i}") for i in range(5))))
    assert [(p.line, p.code) for p in problems] == [
        (2, "carriage-return"),
        (3, "carriage-return"),
        (None, "carriage-return"),
    ]
    assert problems[-1].message == "carriage return (CR) that does not end a line: … and 3 more"


def test_crlf_line_endings_are_fine(tmp_path) -> None:
    table, problems = read(tmp_path, csv_bytes(row(), row(id="F-2", note=""), end="\r\n"))
    assert problems == [] and table is not None and table.raw.height == 2


def test_carriage_return_line_endings_are_one_clear_problem(tmp_path, capsys) -> None:
    data = csv_bytes(row(), row(id="F-2"), end="\r")
    table, problems = read(tmp_path, data)
    message = "lines end with a carriage return alone (CR, old Mac line endings): save the file with LF line endings"
    assert (table, problems) == (None, [hygiene_problem(None, None, message, None, code="cr-line-endings")])
    assert main(["validate", str(tmp_path / "datapackage.json")]) == 1
    out = capsys.readouterr()
    assert f"{PATH}: {message}" in out.out and "Traceback" not in out.err


def test_a_carriage_return_inside_the_header(tmp_path) -> None:
    data = csv_bytes(row()).replace(b"id,value", b"id\r,value")
    table, problems = read(tmp_path, data)
    assert table is None
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 1, "carriage-return")]


@pytest.mark.parametrize(("header", "column"), [(b'"i\nd",value', 1), (b'id,"val\nue"', 2), (b'id,"value', 2)])
def test_a_line_break_or_open_quote_in_the_header(tmp_path, capsys, header, column) -> None:
    data = csv_bytes(row()).replace(b"id,value", header)
    table, problems = read(tmp_path, data)
    message = "the header row has a line break or an unclosed quote inside a quoted name: write the header on one line"
    assert (table, problems) == (None, [schema_problem(1, column, message, None, code="header-line-break")])
    assert main(["validate", str(tmp_path / "datapackage.json")]) == 1
    assert "Traceback" not in capsys.readouterr().err


# --- formula triggers in every field --------------------------------------------------------------------------------


def test_formula_triggers_in_fields_of_any_type_unless_they_parse_as_the_type(tmp_path) -> None:
    data = csv_bytes(
        row(value="=1+2", count="@SUM(A1)", day="-2004-05-06"),
        row(id="F-2", value="-5", count="-3", day="2004-05-06"),
        row(id="F-3", value="+5", count="+3"),
    )
    table, problems = read(tmp_path, data)
    assert {(p.line, p.field, p.code) for p in problems} == {
        (2, "value", "type-error"),
        (2, "count", "type-error"),
        (2, "day", "type-error"),
    }
    formulas = [(p.line, p.column, p.message) for p in hygiene_of(table) if p.code == "formula-cell"]
    start = "text cell starts with {!r}: a spreadsheet would run it as a formula"
    assert formulas == [(2, 2, start.format("=")), (2, 3, start.format("@")), (2, 4, start.format("-"))]


# --- wide headers and ragged rows -------------------------------------------------------------------------------


def test_a_header_of_20000_columns_is_read(tmp_path) -> None:
    names = [f"c{i}" for i in range(20_000)]
    fields = [{"name": n} for n in names]
    data = (",".join(names) + "\n" + ",".join("x" for _ in names) + "\n").encode()
    table, problems = read(tmp_path, data, fields)
    assert problems == [] and table is not None and table.raw.width == 20_000
    names[19_998] = "c2"
    table, problems = read(tmp_path, (",".join(names) + "\n" + ",".join("x" for _ in names) + "\n").encode(), fields)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 19_999, "duplicate header 'c2' (columns 3, 19999)")
    ]


@pytest.mark.parametrize("large", [False, True])
def test_short_and_long_rows_are_found_at_their_line(tmp_path, monkeypatch, large) -> None:
    if large:
        monkeypatch.setattr(reading, "LARGE", 16)
    rows = [row(id=f"F-{i}", note=f"note {i}") for i in range(40)]
    rows[3] = row(id="F-3", note="two\nlines, and a comma")
    text = csv_bytes(*rows).decode().splitlines(keepends=True)
    text[10] = "F-9,1,2\n"  # line 11 (row 3 spans two lines): short
    text[20] = text[20].rstrip("\n") + ",extra\n"  # line 21: long
    text[30] = "\n"  # line 31: blank
    _, problems = read(tmp_path, "".join(text).encode())
    assert [(p.line, p.column, p.code) for p in problems] == [
        (11, 4, "missing-cell"),
        (21, 7, "extra-cell"),
        (31, None, "blank-row"),
    ]


def test_row_shape_problems_are_capped(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(reading, "CAP", 2)
    data = csv_bytes(*(row(id=f"F-{i}") for i in range(6))).decode().replace(",A note.,نص\n", "\n").encode()
    _, problems = read(tmp_path, data)
    assert [(p.line, p.code) for p in problems] == [(2, "missing-cell"), (3, "missing-cell"), (None, "missing-cell")]
    assert problems[-1].message == "row has fewer cells than the header: … and 4 more rows"


CELL = st.text(st.sampled_from('ab,"\n '), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=8), st.booleans())
def test_field_counts_agree_with_the_csv_module(records, trailing_newline) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["h"], *records])
    data = out.getvalue().encode()
    if not trailing_newline:
        data = data.removesuffix(b"\n")
    expected = [max(len(r), 1) for r in csv.reader(io.StringIO(data.decode(), newline=""))][1:]
    for chunk in (3, 1 << 20):
        assert reading.field_counts(data, chunk).tolist() == expected


@pytest.mark.parametrize("data", [b"", b"a", b"\n", b'h\na,b\n\n"x\ny"\n', b"\n" * 10 + b"end"])
def test_newline_offsets_are_found_across_chunks(data) -> None:
    expected = [i for i, byte in enumerate(data) if byte == ord("\n")]
    for chunk in (1, 3, 1 << 20):
        assert reading.newline_offsets(data, chunk).tolist() == expected


# --- escaping in the generated documents ---------------------------------------------------------------------------


HOSTILE = {  # text -> how it shows, as text, in the HTML a Markdown renderer makes of it
    "<img src=x onerror=alert(1)>": "&lt;img src=x onerror=alert(1)&gt;",
    "![x](http://evil.example/x.png)": "![x](http://evil.example/x.png)",
    "[x](javascript:alert(1))": "[x](javascript:alert(1))",
    "[x]: javascript:alert(1)": "[x]: javascript:alert(1)",
    "`code` <b>bold</b> *em* _em_ ~~s~~ $x$": "`code` &lt;b&gt;bold&lt;/b&gt; *em* _em_ ~~s~~ $x$",
    "line\n\n<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
}


def markdown_html(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    md.validateLink = lambda url: True  # our escaping, not the renderer's, must stop the link
    return md.render(text)


def live_markup(rendered: str) -> list[str]:
    bad = ("<img", "<script", "<b>", "<em>", "<s>", "<code>", 'href="javascript', "<a ")
    return [b for b in bad if b in rendered]


@pytest.mark.parametrize(("text", "shown"), HOSTILE.items())
def test_markdown_embeds_text_as_text(text, shown) -> None:
    blocks = [
        Heading(1, text, "top"),
        Para([text, Strong(text), Arabic(text)]),
        Bullets([[text]]),
        document.Table([text], [[text], [[Arabic(text), Strong(text)]]]),
    ]
    rendered = markdown_html(document.render_markdown(blocks))
    assert live_markup(rendered) == []
    assert rendered.count(shown) == 9  # each time, as text


@pytest.mark.parametrize("text", ["a`b", "``x``", "`", "x ` y", " ` "])
def test_code_spans_hold_any_backticks(text) -> None:
    rendered = markdown_html(document.render_markdown([Para([Code(text), " after *x*"])]))
    assert rendered.count("<code>") == 1 and f"<code>{html.escape(text, quote=False)}</code>" in rendered
    assert "<em>" not in rendered


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
    ],
)
def test_links_with_other_schemes_are_text(href) -> None:
    blocks = [Para([Link("click", href)])]
    md = document.render_markdown(blocks)
    page = document.render_html(blocks, "t")
    assert "click" in md and "](" not in md and "<a " not in markdown_html(md)
    assert "<a href" not in page.split("<main>")[1]


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://example.org/a b(c)", "https://example.org/a%20b%28c%29"),
        ("http://example.org/?q=1&r=2#x", "http://example.org/?q=1&r=2#x"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("charts/index.json", "charts/index.json"),
        ("#consistency-checks", "#consistency-checks"),
    ],
)
def test_links_with_web_mail_or_relative_hrefs_stay(href, expected) -> None:
    blocks = [Para([Link("click", href)])]
    assert f'<a href="{html.escape(expected)}">click</a>' in markdown_html(document.render_markdown(blocks))
    assert f'<a href="{html.escape(expected)}">click</a>' in document.render_html(blocks, "t")


def test_figure_names_cannot_add_attributes() -> None:
    entry = {"lang": "en", "svg": 'x.svg" onmouseover="alert(1)', "png": 'x.png" onerror="alert(1)', "alt": "a"}
    entry |= {"width": 1, "height": 2, "title": "t", "fact_ids": [], "derived_ids": [], "event_ids": []}
    for out in (document.render_markdown([Figure(entry)]), document.render_html([Figure(entry)], "t")):
        assert '" onmouseover' not in out and '" onerror' not in out


# --- spreadsheets: formula triggers neutralised ---------------------------------------------------------------------


def test_text_cells_with_formula_triggers_are_prefixed_with_a_quote() -> None:
    from iraq_war_facts import spreadsheet

    frame = pl.DataFrame(
        {"text": ["=1+1", "+a", "-b", "@c", "\tx", "\rx", "ok", "a=b", None, ""], "n": [-1.0, *range(9)]}
    )
    safe = spreadsheet.neutralise(frame)
    assert safe["text"].to_list() == ["'=1+1", "'+a", "'-b", "'@c", "'\tx", "'\rx", "ok", "a=b", None, ""]
    assert safe["n"].to_list() == frame["n"].to_list()
    assert spreadsheet.neutralised("=x") == "'=x" and spreadsheet.neutralised("x") == "x"


def test_report_tables_are_written_neutralised(tmp_path) -> None:
    from iraq_war_facts import report

    frame = pl.DataFrame({"label": ['=HYPERLINK("http://x")', "fine"], "value": [-1, 2]})
    a = SimpleNamespace(
        summary=frame, derived=frame.with_columns(label_ar=pl.lit("x")), discrepancies=frame, relations=frame
    )
    report._tables(a, tmp_path)
    for name in ("summary", "derived", "discrepancies", "relations"):
        text = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert text.splitlines()[1] == '"\'=HYPERLINK(""http://x"")",-1', name


def test_xlsx_writes_formula_like_text_as_quoted_strings(tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    table, problems = read(tmp_path, csv_bytes(row(note='=HYPERLINK("http://x","y")', quote="-نص"), row(id="F-2")))
    assert problems == []
    path = exports.write_xlsx(
        [table], tmp_path / "out.xlsx", {"title": "=x"}, __import__("datetime").datetime(2020, 1, 1)
    )
    with zipfile.ZipFile(path) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
    sheet = openpyxl.load_workbook(path)["t"]
    note, quote, plain = sheet["E2"], sheet["F2"], sheet["E3"]
    assert (note.value, note.data_type, note.quotePrefix) == ('=HYPERLINK("http://x","y")', "s", True)
    assert (quote.value, quote.quotePrefix, quote.alignment.readingOrder) == ("-نص", True, 2)
    assert (plain.value, plain.quotePrefix) == ("A note.", False)
    assert sheet["B2"].value == 4000 and sheet["B2"].data_type == "n"


def test_json_export_of_a_whole_number_keeps_its_digits(tmp_path) -> None:
    table, _ = read(tmp_path, csv_bytes(row(value="999999999999999"), row(id="F-2", value="9" * 5000)))
    records = exports.records(table)
    assert [r["value"] for r in records] == [999999999999999, "9" * 5000]
