"""The completeness family: every numeric mention of the source texts is covered by a row; the mentions listing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from fixtures.content.package_copy import PackageCopy, run_real
from iraq_war_facts.arabic import find_mentions
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.checks.completeness import coverage, figures_text, list_mentions
from iraq_war_facts.cli import main

SRC_000 = "000_de2bcf38c8cc421b.txt"
SRC_003 = "003_5dec3c8138754089.txt"


def uncovered(line: int, message: str) -> Problem:
    """An uncovered mention, located on a source's row, field file (column 2)."""
    return Problem("data/sources.csv", line, 2, "completeness", message, "file", "sources", code="uncovered-mention")


@pytest.fixture
def copy(tmp_path: Path, seeds_dir: Path) -> PackageCopy:
    return PackageCopy(tmp_path, seeds_dir)


def test_the_real_package_covers_every_mention(seeds_dir: Path) -> None:
    assert run_real("completeness", seeds_dir) == []


def test_a_number_without_its_not_tabulated_row(copy: PackageCopy) -> None:
    copy.drop("not_tabulated", "NTB-0003")
    assert copy.run("completeness") == [
        uncovered(
            2,
            "uncovered numeric mention '4' in src-000 paragraph 3: "
            "«…قوات التحالف لم تتمكن في غضون 4 سنوات من تنفيذ المهمات الاستر…»",
        ),
    ]


