"""What the outputs say, read from the files a report build writes: the right id beside the right figure, the wording of
every qualifier in both languages, the order of every table, and every id a chart claims to draw drawn in it.

The expectations come from the data files and from the wording the codebook defines, never from the analysis: a bug
in the analysis or the report must show here, not be copied into the expectation.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from helpers import rows
from iraq_war_facts import report
from iraq_war_facts.model import id_key
from iraq_war_facts.wording import format_claim, format_number

pytestmark = pytest.mark.slow(4)

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
TOPICS = [r["name"] for r in DESCRIPTOR["resources"] if isinstance(r.get("x-facts"), dict)]
SVG = "{http://www.w3.org/2000/svg}"

# The hedge of each qualifier as the reader sees it: {} is the figure, {low} and {high} a range's bounds.
HEDGES = {
    "en": {
        "exact": "{}",
        "approximately": "about {}",
        "more_than": "more than {}",
        "at_least": "at least {}",
        "up_to": "up to {}",
        "less_than": "less than {}",
        "range": "{low}–{high}",
        "indefinite": "at least {low} (indefinite plural)",
    },
    "ar": {
        "exact": "{}",
        "approximately": "حوالي {}",
        "more_than": "أكثر من {}",
        "at_least": "{} على الأقل",
        "up_to": "حتى {}",
        "less_than": "أقل من {}",
        "range": "بين {low} و{high}",
        "indefinite": "{low} على الأقل (جمع غير محدد)",
    },
}


def _num(cell: str) -> float | None:
    return float(cell) if cell else None


def _facts() -> dict[str, dict[str, Any]]:
    """Every fact row of the data, with its topic, its least (lo) and greatest (hi) figure."""
    out = {}
    for topic in TOPICS:
        for r in rows(ROOT / "data" / f"{topic}.csv"):
            value, low, high = _num(r["value"]), _num(r["value_low"]), _num(r["value_high"])
            lo = value if value is not None else low
            hi = value if value is not None else high if high is not None else low
            out[r["fact_id"]] = {**r, "topic": topic, "value": value, "value_low": low, "value_high": high}
            out[r["fact_id"]] |= {"lo": lo, "hi": hi}
    return out


FACTS = _facts()


def quantity(fid: str) -> tuple[int, str, str, str]:
    f = FACTS[fid]
    return TOPICS.index(f["topic"]), f["metric"], f["party"], f["unit"]


def expected_claim(f: dict[str, Any], lang: str) -> str:
    hedge = HEDGES[lang][f["qualifier"]]
    unit = f["unit"]
    low, high = format_number(f["value_low"], unit, lang), format_number(f["value_high"], unit, lang)
    return hedge.replace("{}", format_number(f["value"], unit, lang)).format(low=low, high=high)


@pytest.fixture(scope="module")
def out(analysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One report build. The PNG copies of the charts are not drawn (nothing here reads pixels; they cost seconds)."""
    import matplotlib.figure

    folder = tmp_path_factory.mktemp("outputs") / "reports"
    savefig = matplotlib.figure.Figure.savefig

    def svg_only(self, fname, *args, **kwargs):
        if kwargs.get("format") == "png":
            Path(fname).write_bytes(b"")
            return None
        return savefig(self, fname, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matplotlib.figure.Figure, "savefig", svg_only)
        report.build(analysis, folder)
    return folder


# -- readers -------------------------------------------------------------------------------------------------------


def md_tables(text: str, heading: str) -> list[list[list[str]]]:
    """The pipe tables under ``heading`` (up to the next heading), as rows of cells, each link as its text."""
    lines = text.split("\n")
    start = lines.index(heading)
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if current is None:
                current = []
                tables.append(current)
            elif not set("".join(cells)) <= set("-|"):
                current.append([re.sub(r"\[`([^`]+)`\]\([^)]*\)", r"\1", c).replace("\\$", "$") for c in cells])
        else:
            current = None
    return tables


