"""Charts: both languages, fixed size, text as text, every id drawn a link to its page, alt text, reproducible bytes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from PIL import Image

from conftest import ROOT
from helpers import rows
from iraq_war_facts.charts import DRAWERS, style

ARABIC = re.compile(r"[\u0600-\u06FF]")
PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]")  # what a reshaper would produce


@pytest.fixture(scope="module")
def charts_dir() -> Path:
    """The committed charts: test_report shows that a fresh build gives them byte for byte."""
    return ROOT / "reports" / "charts"


@pytest.fixture(scope="module")
def index(charts_dir: Path) -> list[dict[str, Any]]:
    return json.loads((charts_dir / "index.json").read_text(encoding="utf-8"))["charts"]


def test_every_chart_in_english_and_arabic(index: list[dict[str, Any]]) -> None:
    names = [r["chart"] for r in rows(ROOT / "data" / "charts.csv")]
    assert {"troops", "deaths", "costs", "displacement", "discrepancies"} <= set(names)
    assert sorted((e["chart"], e["lang"]) for e in index) == sorted((n, lang) for n in names for lang in ("en", "ar"))


def test_files_have_the_fixed_size_and_embedded_alt_text(charts_dir: Path, index: list[dict[str, Any]]) -> None:
    for e in index:
        png = Image.open(charts_dir / e["png"])
        assert png.size == (1600, 900) == (e["width"], e["height"])
        assert png.info["Description"] == e["description"] and png.info["Title"] == e["title"]
        assert "Software" not in png.info and "Creation Time" not in png.info
        svg = (charts_dir / e["svg"]).read_text(encoding="utf-8")
        assert 'width="1152pt" height="648pt" viewBox="0 0 1152 648"' in svg
        assert f'xml:lang="{e["lang"]}"' in svg
        assert f"<desc>{_xml(e['description'])}</desc>" in svg and f"<title>{_xml(e['title'])}</title>" in svg
        assert "<dc:date>" not in svg and "DejaVuSans-" not in svg  # no clock; no glyph outlines


SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _texts(svg: Path) -> tuple[list[str], dict[str, set[tuple[str, str]]]]:
    """Every <text> of an SVG, and for each text inside a link: the (href, target) of its links."""
    tree = ET.parse(svg)
    texts = [(t.text or "") for t in tree.iter(f"{SVG}text")]
    linked: dict[str, set[tuple[str, str]]] = {}
    for a in tree.iter(f"{SVG}a"):
        for t in a.iter(f"{SVG}text"):
            linked.setdefault(t.text or "", set()).add((a.get(XLINK, ""), a.get("target", "")))
    return texts, linked


def test_every_id_the_index_claims_is_drawn_as_text_and_links_to_its_page(
    charts_dir: Path, index: list[dict[str, Any]]
) -> None:
    for e in index:
        texts, linked = _texts(charts_dir / e["svg"])
        edition = "../ar/" if e["lang"] == "ar" else "../"
        claimed = e["fact_ids"] + e["event_ids"] + e["derived_ids"]
        assert claimed, e["svg"]
        for ident in claimed:
            assert ident in texts, (e["svg"], ident)
            assert linked.get(ident) == {(f"{edition}fact/{ident}.html", "_top")}, (e["svg"], ident)
        assert any(re.search(r"[A-Za-z]{4}", t) for t in texts)  # words are text, selectable and searchable
        assert bool(any(ARABIC.search(t) for t in texts)) == (e["lang"] == "ar"), e["svg"]


def test_svg_text_names_its_font_with_fallbacks_and_reads_right_to_left_where_arabic(charts_dir: Path) -> None:
    svg = (charts_dir / "troops-ar.svg").read_text(encoding="utf-8")
    fonts = set(re.findall(r"font-family: ([^;\"]*)", svg))
    assert fonts == {style.FONT_STACK} and style.FONT_STACK.startswith("'DejaVu Sans'")
    assert style.FONT_STACK.endswith("sans-serif")
    for match in re.finditer(r'<text style="([^"]*)"[^>]*>([^<]*)</text>', svg):
        css, content = match.groups()
        assert ("direction: rtl" in css) == (style.strong(content) == "R"), content


def test_finish_svg_sets_direction_and_keeps_the_anchor_where_matplotlib_put_it() -> None:
    def text(css: str, content: str) -> str:
        return f'<text style="font-family: x; {css}" x="1">{content}</text>'

    got = style.finish_svg(
        '<a xlink:href="p" target="_blank">'
        + text("text-anchor: start", "مرحبا 12")
        + text("text-anchor: end", "\u200f: 5%")
        + text("text-anchor: middle", "عربي")
        + "</a>"
        + text("text-anchor: start", "TRP-0001 عربي")
        + '<text style="font-family: x" transform="translate(1 2)">سطر</text>'
    )
    styles = re.findall(r'style="([^"]*)"', got)
    assert styles[0].endswith("text-anchor: end; direction: rtl")
    assert styles[1].endswith("text-anchor: start; direction: rtl")
    assert styles[2].endswith("text-anchor: middle; direction: rtl")
    assert "direction" not in styles[3]  # its first strong character is Latin: left to right, as matplotlib laid it
    assert styles[4].endswith("text-anchor: end; direction: rtl")  # a line placed by its left edge
    assert 'target="_top"' in got and "_blank" not in got
    assert all(f"font-family: {style.FONT_STACK}" in css for css in styles)


def test_alt_text_is_short_in_the_chart_s_language_and_plain_unicode(index: list[dict[str, Any]]) -> None:
    for e in index:
        assert 100 < len(e["alt"]) <= 250, e["svg"]
        assert len(e["description"]) > len(e["alt"]) and e["description"].startswith(e["alt"][:8])
        for text in (e["alt"], e["description"]):
            assert bool(ARABIC.search(text)) == (e["lang"] == "ar"), e["svg"]
            assert not PRESENTATION_FORMS.search(text + e["title"]), e["svg"]
        for fid in e["fact_ids"][:3]:
            assert fid in e["description"] or e["chart"] == "deaths"


def test_index_lists_ids_that_exist(index: list[dict[str, Any]], analysis) -> None:
    facts = {r["fact_id"] for t in analysis.model.topic_codes for r in rows(ROOT / "data" / f"{t}.csv")}
    events = {r["event_id"] for r in rows(ROOT / "data" / "events.csv")}
    derived = set(analysis.derived["derived_id"])
    for e in index:
        assert e["fact_ids"] and set(e["fact_ids"]) <= facts, e["svg"]
        assert set(e["event_ids"]) <= events and set(e["derived_ids"]) <= derived
    troops = next(e for e in index if e["chart"] == "troops")
    assert troops["fact_ids"] == sorted(r["fact_id"] for r in rows(ROOT / "data" / "troops.csv"))
    assert len(troops["event_ids"]) == 6
    deaths = next(e for e in index if e["chart"] == "deaths")
    assert {"DRV-0001", "DRV-0002", "DRV-0003", "DRV-0004"} <= set(deaths["derived_ids"])
    costs = next(e for e in index if e["chart"] == "costs")
    assert "DRV-REL-0006" in costs["derived_ids"]


def test_footer_names_sources_credits_and_licence(analysis) -> None:
    data = analysis
    facts = data.topic_facts("costs").to_dicts()
    en = style.footer_lines(data, facts, "en")
    assert en[0].startswith("Sources: src-000 (publisher unknown, 2007); src-001")
    assert "Joseph Stiglitz and Linda Bilmes" in en[1] and en[1].endswith("The article itself.")
    ar = style.footer_lines(data, facts, "ar")
    assert ar[0].startswith("المصادر: ") and "جوزيف ستيغليتز وليندا بيلميز" in ar[1]
    assert style.licence_line(data) == f"CC BY 4.0 · iraq-war-facts v{data.version}"


def test_palette_is_okabe_ito() -> None:
    assert set(style.PARTY_COLOURS.values()) <= set(style.OKABE_ITO.values())


def test_drawing_twice_gives_the_same_bytes(analysis, tmp_path: Path) -> None:
    outputs = []
    with style.context():
        for run in ("a", "b"):
            drawn = DRAWERS["discrepancies"].draw(analysis, analysis.charts["discrepancies"], "ar")
            outputs.append([p.read_bytes() for p in style.save(drawn, tmp_path / run)])
    assert outputs[0] == outputs[1]


@pytest.fixture(scope="module")
def troops(analysis) -> dict[str, Figure]:
    with style.context():
        figs = {lang: DRAWERS["troops"].draw(analysis, analysis.charts["troops"], lang).fig for lang in style.LANGS}
        for fig in figs.values():
            fig.canvas.draw()
    return figs


@pytest.mark.parametrize("lang", style.LANGS)
def test_no_leader_line_strikes_through_a_label(troops: dict[str, Figure], lang: str) -> None:
    fig = troops[lang]
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    leaders = [a for a in fig.findobj(Annotation) if a.arrow_patch is not None and a.arrowprops["arrowstyle"] == "-"]
    assert leaders, "the troops chart pushes at least one label off its point"
    for leader in leaders:
        vertices = leader.arrow_patch.get_path().vertices
        (x0, y0), (x1, y1) = vertices[0], vertices[-1]
        for step in range(1, 20):
            x, y = x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20
            hit = [t.get_text() for t, box in zip(texts, boxes, strict=True) if box.shrunk(0.98, 0.8).contains(x, y)]
            assert not hit, f"a leader line crosses {hit}"


def test_place_labels_keeps_leaders_clear_of_a_crowded_column() -> None:
    """Five labels on three nearly equal points (made up): every leader stays right of the labels it was pushed by."""
    with style.context():
        fig = Figure(figsize=(8, 4), dpi=style.DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        labels = [
            style.Label(9.0 - i * 0.05, 5.0 - i * 0.01, f"A label of some length {i} · X-{i}", "left") for i in range(5)
        ]
        placed = style.place_labels(ax, labels, {f"X-{i}": f"x{i}.html" for i in range(5)}, "en", gap_px=20, pad_px=24)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        right = max(t.get_window_extent(renderer).x1 for p in placed for t in p.texts)
        leaders = [a for a in fig.findobj(Annotation) if not a.get_text() and a.arrow_patch is not None]
        assert len(leaders) >= 4  # all but the first are pushed down
        for leader in leaders:
            assert leader.arrow_patch.get_path().vertices[:, 0].min() >= right - 1
        assert {t.get_url() for p in placed for t in p.texts} == {None, *(f"x{i}.html" for i in range(5))}


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # made-up ids and Arabic: ids apart, pieces placed from the right, a Latin run read left to right
        ("نسبة AAA-0001 إلى AAA-0002: 5%", ["\u200f: 5%", "AAA-0002", "إلى", "AAA-0001", "نسبة"]),
        ("AAA-0003 = AAA-0001 + AAA-0002", ["AAA-0003", "=", "AAA-0001", "+", "AAA-0002"]),
        ("قتلى 12 · AAA-0001، جرحى", ["، جرحى", "AAA-0001", "قتلى 12 ·"]),
        ("المصدر: AAA-0001 (Some Paper، مارس 2020)؛", ["\u200f(Some Paper، مارس 2020)؛", "AAA-0001", "المصدر:"]),
        ("12 · AAA-0001", ["12 ·", "AAA-0001"]),
    ],
)
def test_arabic_lines_are_laid_out_right_to_left_around_their_ids(line: str, shown: list[str]) -> None:
    urls = {f"AAA-000{i}": f"../ar/fact/AAA-000{i}.html" for i in range(1, 4)}
    pieces = style.visual_order(style.segments(line, urls), rtl=True)
    assert [p.text.replace("\u200e", "") for p in pieces] == shown
    assert [p.url for p in pieces if p.url] == [urls[t] for t in shown if t in urls]


def test_segments_keep_the_blanks_between_pieces() -> None:
    urls = {"AAA-0001": "a", "AAA-0002": "b"}
    got = style.segments("Sources: AAA-0001 (x, 2007); AAA-0002:5 end", urls)
    assert [(g.text, g.url, g.space) for g in got] == [
        ("Sources:", None, True),
        ("AAA-0001", "a", True),
        ("(x, 2007);", None, True),
        ("AAA-0002", "b", False),
        (":5 end", None, False),
    ]
    assert [g.text for g in style.segments("not-an-id AAA-0003", urls)] == ["not-an-id AAA-0003"]


@pytest.mark.parametrize("width", [200, 420, 900])
def test_footers_wrap_at_separators_never_inside_brackets(width: int) -> None:
    with style.context():
        fig = Figure(figsize=(10, 2), dpi=style.DPI)
        FigureCanvasAgg(fig)
        text = (
            "المصادر: AAA-0001 (ناشر غير معروف، 6 يوليو 2016 أو بعده)؛ AAA-0002 (Some Paper, Dec 2021)؛ AAA-0003 (x)."
        )
        lines = style.wrap(fig, text, width, 10.5, style.SEPARATORS)
    assert " ".join(lines).replace("  ", " ") == text
    assert all(line.count("(") == line.count(")") for line in lines), lines
    if width >= 420:  # wide enough for each source: every line ends at a separator or the end
        assert all(line.endswith(("؛", ".")) for line in lines), lines


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
