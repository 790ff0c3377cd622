"""The rules family: cross-field and cross-table rules, each made to fire on a copy of the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.content.package_copy import PackageCopy, run_real
from iraq_war_facts.checks.base import Problem


def rule(path: str, line: int, column: int, field: str, message: str, *, code: str) -> Problem:
    """A rules problem of type ``code`` in data/<resource>.csv."""
    resource = path.removeprefix("data/").removesuffix(".csv")
    return Problem(path, line, column, "rules", message, field, resource, code=code)


@pytest.fixture
def copy(tmp_path: Path) -> PackageCopy:
    return PackageCopy(tmp_path)


def test_the_real_package_follows_every_rule() -> None:
    assert run_real("rules") == []


# -- values and qualifiers ---------------------------------------------------


def test_value_low_above_value_and_a_point_qualifier_with_bounds(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0001", value_low="200000")
    assert copy.run("rules") == [
        rule(
            "data/troops.csv",
            2,
            5,
            "value_low",
            "qualifier more_than takes no value_low (got 200000)",
            code="qualifier-fields",
        ),
        rule(
            "data/troops.csv", 2, 5, "value_low", "value_low 200000 is greater than value 150000", code="bounds-order"
        ),
    ]


def test_value_above_value_high(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0002", value="200000")
    assert copy.run("rules") == [
        rule(
            "data/troops.csv", 3, 6, "value_high", "value 200000 is greater than value_high 150000", code="bounds-order"
        ),
    ]


def test_range_bounds_in_the_wrong_order(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0002", value_low="150000", value_high="100000")
    assert copy.run("rules") == [
        rule(
            "data/troops.csv",
            3,
            5,
            "value_low",
            "value_low 150000 is greater than value_high 100000",
            code="bounds-order",
        ),
    ]


def test_range_with_equal_bounds_or_a_missing_bound(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0002", value_low="150000")
    copy.set("casualties", "CAS-0015", qualifier="range")
    assert copy.run("rules") == [
        rule("data/casualties.csv", 16, 6, "value_high", "qualifier range needs value_high", code="qualifier-fields"),
        rule(
            "data/troops.csv",
            3,
            5,
            "value_low",
            "range bounds are equal: value_low 150000 = value_high 150000",
            code="range-bounds-equal",
        ),
    ]


def test_point_qualifier_without_value(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0003", value="")
    assert copy.run("rules") == [
        rule("data/troops.csv", 4, 4, "value", "qualifier exact needs a value", code="qualifier-fields")
    ]


def test_indefinite_with_a_value_and_without_its_floor(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0002", value="3000", value_low="", value_high="5000")
    assert copy.run("rules") == [
        rule(
            "data/casualties.csv",
            3,
            4,
            "value",
            "qualifier indefinite takes no value (got 3000): use value_low",
            code="qualifier-fields",
        ),
        rule(
            "data/casualties.csv",
            3,
            5,
            "value_low",
            "qualifier indefinite needs value_low (the floor of the plural)",
            code="qualifier-fields",
        ),
        rule(
            "data/casualties.csv",
            3,
            6,
            "value_high",
            "qualifier indefinite takes no value_high (got 5000)",
            code="qualifier-fields",
        ),
    ]


def test_percent_outside_0_to_100(copy: PackageCopy) -> None:
    copy.set("displacement", "DSP-0002", value="120")
    assert copy.run("rules") == [
        rule(
            "data/displacement.csv",
            3,
            4,
            "value",
            "value 120 is outside 0–100 for unit percent",
            code="percent-out-of-range",
        ),
    ]


def test_currency_differs_from_a_currency_unit(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0001", currency="EUR")
    assert copy.run("rules") == [
        rule("data/costs.csv", 2, 9, "currency", "currency EUR differs from unit USD", code="currency-mismatch")
    ]


def test_literal_value_needs_a_note_and_must_differ_from_value(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0004", note="", literal_value="3000000000000")
    assert copy.run("rules") == [
        rule(
            "data/costs.csv",
            5,
            28,
            "literal_value",
            "literal_value 3000000000000 equals value 3000000000000: leave literal_value empty",
            code="literal-equals-value",
        ),
        rule(
            "data/costs.csv",
            5,
            29,
            "note",
            "literal_value 3000000000000 is set but note is empty: say why",
            code="literal-without-note",
        ),
    ]


# -- time ----------------------------------------------------------------------


def test_as_of_missing_while_its_precision_and_basis_are_set(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0003", as_of="")
    assert copy.run("rules") == [
        rule(
            "data/troops.csv",
            4,
            11,
            "as_of",
            "time_type as_of needs as_of (or as_of_basis unknown)",
            code="time-type-fields",
        ),
        rule(
            "data/troops.csv",
            4,
            12,
            "as_of_precision",
            "as_of_precision month is set but as_of is empty",
            code="date-precision-basis",
        ),
        rule(
            "data/troops.csv",
            4,
            13,
            "as_of_basis",
            "as_of_basis inferred is set but as_of is empty",
            code="date-precision-basis",
        ),
    ]


def test_as_of_may_be_empty_when_its_basis_is_unknown(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0002", as_of="", as_of_precision="", as_of_basis="unknown")
    assert copy.run("rules") == []


def test_a_date_without_precision_or_basis(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0003", as_of_precision="", as_of_basis="")
    assert copy.run("rules") == [
        rule(
            "data/troops.csv",
            4,
            12,
            "as_of_precision",
            "as_of 2021-12-01 has no as_of_precision",
            code="date-precision-basis",
        ),
        rule(
            "data/troops.csv", 4, 13, "as_of_basis", "as_of 2021-12-01 has no as_of_basis", code="date-precision-basis"
        ),
    ]


def test_as_of_fact_with_a_period_field(copy: PackageCopy) -> None:
    copy.set(
        "troops", "TRP-0001", period_start="2003-03-01", period_start_precision="month", period_start_basis="stated"
    )
    assert copy.run("rules") == [
        rule(
            "data/troops.csv",
            2,
            14,
            "period_start",
            "time_type as_of takes no period_start (got 2003-03-01)",
            code="time-type-fields",
        ),
        rule(
            "data/troops.csv",
            2,
            15,
            "period_start_precision",
            "time_type as_of takes no period_start_precision (got month)",
            code="time-type-fields",
        ),
        rule(
            "data/troops.csv",
            2,
            16,
            "period_start_basis",
            "time_type as_of takes no period_start_basis (got stated)",
            code="time-type-fields",
        ),
    ]


def test_period_fact_without_dates_and_with_as_of(copy: PackageCopy) -> None:
    empty = {f"{d}{s}": "" for d in ("period_start", "period_end") for s in ("", "_precision", "_basis")}
    copy.set("casualties", "CAS-0001", as_of="2007-01-01", as_of_precision="year", as_of_basis="inferred", **empty)
    assert copy.run("rules") == [
        rule(
            "data/casualties.csv",
            2,
            12,
            "as_of",
            "time_type period takes no as_of (got 2007-01-01)",
            code="time-type-fields",
        ),
        rule(
            "data/casualties.csv",
            2,
            13,
            "as_of_precision",
            "time_type period takes no as_of_precision (got year)",
            code="time-type-fields",
        ),
        rule(
            "data/casualties.csv",
            2,
            14,
            "as_of_basis",
            "time_type period takes no as_of_basis (got inferred)",
            code="time-type-fields",
        ),
        rule(
            "data/casualties.csv",
            2,
            15,
            "period_start",
            "time_type period needs period_start and/or period_end",
            code="time-type-fields",
        ),
    ]


def test_coarse_dates_are_written_as_the_first_day_of_their_unit(copy: PackageCopy) -> None:
    copy.set("costs", "CST-0005", as_of="2010-06-15")
    copy.set("troops", "TRP-0004", as_of="2003-03-20")
    copy.set("events", "EVT-0002", date="2011-12-02")
    assert copy.run("rules") == [
        rule(
            "data/costs.csv",
            6,
            12,
            "as_of",
            "as_of 2010-06-15 has precision month but is not the first day of its month",
            code="date-not-first-day",
        ),
        rule(
            "data/events.csv",
            3,
            3,
            "date",
            "date 2011-12-02 has precision month but is not the first day of its month",
            code="date-not-first-day",
        ),
        rule(
            "data/troops.csv",
            5,
            11,
            "as_of",
            "as_of 2003-03-20 has precision year but is not 1 January",
            code="date-not-first-day",
        ),
    ]


def test_period_start_after_period_end(copy: PackageCopy) -> None:
    copy.set("displacement", "DSP-0001", period_start="2011-01-01")
    assert copy.run("rules") == [
        rule(
            "data/displacement.csv",
            2,
            14,
            "period_start",
            "period_start 2011-01-01 is after period_end 2010-01-01",
            code="period-order",
        ),
    ]


def test_period_end_stands_for_its_whole_unit(copy: PackageCopy) -> None:
    # period_end 2010-01-01 at year precision is "2010": a start in June 2010 is inside it.
    copy.set("displacement", "DSP-0001", period_start="2010-06-01", period_start_precision="month")
    assert copy.run("rules") == []


def test_dates_outside_the_frame_of_the_war(copy: PackageCopy) -> None:
    copy.set("events", "EVT-0004", date="1985-01-01")
    copy.set("sources", "src-001", published_not_before="2031-01-01")
    assert copy.run("rules") == [
        rule(
            "data/events.csv",
            5,
            3,
            "date",
            "date 1985-01-01 is before 1990-01-01, outside the frame of the war",
            code="date-out-of-frame",
        ),
        rule(
            "data/sources.csv",
            3,
            13,
            "published_not_before",
            "published_not_before 2031-01-01 is after 2030-12-31, outside the frame of the war",
            code="date-out-of-frame",
        ),
    ]


def test_a_reported_claim_dated_after_its_source_was_published(copy: PackageCopy) -> None:
    copy.set("casualties", "CAS-0014", as_of="2016-01-01")
    copy.set("events", "EVT-0021", date="2022-01-01")
    assert copy.run("rules") == [
        rule(
            "data/casualties.csv",
            15,
            12,
            "as_of",
            "as_of 2016-01-01 is after src-003 was published (published 2015-01-01 at year precision, so by "
            "2015-12-31 at the latest); only a planned claim may be",
            code="after-publication",
        ),
        rule(
            "data/events.csv",
            22,
            3,
            "date",
            "date 2022-01-01 is after src-004 was published (published 2021-01-01 at year precision, so by "
            "2021-12-31 at the latest); only a planned claim may be",
            code="after-publication",
        ),
    ]


def test_planned_claims_and_undated_sources_are_exempt_from_the_publication_rule(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0005", as_of="2022-06-30")  # planned, src-004
    copy.set("casualties", "CAS-0004", period_end="2020-01-01")  # src-001 has no published date
    assert copy.run("rules") == []


def test_a_large_table_planned_as_one_lazy_query_breaks_the_same_rules(copy: PackageCopy, monkeypatch) -> None:
    from iraq_war_facts.checks import rules

    copy.set("troops", "TRP-0001", value_low="200000")
    copy.set("troops", "TRP-0004", as_of="2003-03-20")
    copy.set("casualties", "CAS-0014", as_of="2016-01-01")
    copy.set("displacement", "DSP-0001", period_start="2011-01-01")
    eager = copy.run("rules")
    monkeypatch.setattr(rules, "LAZY_ROWS", 0)
    assert copy.run("rules") == eager and len(eager) == 5


# -- codes, sources, identifiers ------------------------------------------------


def test_a_code_of_another_list(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0001", party="killed")
    copy.set("events", "EVT-0001", date_basis="year")
    assert copy.run("rules") == [
        rule(
            "data/events.csv",
            2,
            5,
            "date_basis",
            "date_basis 'year' is a code of list 'precision', not of list 'basis'",
            code="wrong-code-list",
        ),
        rule(
            "data/troops.csv",
            2,
            3,
            "party",
            "party 'killed' is a code of list 'metric', not of list 'party'",
            code="wrong-code-list",
        ),
    ]


def test_a_metric_outside_the_table_of_its_topic(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0001", metric="killed")
    assert copy.run("rules") == [
        rule(
            "data/troops.csv",
            2,
            2,
            "metric",
            "metric 'killed' belongs to 'casualties' (its codebook parent), not to 'troops'",
            code="metric-wrong-topic",
        ),
    ]


def test_a_unit_its_metric_does_not_declare(copy: PackageCopy) -> None:
    before = next(
        r for r in copy.context().tables["operations"].raw.iter_rows(named=True) if r["fact_id"] == "OPS-0004"
    )
    copy.set("operations", "OPS-0004", unit="persons")  # a count of attacks recorded in persons
    header = (copy.root / "data" / "operations.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    line = next(
        n
        for n, text in enumerate((copy.root / "data" / "operations.csv").read_text("utf-8").splitlines(), 1)
        if text.startswith("OPS-0004,")
    )
    assert copy.run("rules") == [
        rule(
            "data/operations.csv",
            line,
            header.index("unit") + 1,
            "unit",
            f"unit 'persons' is not a unit of metric {before['metric']!r}, which counts in {before['unit']}",
            code="unit-not-for-metric",
        ),
    ]


def test_a_metric_may_declare_several_units_or_none(copy: PackageCopy) -> None:
    copy.set("operations", "OPS-0004", unit="persons")
    metric = next(
        r for r in copy.context().tables["operations"].raw.iter_rows(named=True) if r["fact_id"] == "OPS-0004"
    )
    copy.set("codebook", metric["metric"], units=f"{metric['unit']} persons")
    assert copy.run("rules") == []
    copy.set("codebook", metric["metric"], units="")
    assert copy.run("rules") == []


def test_a_metric_declaring_a_code_that_is_not_a_unit(copy: PackageCopy) -> None:
    copy.set("codebook", "killed", units="persons killed")
    lines = (copy.root / "data" / "codebook.csv").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("killed,"))
    assert copy.run("rules") == [
        rule(
            "data/codebook.csv",
            line,
            lines[0].split(",").index("units") + 1,
            "units",
            "units 'persons killed' names a code that is not a unit: killed",
            code="unknown-unit-of-metric",
        ),
    ]


def test_unknown_codes_are_left_to_the_foreign_keys_where_declared(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0001", party="martians")
    assert copy.run("rules") == []
    schema = copy.schema("troops")
    schema["foreignKeys"] = [fk for fk in schema["foreignKeys"] if fk["fields"] != ["party"]]
    copy.save_schema("troops", schema)
    assert copy.run("rules") == [
        rule("data/troops.csv", 2, 3, "party", "party 'martians' is not a code of the codebook", code="unknown-code"),
    ]
    copy.set("troops", "TRP-0001", party="coalitoin")
    assert [p.message for p in copy.run("rules")] == [
        "party 'coalitoin' is not a code of the codebook; did you mean 'coalition'?"
    ]


def test_unknown_source_id_without_a_foreign_key(copy: PackageCopy) -> None:
    copy.set("not_tabulated", "NTB-0001", source_id="src-009")
    assert copy.run("rules") == []  # the foreign key reports it
    schema = copy.schema("not_tabulated")
    schema["foreignKeys"] = [fk for fk in schema["foreignKeys"] if fk["fields"] != ["source_id"]]
    copy.save_schema("not_tabulated", schema)
    assert copy.run("rules") == [
        rule(
            "data/not_tabulated.csv",
            2,
            2,
            "source_id",
            "source_id src-009 is not a source of the package",
            code="unknown-source",
        ),
    ]


def test_a_source_that_no_fact_cites(copy: PackageCopy) -> None:
    copy.append("sources", "src-003", source_id="src-005", file="005.txt", text_sha256="0" * 64)
    assert copy.run("rules") == [
        rule("data/sources.csv", 7, 1, "source_id", "source src-005 is not cited by any fact", code="uncited-source"),
    ]


def test_ids_are_unique_across_the_package(copy: PackageCopy) -> None:
    copy.set("not_tabulated", "NTB-0001", mention_id="CAS-0001")
    copy.set("events", "EVT-0004", event_id="TRP-0002")
    assert copy.run("rules") == [
        rule(
            "data/events.csv",
            5,
            1,
            "event_id",
            "event_id TRP-0002 is also used in data/troops.csv line 3: ids are unique package-wide",
            code="duplicate-id",
        ),
        rule(
            "data/not_tabulated.csv",
            2,
            1,
            "mention_id",
            "mention_id CAS-0001 is also used in data/casualties.csv line 2: ids are unique package-wide",
            code="duplicate-id",
        ),
    ]


def test_an_id_of_the_table_with_most_ids_is_unique_across_the_package(copy: PackageCopy) -> None:
    copy.set("events", "EVT-0004", event_id="CAS-0006")  # events has the most ids: looked up among the others'
    assert copy.run("rules") == [
        rule(
            "data/events.csv",
            5,
            1,
            "event_id",
            "event_id CAS-0006 is also used in data/casualties.csv line 7: ids are unique package-wide",
            code="duplicate-id",
        ),
    ]


def test_a_relation_naming_a_fact_does_not_reuse_its_id(copy: PackageCopy) -> None:
    # relations.fact_id refers to a fact; only relation_id is the relation's own identifier.
    assert "REL-0001" not in {p.message for p in copy.run("rules")}
    copy.set("relations", "REL-0002", relation_id="CAS-0006")
    assert copy.run("rules") == [
        rule(
            "data/relations.csv",
            3,
            1,
            "relation_id",
            "relation_id CAS-0006 is also used in data/casualties.csv line 7: ids are unique package-wide",
            code="duplicate-id",
        ),
    ]


def test_a_correction_must_name_an_existing_row(tmp_path) -> None:
    from helpers import copy_package
    from iraq_war_facts.validate import validate

    dest = copy_package(tmp_path / "pkg").parent
    log = dest / "data" / "corrections.csv"
    log.write_text(
        log.read_text(encoding="utf-8").splitlines()[0]
        + "\nCOR-0001,CAS-0004,value,4486,4487,0.1.1,2026-11-21,paragraph 7 reads 4487\n"
        + "COR-0002,CAS-9999,value,1,2,0.1.1,2026-11-21,no such fact\n",
        encoding="utf-8",
    )
    found = [p for p in validate(dest / "datapackage.json").problems if p.check == "rules"]
    assert [(p.path, p.line, p.column, p.message) for p in found] == [
        ("data/corrections.csv", 3, 2, "fact_id CAS-9999 is not the id of any row of the package")
    ]
