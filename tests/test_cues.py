"""The cue lexicon: what the words around a figure say about it, read from the package's cues (data, not code).

Sentences are composed for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iraq_war_facts.arabic import find_mentions
from iraq_war_facts.checks.base import Table
from iraq_war_facts.cues import Lexicon, lexicon
from iraq_war_facts.package import load
from iraq_war_facts.reading import read_table

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return lexicon(ROOT / "datapackage.json")


def around(lex: Lexicon, text: str, figure: str) -> dict[str, object]:
    """What the lexicon reads around the mention whose text is ``figure``."""
    mentions = find_mentions(text)
    m = next(m for m in mentions if m.text == figure)
    return {
        "qualifier": lex.qualifier(text, m, mentions),
        "claim_type": lex.claim_type(text, m, mentions),
        "unit": lex.unit(text, m, mentions),
        "metric": lex.metric(text, m, mentions),
        "attribution": lex.attribution(text, m),
    }


def test_a_hedge_an_estimate_a_unit_and_a_named_source(lex: Lexicon) -> None:
    text = "وقدّرت المنظمة الدولية للهجرة عدد النازحين بنحو 1.6 مليون شخص."
    assert around(lex, text, "1.6 مليون") == {
        "qualifier": ("approximately", "بنحو"),
        "claim_type": ("estimated", "وقدّرت"),
        "unit": "persons",
        "metric": "displaced",
        "attribution": ("iom", "المنظمة الدولية للهجرة"),
    }


def test_an_attribution_phrase_without_a_known_name_gives_the_words_after_it(lex: Lexicon) -> None:
    text = "قتل 12 جندياً في الهجوم، بحسب مصادر في وزارة الداخلية العراقية."
    assert around(lex, text, "12")["attribution"] == (None, "مصادر في وزارة الداخلية العراقية")


def test_no_attribution_is_the_article_s_own_voice(lex: Lexicon) -> None:
    assert around(lex, "وأغلقت القوات 3 قواعد.", "3")["attribution"] == (None, None)


def test_each_figure_reads_its_own_hedge(lex: Lexicon) -> None:
    text = "قتل أكثر من 40 مسلحاً و12 جندياً على الأقل، وأصيب نحو 70 مدنياً."
    assert [around(lex, text, f)["qualifier"] for f in ("40", "12", "70")] == [
        ("more_than", "أكثر من"),
        ("at_least", "على الأقل"),
        ("approximately", "نحو"),
    ]


def test_the_hedge_stops_at_the_clause(lex: Lexicon) -> None:
    text = "كان العدد أكثر من ذلك، و500 جندي بقوا في القاعدة."
    assert around(lex, text, "500")["qualifier"] == (None, None)


def test_a_future_marker_anywhere_before_the_figure_in_its_clause(lex: Lexicon) -> None:
    text = "ومن المقرر أن تنسحب القوات المتبقية، وعددها 2500 جندي، بحلول نهاية العام."
    assert around(lex, text, "2500")["claim_type"] == (None, None)  # another clause
    text = "ومن المقرر أن يغادر العراق 2500 جندي بحلول نهاية العام."
    assert around(lex, text, "2500")["claim_type"] == ("planned", "ومن المقرر")


def test_a_counted_noun_gives_unit_and_metric(lex: Lexicon) -> None:
    text = "وشنت الفصائل 300 هجوم على القواعد، وكلفت الحرب 2 تريليون دولار."
    assert (around(lex, text, "300")["unit"], around(lex, text, "300")["metric"]) == ("attacks", "attacks_launched")
    assert (around(lex, text, "2 تريليون")["unit"], around(lex, text, "2 تريليون")["metric"]) == ("USD", "cost")


def test_cues_come_from_the_data() -> None:
    """A cue added to the cues table is read; one whose code the codebook lacks is ignored."""
    pkg = load(ROOT / "datapackage.json")
    tables: dict[str, Table] = {}
    for name in ("cues", "codebook"):
        table = read_table(pkg.resources[name])[0]
        assert table is not None
        tables[name] = table
    text = "وبلغ عدد القتلى قرابة 900 شخص حسب التقرير."
    mentions = find_mentions(text)
    before = Lexicon.from_tables(tables)
    assert before.qualifier(text, mentions[0], mentions) == ("approximately", "قرابة")
    cues = tables["cues"].raw.filter(tables["cues"].raw["cue"] != "قرابة")
    tables["cues"] = Table(tables["cues"].resource, cues, cues, tables["cues"].lines, tables["cues"].header)
    assert Lexicon.from_tables(tables).qualifier(text, mentions[0], mentions) == (None, None)
    assert Lexicon.from_tables({"cues": tables["cues"]}).cues == ()


def test_a_contrast_opens_a_new_clause(lex: Lexicon) -> None:
    text = "وقدّرت الوزارة الكلفة بنحو 88 مليار دولار في حين لم يتجاوز ما تعهد به المانحون 30 مليار دولار."
    assert around(lex, text, "88 مليار")["claim_type"] == ("estimated", "وقدّرت")
    assert around(lex, text, "30 مليار")["claim_type"] == (None, None)
    assert around(lex, text, "30 مليار")["qualifier"] == ("up_to", "لم يتجاوز")


def test_a_named_source_in_the_figure_s_own_clause_comes_first(lex: Lexicon) -> None:
    text = "بلغت الكلفة 3 تريليونات دولار بحسب ستيغليتز، بينما قدرتها جامعة براون بنحو 1.9 تريليون دولار."
    assert around(lex, text, "1.9 تريليون")["attribution"] == (None, None)
    assert around(lex, text, "3 تريليونات")["attribution"] == ("stiglitz_bilmes", "ستيغليتز")
