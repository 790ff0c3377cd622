"""The relations family: declared arithmetic relations between facts hold, each made to fail on a copy."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fixtures.content.package_copy import PackageCopy, run_real
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.evaluate import fmt, number


def relation(line: int, column: int, field: str, message: str, code: str) -> Problem:
    return Problem("data/relations.csv", line, column, "relations", message, field, "relations", code=code)


@pytest.fixture
def copy(tmp_path: Path) -> PackageCopy:
    return PackageCopy(tmp_path)


def test_the_real_relations_hold() -> None:
    assert run_real("relations") == []


def test_sum_of_fails(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0008", value="67")
    assert copy.run("relations") == [
        relation(
            2,
            3,
            "fact_id",
            "sum_of does not hold: CAS-0004 = 4487 but CAS-0005 + CAS-0008 = 4488 (tolerance 0)",
            "relation-does-not-hold",
        ),
    ]


def test_sum_of_within_its_relative_tolerance(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0008", value="67")
    copy.set("relations", "REL-0001", tolerance="0.001")  # 1 off in 4487 is 0.02 percent
    assert copy.run("relations") == []


def test_at_most_fails(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0006", value="5000")
    assert copy.run("relations") == [
        relation(
            3,
            3,
            "fact_id",
            "at_most does not hold: CAS-0006 = 5000 is greater than CAS-0005 = 4421 (tolerance 0)",
            "relation-does-not-hold",
        ),
    ]


def test_at_most_allows_its_tolerance(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0006", value="4500")
    copy.set("relations", "REL-0002", tolerance="0.05")
    assert copy.run("relations") == []


def test_share_of_implies_an_implausible_whole(copy: PackageCopy) -> None:
    copy.set("displacement", "DSP-0002", value="55")
    assert copy.run("relations") == [
        relation(
            9,
            3,
            "fact_id",
            "share_of does not hold: DSP-0001 = 1600000 is DSP-0002 = 55 percent of 2909091, outside the expected "
            "25000000–35000000 (tolerance 0)",
            "relation-does-not-hold",
        ),
    ]


def test_share_of_needs_a_percentage_a_count_and_bounds(copy: PackageCopy) -> None:
    first = len((copy.root / "data" / "relations.csv").read_text(encoding="utf-8").splitlines()) + 1  # appended rows
    copy.append("displacement", "DSP-0002", fact_id="DSP-0004")
    copy.append("relations", "REL-0008", relation_id="REL-0901", other_fact_ids="DSP-0004")
    copy.append("relations", "REL-0008", relation_id="REL-0902", expected_high="")
    copy.append("relations", "REL-0008", relation_id="REL-0903", other_fact_ids="DSP-0001 DSP-0003")
    copy.set("relations", "REL-0008", fact_id="DSP-0003")
    assert copy.run("relations") == [
        relation(
            9, 3, "fact_id", "share_of: DSP-0003 must be a percentage, its unit is persons", "relation-share-percentage"
        ),
        relation(
            first, 4, "other_fact_ids", "share_of: DSP-0004 must be a count, not a percentage", "relation-share-count"
        ),
        relation(
            first + 1, 6, "expected_low", "share_of needs expected_low and expected_high", "relation-share-bounds"
        ),
        relation(
            first + 2, 4, "other_fact_ids", "share_of needs exactly one other fact, got 2", "relation-share-parts"
        ),
    ]


def test_relations_must_name_existing_facts(copy: PackageCopy) -> None:
    copy.set("relations", "REL-0002", fact_id="CAS-0099", other_fact_ids="CAS-0005 TRP-0099")
    assert copy.run("relations") == [
        relation(3, 3, "fact_id", "fact_id CAS-0099 is not a fact of the package", "relation-unknown-fact"),
        relation(3, 4, "other_fact_ids", "other_fact_ids names TRP-0099, which is not a fact", "relation-unknown-fact"),
    ]


def test_a_fact_cannot_relate_to_itself(copy: PackageCopy) -> None:
    copy.set("relations", "REL-0002", other_fact_ids="CAS-0005 CAS-0006")
    assert copy.run("relations") == [
        relation(3, 4, "other_fact_ids", "other_fact_ids names CAS-0006 itself", "relation-self")
    ]


def test_a_fact_without_a_value_cannot_be_evaluated(copy: PackageCopy) -> None:
    copy.set("relations", "REL-0002", fact_id="CAS-0002")
    copy.set("relations", "REL-0009", other_fact_ids="TRP-0002")
    assert copy.run("relations") == [
        relation(
            3, 3, "fact_id", "at_most cannot be evaluated: no value for CAS-0002 (indefinite)", "relation-no-value"
        ),
        relation(10, 3, "fact_id", "at_most cannot be evaluated: no value for TRP-0002 (range)", "relation-no-value"),
    ]


def test_facts_in_different_units_are_not_compared(copy: PackageCopy) -> None:
    copy.set("relations", "REL-0005", other_fact_ids="CAS-0005")
    assert copy.run("relations") == [
        relation(
            6,
            4,
            "other_fact_ids",
            "at_most compares facts in different units: CST-0003 is USD, CAS-0005 is persons",
            "relation-units",
        ),
    ]


def test_arithmetic_is_exact_on_the_cells_as_written(copy: PackageCopy) -> None:
    # 0.1 + 0.2 == 0.3 in decimal, not in binary floating point; exponent notation reads as written.
    copy.set("displacement", "DSP-0002", value="0.3")
    copy.set("casualties", "CAS-0004", value="4.487e3")
    copy.append("displacement", "DSP-0002", fact_id="DSP-0004", value="0.1")
    copy.append("displacement", "DSP-0002", fact_id="DSP-0005", value="0.2")
    copy.append("relations", "REL-0001", relation_id="REL-0010", fact_id="DSP-0002", other_fact_ids="DSP-0004 DSP-0005")
    problems = copy.run("relations")
    assert [p.message for p in problems] == [
        "share_of does not hold: DSP-0001 = 1600000 is DSP-0002 = 0.3 percent of 533333333, outside the expected "
        "25000000–35000000 (tolerance 0)"
    ]


def test_number_and_fmt() -> None:
    assert number(" 747.6e9 ") == Decimal("747600000000")
    assert number("") is None and number("abc") is None and number("NaN") is None and number(None) is None
    assert fmt(Decimal("3E+21")) == "3000000000000000000000"
    assert fmt(Decimal("5.50")) == "5.5"
    assert fmt(Decimal("0")) == "0"