class _Tables(HTMLParser):
    """Every table of a page after the element of ``id`` start: rows of cell texts."""

    def __init__(self, start: str | None) -> None:
        super().__init__()
        self.on = start is None
        self.start = start
        self.tables: list[list[list[str]]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.on and dict(attrs).get("id") == self.start:
            self.on = True
        if not self.on:
            return
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None and self.tables:
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_tables(path: Path, start: str | None = None) -> list[list[list[str]]]:
    """The tables of a page (after the element whose id is ``start``), each a list of rows, header row first."""
    parser = _Tables(start)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


IDS = re.compile(r"\b(?:[A-Z]{3}-\d{4}|DRV-(?:REL-)?\d{4}|EVT-\d{4}|src-\d{3})\b")


def ids(cell: str) -> list[str]:
    return IDS.findall(cell)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- the right id beside the right figure --------------------------------------------------------------------------


def extremes(fact_ids: list[str]) -> tuple[str, str]:
    """The fact with the least figure and the one with the greatest (lowest id first on a tie)."""
    least = min((f for f in fact_ids if FACTS[f]["lo"] is not None), key=lambda f: (FACTS[f]["lo"], id_key(f)))
    most = min((f for f in fact_ids if FACTS[f]["hi"] is not None), key=lambda f: (-FACTS[f]["hi"], id_key(f)))
    return least, most


def test_the_summary_names_beside_each_least_and_greatest_figure_the_fact_that_states_it(out: Path) -> None:
    [table] = md_tables((out / "summary.md").read_text(encoding="utf-8"), "### At a glance")
    assert table
    for quantity_, claims, _sources, least, greatest, _span in table:
        least_id, most_id = extremes(ids(claims))
        assert ids(least) == [least_id], (quantity_, least)
        assert ids(greatest) == [most_id], (quantity_, greatest)
        unit = FACTS[least_id]["unit"]
        assert (
            least.startswith(format_number(FACTS[least_id]["lo"], unit))
            or expected_claim(FACTS[least_id], "en") in least
        ), (quantity_, least)
        assert format_number(FACTS[most_id]["hi"], unit) in greatest, (quantity_, greatest)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_key_numbers_name_beside_each_least_and_greatest_figure_the_fact_that_states_it(
    out: Path, lang: str
) -> None:
    page = out / "index.html" if lang == "en" else out / "ar" / "index.html"
    table = html_tables(page, "key-numbers")[0][1:]
    assert table
    for quantity_, least, greatest, claims, _sources in table:
        least_id, most_id = extremes(ids(claims))
        assert ids(least) == [least_id], (quantity_, least)
        assert ids(greatest) == [most_id], (quantity_, greatest)
        unit = FACTS[least_id]["unit"]
        assert format_number(FACTS[least_id]["lo"], unit, lang) in least, (quantity_, least)
        assert format_number(FACTS[most_id]["hi"], unit, lang) in greatest, (quantity_, greatest)


def test_the_summary_table_names_the_facts_of_its_least_and_greatest_figures(out: Path) -> None:
    table = csv_rows(out / "tables" / "summary.csv")
    assert table
    for r in table:
        least_id, most_id = extremes(r["fact_ids"].split())
        assert (r["min_fact"], float(r["min"])) == (least_id, FACTS[least_id]["lo"])
        assert (r["max_fact"], float(r["max"])) == (most_id, FACTS[most_id]["hi"])


def _derived_values(out: Path) -> dict[str, float]:
    return {r["derived_id"]: float(r["value"]) for r in csv_rows(out / "tables" / "derived.csv") if r["value"]}


def test_each_discrepancy_names_the_fact_of_its_greatest_and_of_its_least_figure(out: Path) -> None:
    derived = _derived_values(out)
    table = csv_rows(out / "tables" / "discrepancies.csv")
    assert table
    for r in table:
        figures = {f: (FACTS[f]["lo"], FACTS[f]["hi"]) for f in r["fact_ids"].split()}
        figures |= {d: (derived[d], derived[d]) for d in r["derived_ids"].split()}
        least = min(figures, key=lambda i: (figures[i][0], i))
        most = min(figures, key=lambda i: (-figures[i][1], i))
        assert (r["low_id"], float(r["low"])) == (least, figures[least][0])
        assert (r["high_id"], float(r["high"])) == (most, figures[most][1])


@pytest.mark.parametrize("heading", ["## Discrepancies", "### Differences of scope"])
def test_each_spread_in_the_summary_puts_each_figure_beside_its_own_fact(out: Path, heading: str) -> None:
    [table] = md_tables((out / "summary.md").read_text(encoding="utf-8"), heading)
    assert table
    for quantity_, claims, spread, _differs in table:
        listed = [i for i in ids(claims) if i in FACTS]
        least, most = extremes(listed)
        unit = FACTS[least]["unit"]
        high_text, low_text = spread.split(" = ", 1)[1].split(" / ")
        assert high_text == f"{format_number(FACTS[most]['hi'], unit)} {most}", quantity_
        assert low_text == f"{format_number(FACTS[least]['lo'], unit)} {least}", quantity_


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("section", ["disagree", "scope"])
def test_each_spread_on_the_overview_puts_each_figure_beside_its_own_fact(out: Path, lang: str, section: str) -> None:
    page = out / "index.html" if lang == "en" else out / "ar" / "index.html"
    table = html_tables(page, section)[0]
    header, body = table[0], table[1:]
    assert body
    claims_at, spread_at = 1, header.index("spread" if lang == "en" else "التفاوت")
    for r in body:
        listed = [i for i in ids(r[claims_at]) if i in FACTS]
        least, most = extremes(listed)
        unit = FACTS[least]["unit"]
        spread = r[spread_at]
        high = spread.index(format_number(FACTS[most]["hi"], unit, lang))
        low = spread.index(format_number(FACTS[least]["lo"], unit, lang))
        assert spread.index(most, high) < (low if low > high else len(spread)), spread
        assert spread.index(least, low) < (high if high > low else len(spread)), spread


# -- the wording of every qualifier ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("qualifier", list(HEDGES["en"]))
def test_every_qualifier_has_its_own_words(qualifier: str, lang: str) -> None:
    point = qualifier not in ("range", "indefinite")
    row = {
        "qualifier": qualifier,
        "unit": "persons",
        "value": 4000.0 if point else None,
        "value_low": None if point else 3000.0,
        "value_high": 5000.0 if qualifier == "range" else None,
    }
    expected = {
        "en": {
            "exact": "4,000",
            "approximately": "about 4,000",
            "more_than": "more than 4,000",
            "at_least": "at least 4,000",
            "up_to": "up to 4,000",
            "less_than": "less than 4,000",
            "range": "3,000–5,000",
            "indefinite": "at least 3,000 (indefinite plural)",
        },
        "ar": {
            "exact": "4,000",
            "approximately": "حوالي 4,000",
            "more_than": "أكثر من 4,000",
            "at_least": "4,000 على الأقل",
            "up_to": "حتى 4,000",
            "less_than": "أقل من 4,000",
            "range": "بين 3,000 و5,000",
            "indefinite": "3,000 على الأقل (جمع غير محدد)",
        },
    }
    assert format_claim(row, lang) == expected[lang][qualifier]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_fact_is_written_with_its_qualifiers_words_in_the_table_of_facts(out: Path, lang: str) -> None:
    page = out / "facts.html" if lang == "en" else out / "ar" / "facts.html"
    body = html_tables(page, "facts")[0][1:]
    shown = {r[0]: r[3] for r in body}
    assert {fid: shown.get(fid) for fid in FACTS} == {fid: expected_claim(f, lang) for fid, f in FACTS.items()}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_fact_page_states_the_claim_with_its_qualifiers_words(out: Path, lang: str) -> None:
    folder = out / "fact" if lang == "en" else out / "ar" / "fact"
    for fid, f in FACTS.items():
        text = (folder / f"{fid}.html").read_text(encoding="utf-8")
        assert f": {expected_claim(f, lang)}{',' if lang == 'en' else '،'}" in text, fid


# -- the order of every table ----------------------------------------------------------------------------------------


def test_the_quantities_follow_the_topics_then_metric_party_and_unit(out: Path) -> None:
    summary = csv_rows(out / "tables" / "summary.csv")
    keys = [quantity(r["fact_ids"].split()[0]) for r in summary]
    assert len(keys) == len(set(keys)) > 1
    assert keys == sorted(keys)
    [table] = md_tables((out / "summary.md").read_text(encoding="utf-8"), "### At a glance")
    assert [quantity(ids(r[1])[0]) for r in table] == keys
    overview = html_tables(out / "index.html", "key-numbers")[0][1:]
    assert [quantity(ids(r[3])[0]) for r in overview] == keys


def test_the_claims_of_each_topic_are_in_id_order(out: Path) -> None:
    text = (out / "summary.md").read_text(encoding="utf-8")
    headings = [line for line in text.split("\n") if line.startswith("## ")]
    seen = 0
    for heading in headings:
        tables = md_tables(text, heading)
        for table in tables:
            if table and table[0] and table[0][0] in FACTS and len(table[0]) == 9:
                listed = [r[0] for r in table]
                topic = FACTS[listed[0]]["topic"]
                assert listed == sorted((f for f in FACTS if FACTS[f]["topic"] == topic), key=id_key), heading
                seen += 1
    assert seen == len(TOPICS)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_table_of_facts_lists_facts_by_topic_and_id_then_derived_figures_then_events(out: Path, lang: str) -> None:
    page = out / "facts.html" if lang == "en" else out / "ar" / "facts.html"
    listed = [r[0] for r in html_tables(page, "facts")[0][1:]]
    facts = sorted(FACTS, key=lambda f: (TOPICS.index(FACTS[f]["topic"]), id_key(f)))
    relations = [f"DRV-{r['relation_id']}" for r in rows(ROOT / "data" / "relations.csv")]
    derived = relations + [r["derived_id"] for r in rows(ROOT / "data" / "derived.csv")]
    events = sorted((r["event_id"] for r in rows(ROOT / "data" / "events.csv")), key=id_key)
    assert listed == facts + derived + events


def test_the_machine_readable_tables_keep_their_declared_order(out: Path) -> None:
    relations = [r["relation_id"] for r in csv_rows(out / "tables" / "relations.csv")]
    assert (
        relations
        == sorted(relations, key=id_key)
        == sorted(r["relation_id"] for r in rows(ROOT / "data" / "relations.csv"))
    )
    derived = [r["derived_id"] for r in csv_rows(out / "tables" / "derived.csv")]
    implied = [f"DRV-{r['relation_id']}" for r in rows(ROOT / "data" / "relations.csv")]
    assert derived == implied + [r["derived_id"] for r in rows(ROOT / "data" / "derived.csv")]
    spread = csv_rows(out / "tables" / "discrepancies.csv")
    keys = [(TOPICS.index(r["topic"]), r["metric"], r["party"], r["unit"], r["scope"], r["start"]) for r in spread]
    assert keys == sorted(keys)


def test_the_differences_of_scope_follow_the_topics_then_metric_and_party(out: Path) -> None:
    [table] = md_tables((out / "summary.md").read_text(encoding="utf-8"), "### Differences of scope")
    keys = [quantity(ids(r[1])[0]) for r in table]
    assert len(keys) > 1 and keys == sorted(keys)


def test_the_data_quality_tables_are_sorted(out: Path) -> None:
    text = (out / "summary.md").read_text(encoding="utf-8")
    [per_source] = md_tables(text, "### Facts per source")
    keys = [(r[0], TOPICS.index(r[1])) for r in per_source]
    assert len(keys) > 1 and keys == sorted(keys)
    for heading in ("### Qualifiers (hedges)", "### Claim types", "### Numbers not tabulated"):
        [table] = md_tables(text, heading)
        codes = [r[0].strip("`") for r in table]
        assert len(codes) > 1 and codes == sorted(codes), heading
        for r in table:
            listed = ids(r[-1]) or r[-1].replace("`", "").split()
            assert listed == sorted(listed, key=id_key), heading


# -- every id a chart claims to draw is drawn ------------------------------------------------------------------------


def drawn_text(svg: Path) -> set[str]:
    """The text drawn in a chart: its <text> elements, not its title, description or metadata."""
    tree = ET.parse(svg)
    return {"".join(el.itertext()).strip() for el in tree.iter(f"{SVG}text")}


def test_every_id_a_chart_claims_is_drawn_in_it(out: Path) -> None:
    index = json.loads((out / "charts" / "index.json").read_text(encoding="utf-8"))
    assert index["charts"]
    for entry in index["charts"]:
        claimed = [*entry["fact_ids"], *entry["derived_ids"], *entry["event_ids"]]
        assert claimed, entry["svg"]
        drawn = drawn_text(out / "charts" / entry["svg"])
        assert [i for i in claimed if i not in drawn] == [], entry["svg"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_troops_chart_draws_the_planned_claims(out: Path, lang: str) -> None:
    planned = [r["fact_id"] for r in rows(ROOT / "data" / "troops.csv") if r["claim_type"] == "planned"]
    assert planned
    drawn = drawn_text(out / "charts" / f"troops-{lang}.svg")
    assert [f for f in planned if f not in drawn] == []
