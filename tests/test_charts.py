"""Charts: both languages, fixed size, alt text embedded, an index of the ids drawn, reproducible bytes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
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
        assert png.info["Description"] == e["alt"] and png.info["Title"] == e["title"]
        assert "Software" not in png.info and "Creation Time" not in png.info
        svg = (charts_dir / e["svg"]).read_text(encoding="utf-8")
        assert 'width="1152pt" height="648pt" viewBox="0 0 1152 648"' in svg
        assert f'xml:lang="{e["lang"]}"' in svg
        assert f"<desc>{_xml(e['alt'])}</desc>" in svg and f"<title>{_xml(e['title'])}</title>" in svg
        assert "<dc:date>" not in svg and "<text" not in svg  # no clock; glyphs drawn as paths


def test_alt_text_is_in_the_chart_s_language_and_plain_unicode(index: list[dict[str, Any]]) -> None:
    for e in index:
        assert len(e["alt"]) > 100
        assert bool(ARABIC.search(e["alt"])) == (e["lang"] == "ar"), e["svg"]
        assert not PRESENTATION_FORMS.search(e["alt"] + e["title"]), e["svg"]
        for fid in e["fact_ids"][:3]:
            assert fid in e["alt"] or e["chart"] in ("deaths", "discrepancies")


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


def test_drawing_twice_gives_the_same_bytes(analysis) -> None:
    outputs = []
    with style.context():
        for _ in range(2):
            drawn = DRAWERS["discrepancies"].draw(analysis, analysis.charts["discrepancies"], "ar")
            svg, png = io.BytesIO(), io.BytesIO()
            drawn.fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
            drawn.fig.savefig(png, format="png", metadata={"Software": None})
            outputs.append((svg.getvalue(), png.getvalue()))
    assert outputs[0] == outputs[1]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
