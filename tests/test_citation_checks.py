"""The citations family: texts match their fingerprints and every quote states its row's figure."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from fixtures.content.package_copy import PackageCopy, run_real
from iraq_war_facts.checks import citations
from iraq_war_facts.checks.base import Problem

SRC_001 = "001_73c791b717c232b2.txt"
SRC_004 = "004_37928d65db08ec21.txt"


def cite(path: str, line: int, column: int, field: str, message: str, *, code: str) -> Problem:
    resource = path.removeprefix("data/").removesuffix(".csv")
    return Problem(path, line, column, "citations", message, field, resource, code=code)


@pytest.fixture
def copy(tmp_path: Path, seeds_dir: Path) -> PackageCopy:
    return PackageCopy(tmp_path, seeds_dir)


def test_the_real_citations_hold(seeds_dir: Path) -> None:
    assert run_real("citations", seeds_dir) == []


# -- source texts ----------------------------------------------------------------


def test_a_missing_text(copy: PackageCopy) -> None:
    copy.text(SRC_004).unlink()
    assert copy.run("citations") == [
        cite(
            "data/sources.csv",
            6,
            2,
            "file",
            f"file {SRC_004} is not in the sources folder {copy.seeds}",
            code="source-file-missing",
        ),
    ]


def test_a_file_name_must_stay_inside_the_sources_folder(copy: PackageCopy) -> None:
    copy.set("sources", "src-004", file=f"../seeds/{SRC_004}")
    assert copy.run("citations") == [
        cite(
            "data/sources.csv",
            6,
            2,
            "file",
            f"file '../seeds/{SRC_004}' must be a plain file name inside the sources folder",
            code="source-file-name",
        ),
    ]


def test_an_altered_text_fails_its_sha256_and_size(copy: PackageCopy) -> None:
    path = copy.text(SRC_001)
    path.write_bytes(path.read_bytes() + b"\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert copy.run("citations") == [
        cite(
            "data/sources.csv",
            3,
            3,
            "text_sha256",
            f"sha256 of {SRC_001} is {digest}, text_sha256 says "
            "0c2ad64ae11eb5c8c74835a4ec71ff261b2786436453ce8c6ac99ac4a2a418da: the text has changed",
            code="source-text-mismatch",
        ),
        cite(
            "data/sources.csv", 3, 4, "bytes", f"{SRC_001} has 8486 bytes, bytes says 8485", code="source-text-mismatch"
        ),
    ]


def test_a_headline_that_is_not_verbatim(copy: PackageCopy) -> None:
    copy.set("sources", "src-004", headline="ما حقيقة الانسحاب الأميركي من العراق؟")
    assert copy.run("citations") == [
        cite(
            "data/sources.csv",
            6,
            6,
            "headline",
            f"headline is not verbatim in {SRC_004}",
            code="headline-not-in-source",
        ),
    ]


# -- quotes ------------------------------------------------------------------------


def test_a_quote_in_another_paragraph(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0005", paragraph="7")
    assert copy.run("citations") == [
        cite(
            "data/casualties.csv",
            6,
            26,
            "quote",
            "quote is not in src-001 paragraph 7; it is in paragraph 8",
            code="quote-wrong-paragraph",
        ),
    ]


def test_a_paragraph_that_does_not_exist(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0005", paragraph="99")
    assert copy.run("citations") == [
        cite(
            "data/casualties.csv",
            6,
            25,
            "paragraph",
            "paragraph 99 does not exist: src-001 has 20 paragraphs; the quote is in paragraph 8",
            code="paragraph-out-of-range",
        ),
    ]


def test_a_quote_that_is_nowhere_in_the_text(copy: PackageCopy) -> None:
    copy.set("events", "EVT-0001", quote="في فجر 21 مارس عام 2003")
    assert copy.run("citations") == [
        cite(
            "data/events.csv",
            2,
            11,
            "quote",
            "quote is not in src-001 paragraph 1 nor anywhere else in the text; "
            "closest in paragraph 1: «في فجر 20 مارس عام 2003»",
            code="quote-not-in-source",
        ),
    ]


TATWEEL, ZWNJ, RLM = "\u0640", "\u200c", "\u200f"


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda q: q.replace("فجر", "فجـر"), "the quote has U+0640 ARABIC TATWEEL, which the text lacks there"),
        (lambda q: q.replace("فجر ", "فجر" + ZWNJ + " "), "the quote has U+200C ZERO WIDTH NON-JOINER"),
        (lambda q: RLM + q, "the quote has U+200F RIGHT-TO-LEFT MARK"),
    ],
)
def test_an_invisible_character_that_differs_is_named(copy: PackageCopy, edit, named: str) -> None:
    quote = "في فجر 20 مارس عام 2003"
    copy.set("events", "EVT-0001", quote=edit(quote))
    [problem] = copy.run("citations")
    assert problem.code == "quote-not-in-source"
    assert f"closest in paragraph 1: «{quote}»" in problem.message
    assert named in problem.message


def test_an_invisible_character_of_the_text_the_quote_lacks_is_named() -> None:
    paragraph = "قال إن عدد القوات بلغ 160" + ZWNJ + " ألفاً في ذلك العام"
    message = citations.closest(paragraph, "عدد القوات بلغ 160 ألفاً")
    assert message == (
        "closest in paragraph: «عدد القوات بلغ 160" + ZWNJ + " ألفاً»; the text has U+200C ZERO WIDTH NON-JOINER there, "
        "which the quote lacks"
    )


def test_the_closest_span_of_a_retyped_quote() -> None:
    paragraph = "وأعلنت الوزارة أن إحتلال العراق كلف 802 مليار دولار حتى الآن"
    assert citations.closest(paragraph, "أن احتلال العراق كلف 802 مليار دولار") == (
        "closest in paragraph: «أن إحتلال العراق كلف 802 مليار دولار»"
    )


# -- figures -------------------------------------------------------------------------


def test_a_value_the_quote_does_not_state(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0004", value="150000")
    assert copy.run("citations") == [
        cite(
            "data/troops.csv",
            5,
            4,
            "value",
            "value 150000 is not stated in the quote (the quote states: 160000)",
            code="value-not-in-quote",
        ),
    ]


def test_range_bounds_are_checked_when_there_is_no_value(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0002", value_high="160000")
    copy.set("casualties", "CAS-0015", value_low="20")
    assert copy.run("citations") == [
        cite(
            "data/casualties.csv",
            16,
            5,
            "value_low",
            "value_low 20 is not stated in the quote (the quote states: 30)",
            code="value-not-in-quote",
        ),
        cite(
            "data/troops.csv",
            3,
            6,
            "value_high",
            "value_high 160000 is not stated in the quote (the quote states: 100000, 150000)",
            code="value-not-in-quote",
        ),
    ]


def test_literal_value_is_checked_instead_of_value(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0004", literal_value="3000000000000")
    assert copy.run("citations") == [
        cite(
            "data/costs.csv",
            5,
            28,
            "literal_value",
            "literal_value 3000000000000 is not stated in the quote (the quote states: 3000000000000000000000)",
            code="value-not-in-quote",
        ),
    ]


def test_a_quote_without_any_number(copy: PackageCopy) -> None:
    copy.set("operations", "OPS-0003", quote="وتتركز القوات في")
    assert copy.run("citations") == [
        cite(
            "data/operations.csv",
            4,
            4,
            "value",
            "value 3 is not stated in the quote (the quote states: none)",
            code="value-not-in-quote",
        ),
    ]


def test_numbers_are_compared_exactly_whatever_their_notation(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0005", value="1.432e10")
    copy.set("costs", "CST-0003", value="747600000000.0")
    assert copy.run("citations") == []
    copy.set("costs", "CST-0003", value="747600000001")
    assert [p.message for p in copy.run("citations")] == [
        "value 747600000001 is not stated in the quote (the quote states: 747600000000)"
    ]


def test_not_tabulated_value_and_mention(copy: PackageCopy) -> None:
    copy.set("not_tabulated", "NTB-0001", value="5", mention="خمس")
    assert copy.run("citations") == [
        cite(
            "data/not_tabulated.csv", 2, 4, "mention", "mention 'خمس' is not in the quote", code="mention-not-in-quote"
        ),
        cite(
            "data/not_tabulated.csv",
            2,
            5,
            "value",
            "value 5 is not stated in the quote (the quote states: 4)",
            code="value-not-in-quote",
        ),
    ]


def test_event_quotes_are_located_but_carry_no_figure(copy: PackageCopy) -> None:
    copy.set("events", "EVT-0004", quote="وأعلن بوش", quote_en="and Bush announced")
    assert copy.run("citations") == []


def test_each_distinct_quote_is_parsed_once(copy: PackageCopy, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = citations.mentions_values

    def counting(text: str) -> set:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(citations, "mentions_values", counting)
    citations.quote_values.cache_clear()
    copy.append("troops", "TRP-0004", fact_id="TRP-0007")
    copy.append("troops", "TRP-0004", fact_id="TRP-0008")
    assert copy.run("citations") == []
    assert parsed.count("القوة التي بلغ قوامها 160 ألفاً") == 1
    assert len(parsed) == len(set(parsed))
    citations.quote_values.cache_clear()


def test_paragraphs_are_the_non_empty_lines() -> None:
    assert citations.paragraphs("a\n\n  \nb\r\nc") == ["a", "b\r", "c"]


# -- rows that repeat a citation ----------------------------------------------------------


def test_every_row_that_repeats_a_bad_quote_is_reported_at_its_own_line(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0005", paragraph="7")
    copy.append("casualties", "CAS-0005", fact_id="CAS-0016")
    copy.append("casualties", "CAS-0005", fact_id="CAS-0017")
    message = "quote is not in src-001 paragraph 7; it is in paragraph 8"
    assert copy.run("citations") == [
        cite("data/casualties.csv", line, 26, "quote", message, code="quote-wrong-paragraph") for line in (6, 17, 18)
    ]


def test_rows_sharing_a_quote_are_each_judged_by_their_own_paragraph(copy: PackageCopy) -> None:
    copy.append("casualties", "CAS-0005", fact_id="CAS-0016", paragraph="7")
    copy.append("casualties", "CAS-0005", fact_id="CAS-0017")
    assert copy.run("citations") == [
        cite(
            "data/casualties.csv",
            17,
            26,
            "quote",
            "quote is not in src-001 paragraph 7; it is in paragraph 8",
            code="quote-wrong-paragraph",
        ),
    ]


def test_rows_sharing_a_quote_are_each_judged_by_their_own_figure(copy: PackageCopy) -> None:
    copy.append("troops", "TRP-0004", fact_id="TRP-0007", value="150000")
    copy.append("troops", "TRP-0004", fact_id="TRP-0008")
    copy.append("troops", "TRP-0004", fact_id="TRP-0009", value="150000")
    message = "value 150000 is not stated in the quote (the quote states: 160000)"
    assert copy.run("citations") == [
        cite("data/troops.csv", line, 4, "value", message, code="value-not-in-quote") for line in (8, 10)
    ]


def test_rows_sharing_a_quote_are_each_judged_by_their_own_mention(copy: PackageCopy) -> None:
    copy.append("not_tabulated", "NTB-0001", mention_id="NTB-0901", mention="خمس")
    copy.append("not_tabulated", "NTB-0001", mention_id="NTB-0902")
    assert copy.run("citations") == [
        cite(
            "data/not_tabulated.csv", 24, 4, "mention", "mention 'خمس' is not in the quote", code="mention-not-in-quote"
        ),
    ]


def test_a_row_without_a_usable_paragraph_is_not_located(copy: PackageCopy) -> None:
    # The schema family reports the empty and the non-integer paragraph; the twin with a paragraph is still checked.
    copy.set("casualties", "CAS-0005", paragraph="")
    copy.append("casualties", "CAS-0005", fact_id="CAS-0016", paragraph="x")
    copy.append("casualties", "CAS-0005", fact_id="CAS-0017", paragraph="9")
    assert [p.location() for p in copy.run("citations")] == ["data/casualties.csv:18:26"]


def test_a_table_whose_quote_column_is_ambiguous_is_left_to_the_schema_family(copy: PackageCopy) -> None:
    header, records = copy._read("casualties")
    copy._write("casualties", [*header, "quote"], [[*r, "x"] for r in records])
    assert copy.run("citations") == []


def test_the_distinct_citations_of_a_table_are_computed_once_while_it_is_unchanged(copy: PackageCopy) -> None:
    copy.append("troops", "TRP-0004", fact_id="TRP-0007")
    table = copy.context().tables["troops"]
    assert citations.citations_of(table, ())[1].columns == ["source_id", "paragraph", "quote"]
    columns = citations.checked_cells(table, True)
    rows, distinct = citations.citations_of(table, columns)
    assert (rows.height, distinct.height) == (table.raw.height, table.raw.height - 1)
    assert citations.citations_of(table, columns)[1] is distinct
    table.frame = table.frame.with_columns(paragraph=pl.lit(1, dtype=pl.Int64))
    assert citations.citations_of(table, columns)[1]["paragraph"].unique().to_list() == [1]
