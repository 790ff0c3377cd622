"""Hostile or careless cells: what the generated formats embed."""

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

from iraq_war_facts import exports
from iraq_war_facts.checks import hygiene
from iraq_war_facts.checks.base import Problem, Table
from iraq_war_facts.package import load
from iraq_war_facts.reading import read_table
from iraq_war_facts.report import document
from iraq_war_facts.report.document import Arabic, Bullets, Code, Figure, Heading, Link, Para, Strong

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