def test_a_fact_covers_only_the_figure_it_records(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0004", value="150000")
    assert copy.run("completeness") == [
        uncovered(
            4,
            "uncovered numeric mention '160 ألفاً' in src-002 paragraph 8: "
            "«…مقارنة بالقوة التي بلغ قوامها 160 ألفاً عند احتلال العراق عام 2003.»",
        ),
    ]


def test_an_event_quote_covers_the_numbers_of_its_date(copy: PackageCopy) -> None:
    copy.drop("events", "EVT-0001")
    assert copy.run("completeness") == [
        uncovered(
            3, "uncovered numeric mention '20' in src-001 paragraph 1: «في فجر 20 مارس عام 2003 قام الأمريكيون …»"
        ),
        uncovered(
            3,
            "uncovered numeric mention '2003' in src-001 paragraph 1: "
            "«في فجر 20 مارس عام 2003 قام الأمريكيون بإحتلال العراق…»",
        ),
    ]


def test_a_quote_covers_only_the_mention_inside_it(copy: PackageCopy) -> None:
    # Paragraph 3 of src-000 says "thousands" twice; each occurrence needs its own quote.
    copy.drop("casualties", "CAS-0003")
    assert copy.run("completeness") == [
        uncovered(
            2,
            "uncovered numeric mention 'وآلاف' in src-000 paragraph 3: "
            "«…0 قتيل من الجنود وآلاف الجرحى وآلاف الفارين من الخدمة وحالات الهل…»",
        ),
    ]


def test_a_number_added_to_a_text(copy: PackageCopy) -> None:
    path = copy.text(SRC_003)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[6] += " وقتل 12 جنديا."  # paragraph 4
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = copy.run("completeness")
    assert len(problems) == 1
    assert problems[0].location() == "data/sources.csv:5:2"
    assert problems[0].message.startswith("uncovered numeric mention '12' in src-003 paragraph 4: «…")
    assert problems[0].message.endswith(" وقتل 12 جنديا.»")


def test_a_quote_that_is_not_verbatim_is_one_problem_not_two(copy: PackageCopy) -> None:
    """The citations family reports the quote; its row still accounts for the figure it records."""
    copy.set("troops", "TRP-0004", quote="بلغ قوامها 160 ألفاً عند إحتلال العراق")  # a retyped hamza
    assert copy.run("completeness") == []
    assert [p.code for p in copy.run("citations")] == ["quote-not-in-source"]


def test_a_quote_cited_from_the_wrong_paragraph_is_one_problem_not_two(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0004", paragraph="7")
    assert copy.run("completeness") == []
    assert [p.code for p in copy.run("citations")] == ["quote-wrong-paragraph"]


def test_a_misquoted_row_covers_only_its_own_figure(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0004", quote="بلغ قوامها 160 ألفاً عند إحتلال العراق", value="150000")
    assert [p.code for p in copy.run("completeness")] == ["uncovered-mention"]


def test_unreadable_texts_are_left_to_the_citations_family(copy: PackageCopy) -> None:
    copy.text(SRC_000).unlink()
    assert copy.run("completeness") == []


# -- the mentions listing --------------------------------------------------------------


def test_list_mentions_of_a_text(seeds_dir: Path) -> None:
    lines = list_mentions(seeds_dir / SRC_000, 10)
    assert len(lines) == 9
    assert lines[0] == "1:106  500 مليار  500000000000  number  «…لغت حوالي 500 مليار دولار فإن…»"
    assert lines[6] == "3:479  وآلاف  ≥3000  indefinite  «…من الجنود وآلاف الجرحى وآ…»"


def test_an_indefinite_plural_shows_its_ceiling_where_the_words_give_one() -> None:
    assert [figures_text(m) for m in find_mentions("قتل بضعة آلاف وجرح آلاف")] == ["3000–9000", "≥3000"]


def test_list_mentions_shows_ranges_and_percentages(seeds_dir: Path) -> None:
    lines = list_mentions(seeds_dir / "001_73c791b717c232b2.txt", 0)
    assert "6:69  100 و150 ألف  100000–150000  range  «…100 و150 ألف…»" in lines
    assert "18:192  5.5 في المئة  5.5  percent  «…5.5 في المئة…»" in lines


def test_list_mentions_uncovered_by_the_real_package(seeds_dir: Path) -> None:
    for text in sorted(seeds_dir.glob("*.txt")):
        assert list_mentions(text, 30, covered_by=ROOT / "datapackage.json") == [], text.name


def test_list_mentions_uncovered_by_a_package_missing_a_row(copy: PackageCopy) -> None:
    copy.drop("not_tabulated", "NTB-0004")
    assert list_mentions(copy.text(SRC_000), 12, covered_by=copy.descriptor) == [
        "5:258  4  4  number  «…ول بعد مرور 4 سنوات على ب…»"
    ]


def test_a_new_article_has_every_mention_uncovered(tmp_path: Path) -> None:
    text = tmp_path / "new.txt"
    text.write_text("قتل 5 جنود وجرح ثلاثة آلاف\n\nفي عام 2020\n", encoding="utf-8")
    assert list_mentions(text, 5, covered_by=ROOT / "datapackage.json") == [
        "1:4  5  5  number  «قتل 5 جنود…»",
        "1:16  ثلاثة آلاف  3000  number  «…وجرح ثلاثة آلاف»",
        "2:7  2020  2020  number  «… عام 2020»",
    ]


def test_the_mentions_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "new.txt"
    text.write_text("بلغ عدد القتلى 4487 عسكريا\n", encoding="utf-8")
    assert main(["mentions", str(text), "--context", "3", "--uncovered"]) == 0
    assert capsys.readouterr().out == "1:15  4487  4487  number  «…لى 4487 عس…»\n"
    assert main(["mentions", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: cannot read" in capsys.readouterr().err


# -- rows that repeat a citation ----------------------------------------------------------


def test_rows_sharing_a_quote_cover_together_and_a_mention_is_reported_once(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0004", value="150000")
    copy.append("troops", "TRP-0004", fact_id="TRP-0007")
    message = (
        "uncovered numeric mention '160 ألفاً' in src-002 paragraph 8: "
        "«…مقارنة بالقوة التي بلغ قوامها 160 ألفاً عند احتلال العراق عام 2003.»"
    )
    assert copy.run("completeness") == [uncovered(4, message)]
    copy.append("troops", "TRP-0004", fact_id="TRP-0008", value="160000")
    assert copy.run("completeness") == []


def test_coverage_lists_each_cited_quote_once_with_the_figures_of_all_its_rows(copy: PackageCopy) -> None:
    quote = "القوة التي بلغ قوامها 160 ألفاً"
    copy.append("troops", "TRP-0004", fact_id="TRP-0007")
    copy.append("troops", "TRP-0004", fact_id="TRP-0008", value="150000")
    copy.append("troops", "TRP-0004", fact_id="TRP-0009", paragraph="")
    ctx = copy.context()
    covers = coverage(ctx.tables, {t.name for t in ctx.fact_tables})
    figures = frozenset({Decimal(150000), Decimal(160000)})
    assert [c for c in covers[("src-002", 8)] if c[0] == quote] == [(quote, figures)]
