"""The claims family: a row's qualifier and claim type agree with the words around its figure.

The words are read with the package's own cue lexicon (data/cues.csv); the sentences here are composed for these
tests, and the integration tests break one seed row at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixtures.content.package_copy import PackageCopy, run_real
from iraq_war_facts.arabic import find_mentions
from iraq_war_facts.checks import claims
from iraq_war_facts.cues import Lexicon, lexicon

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return lexicon(ROOT / "datapackage.json")


def judged(lex: Lexicon, paragraph: str, quote: str, **row: Any) -> list[tuple[str, str]]:
    """(field, code) of each problem ``judge`` finds for a row citing ``quote`` of ``paragraph``."""
    cells = {"quote": quote, "qualifier": "exact", "claim_type": "reported", **row}
    return [(f, c) for f, c, _ in claims.judge(lex, paragraph, find_mentions(paragraph), cells)]


PARAGRAPH = (
    "وقال المتحدث إن نحو 2500 جندي ما زالوا في البلاد، وإن أكثر من 300 قاعدة أغلقت، "
    "وأصيب 45 عنصراً على الأقل في الهجوم. ومن المقرر أن يغادر 1200 مستشار بحلول الصيف."
)


@pytest.mark.parametrize(
    ("quote", "value", "qualifier", "expected"),
    [
        ("نحو 2500 جندي", "2500", "approximately", []),
        ("نحو 2500 جندي", "2500", "exact", [("qualifier", "hedge-disagrees")]),
        ("نحو 2500 جندي", "2500", "more_than", [("qualifier", "hedge-disagrees")]),
        ("أكثر من 300 قاعدة", "300", "more_than", []),
        ("أكثر من 300 قاعدة", "300", "at_least", [("qualifier", "hedge-disagrees")]),
        ("45 عنصراً على الأقل", "45", "at_least", []),  # a hedge after the figure
        ("45 عنصراً على الأقل", "45", "exact", [("qualifier", "hedge-disagrees")]),
        ("يغادر 1200 مستشار", "1200", "approximately", [("qualifier", "hedge-missing")]),
        ("يغادر 1200 مستشار", "1200", "up_to", [("qualifier", "hedge-missing")]),
        ("يغادر 1200 مستشار", "1200", "range", []),  # no cues for ranges: not compared
    ],
)
def test_the_qualifier_is_compared_with_the_hedge_beside_the_figure(
    lex: Lexicon, quote: str, value: str, qualifier: str, expected: list[tuple[str, str]]
) -> None:
    row = {"value": value, "qualifier": qualifier, "claim_type": "planned"}
    assert judged(lex, PARAGRAPH, quote, **row) == expected


def test_a_hedge_outside_the_quote_but_in_its_clause_counts(lex: Lexicon) -> None:
    assert judged(lex, PARAGRAPH, "2500 جندي", value="2500", qualifier="approximately") == []


def test_a_hedge_of_another_figure_does_not_count(lex: Lexicon) -> None:
    paragraph = "قتل أكثر من 40 مسلحاً و12 جندياً في المعارك."
    assert judged(lex, paragraph, "و12 جندياً", value="12") == []
    assert judged(lex, paragraph, "و12 جندياً", value="12", qualifier="more_than") == [("qualifier", "hedge-missing")]


def test_the_longer_cue_wins(lex: Lexicon) -> None:
    paragraph = "وعدد المتعاقدين لا يتجاوز 900 شخص."
    assert judged(lex, paragraph, "لا يتجاوز 900 شخص", value="900", qualifier="up_to") == []
    assert judged(lex, paragraph, "لا يتجاوز 900 شخص", value="900", qualifier="more_than") == [
        ("qualifier", "hedge-disagrees")
    ]


def test_a_hedge_carrying_a_clitic_and_diacritics_is_read(lex: Lexicon) -> None:
    paragraph = "وقُدِّرت الخسائر بِنَحْوِ 70 مليون دولار."
    assert judged(lex, paragraph, "بِنَحْوِ 70 مليون دولار", value="70000000") == [("qualifier", "hedge-disagrees")]


def test_less_than_is_a_qualifier_with_its_own_hedges(lex: Lexicon) -> None:
    paragraph = "وبقي في القاعدة أقل من 200 جندي."
    assert judged(lex, paragraph, "أقل من 200 جندي", value="200", qualifier="less_than") == []
    assert judged(lex, paragraph, "أقل من 200 جندي", value="200", qualifier="up_to") == [
        ("qualifier", "hedge-disagrees")
    ]


def test_a_future_claim_recorded_as_reported(lex: Lexicon) -> None:
    assert judged(lex, PARAGRAPH, "يغادر 1200 مستشار", value="1200") == [("claim_type", "future-claim-reported")]
    assert judged(lex, PARAGRAPH, "يغادر 1200 مستشار", value="1200", claim_type="planned") == []
    paragraph = "وسوف تنسحب 800 آلية من القاعدة."
    assert judged(lex, paragraph, "800 آلية", value="800") == [("claim_type", "future-claim-reported")]


def test_the_past_beside_a_future_clause_is_not_flagged(lex: Lexicon) -> None:
    paragraph = "قتل 30 جندياً منذ بداية العام، ومن المقرر أن يصل 500 آخرون."
    assert judged(lex, paragraph, "قتل 30 جندياً", value="30") == []


def test_a_figure_the_quote_does_not_state_is_left_to_the_citations_family(lex: Lexicon) -> None:
    assert judged(lex, PARAGRAPH, "نحو 2500 جندي", value="2600") == []
    assert judged(lex, PARAGRAPH, "ليس في الفقرة", value="2500") == []


# -- the family over a package ---------------------------------------------------------------------------------


def test_the_real_claims_hold(seeds_dir: Path) -> None:
    assert run_real("claims", seeds_dir) == []


@pytest.fixture
def copy(tmp_path: Path, seeds_dir: Path) -> PackageCopy:
    return PackageCopy(tmp_path, seeds_dir)


def found(copy: PackageCopy) -> list[tuple[str, int | None, int | None, str]]:
    return [(p.path, p.line, p.column, p.code) for p in copy.run("claims")]


def test_each_problem_points_at_its_row_and_field(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0001", qualifier="exact")  # «حوالي 500 مليار دولار»
    copy.set("troops", "TRP-0004", qualifier="approximately")  # no hedge
    copy.set("troops", "TRP-0006", claim_type="reported")  # «سيبقى»
    header = (ROOT / "data" / "troops.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    q, c = header.index("qualifier") + 1, header.index("claim_type") + 1
    assert found(copy) == [
        ("data/costs.csv", 2, q, "hedge-disagrees"),
        ("data/troops.csv", 5, q, "hedge-missing"),
        ("data/troops.csv", 7, c, "future-claim-reported"),
    ]


def test_a_new_cue_in_the_data_is_read_without_code(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0004", qualifier="approximately")
    assert [code for *_, code in found(copy)] == ["hedge-missing"]
    paragraph_word = _word_before(copy, "TRP-0004")
    copy.append("cues", "approximately", cue=paragraph_word, position="before")
    assert found(copy) == []


def _word_before(copy: PackageCopy, fact_id: str) -> str:
    """The word right before the figure of a troops row's quote, in its paragraph (made a cue by the test)."""
    ctx = copy.context()
    row = next(r for r in ctx.tables["troops"].raw.iter_rows(named=True) if r["fact_id"] == fact_id)
    source = next(r for r in ctx.tables["sources"].raw.iter_rows(named=True) if r["source_id"] == row["source_id"])
    assert copy.seeds is not None
    text = (copy.seeds / source["file"]).read_text(encoding="utf-8")
    paragraph = [line for line in text.split("\n") if line.strip()][int(row["paragraph"]) - 1]
    m = next(m for m in find_mentions(paragraph) if row["quote"].find(m.text) >= 0)
    return paragraph[: m.start].split()[-1]


def test_without_cues_the_family_finds_nothing(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0001", qualifier="exact")
    header = (copy.root / "data" / "cues.csv").read_text(encoding="utf-8").splitlines()[0]
    (copy.root / "data" / "cues.csv").write_text(header + "\n", encoding="utf-8")
    assert found(copy) == []


def test_every_row_repeating_a_disagreement_is_reported_at_its_own_line(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0001", qualifier="exact")
    copy.append("costs", "CST-0001", fact_id="CST-0099")
    lines = (copy.root / "data" / "costs.csv").read_text(encoding="utf-8").splitlines()
    assert [(line, code) for _, line, _, code in found(copy)] == [
        (2, "hedge-disagrees"),
        (len(lines), "hedge-disagrees"),
    ]


def test_a_paragraph_that_is_not_a_number_is_left_to_the_schema_family(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0001", qualifier="exact", paragraph="one")
    assert found(copy) == []
