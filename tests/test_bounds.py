"""Every bound at, just inside and just outside it: relation tolerances, percentages, dates, sizes and caps, and the
bounds of the number reader and of drafting."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest

from fixtures.content.package_copy import ROOT, PackageCopy
from iraq_war_facts import evaluate, package, reading
from iraq_war_facts.arabic import find_mentions
from iraq_war_facts.checks import citations, hygiene, relations, rules
from iraq_war_facts.checks.base import Context, Problem
from iraq_war_facts.checks.descriptor import MAX_NAME, MAX_VERSION, metadata_problems
from iraq_war_facts.curation import drafting
from iraq_war_facts.errors import PackageError
from iraq_war_facts.evaluate import Fact
from iraq_war_facts.package import Resource, load

FACT_TABLES = ("troops", "casualties", "costs", "displacement", "operations")

# -- helpers -------------------------------------------------------------------------------------------------------


def run(copy: PackageCopy, family: str, *tables: str) -> list[Problem]:
    """Problems of one family over only the named tables of the copy (cheaper than reading every table)."""
    pkg = load(copy.descriptor)
    ctx = Context(pkg)
    for name in tables:
        table, _ = reading.read_table(pkg.resources[name])
        assert table is not None, name
        ctx.tables[name] = table
    module = importlib.import_module(f"iraq_war_facts.checks.{family}")
    return list(module.check(ctx))


def coded(problems: list[Problem], code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


@pytest.fixture
def copy(tmp_path: Path) -> PackageCopy:
    return PackageCopy(tmp_path)


def csv_resource(tmp_path: Path, text: str, fields: list[tuple[str, str]]) -> Resource:
    """A resource over a CSV written into ``tmp_path`` with the given (name, type) fields."""
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    schema = {"fields": [{"name": n, "type": t} for n, t in fields]}
    return Resource("t", path, "data/t.csv", {"name": "t", "path": "data/t.csv"}, schema)


def fact(fid: str, value: str, unit: str = "persons") -> Fact:
    return Fact(fid, Decimal(value), unit, "exact")


def relation(kind: str, value: str, others: list[str], tolerance: str, low: str = "", high: str = "", unit: str = ""):
    """One relation evaluated: the fact F-1 = ``value`` against O-1, O-2... = ``others``."""
    facts = {"F-1": fact("F-1", value, unit or ("percent" if kind == "share_of" else "persons"))}
    ids = []
    for k, other in enumerate(others, start=1):
        facts[f"O-{k}"] = fact(f"O-{k}", other)
        ids.append(f"O-{k}")
    cells = {
        "relation": kind,
        "fact_id": "F-1",
        "other_fact_ids": " ".join(ids),
        "tolerance": tolerance,
        "expected_low": low or None,
        "expected_high": high or None,
    }
    return evaluate.relation(cells, facts)


# -- relation tolerances -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "holds"),
    [("109.999", True), ("110", True), ("110.001", False)],
    ids=["inside", "at", "beyond"],
)
def test_at_most_holds_up_to_its_tolerance_and_no_further(value: str, holds: bool) -> None:
    # 110 <= 100 × (1 + 0.1): it holds only thanks to the tolerance
    assert relation("at_most", value, ["100"], "0.1").holds is holds


@pytest.mark.parametrize(("value", "holds"), [("99", True), ("100", True), ("100.0001", False)])
def test_at_most_without_tolerance_holds_at_equality(value: str, holds: bool) -> None:
    assert relation("at_most", value, ["60", "40"], "0").holds is holds


@pytest.mark.parametrize(
    ("total", "holds"),
    [("99.5", True), ("99", True), ("98.99", False), ("101", True), ("101.01", False)],
    ids=["inside", "at-below", "beyond-below", "at-above", "beyond-above"],
)
def test_sum_of_holds_within_its_relative_tolerance(total: str, holds: bool) -> None:
    # value 100, tolerance 1 %: the parts may sum to 99..101
    parts = [str(Decimal(total) - 40), "40"]
    assert relation("sum_of", "100", parts, "0.01").holds is holds


@pytest.mark.parametrize(("total", "holds"), [("100", True), ("100.0001", False), ("99.9999", False)])
def test_sum_of_without_tolerance_is_exact(total: str, holds: bool) -> None:
    assert relation("sum_of", "100", [str(Decimal(total) - 1), "1"], "0").holds is holds


@pytest.mark.parametrize(
    ("low", "high", "holds"),
    [
        ("20000000", "20000000", True),  # the implied whole is exactly both bounds
        ("19999999", "20000001", True),
        ("20000001", "30000000", False),  # just above the whole
        ("10000000", "19999999", False),  # just below it
    ],
)
def test_share_of_holds_between_its_expected_bounds(low: str, high: str, holds: bool) -> None:
    # 1,000,000 is 5 percent of a whole of 20,000,000
    result = relation("share_of", "5", ["1000000"], "0", low, high)
    assert result.implied == Decimal(20000000)
    assert result.holds is holds


@pytest.mark.parametrize(
    ("tolerance", "low", "high", "holds"),
    [
        ("0.2", "25000000", "30000000", True),  # 25,000,000 × (1 − 0.2) = 20,000,000: at the widened low bound
        ("0.2", "25000001", "30000000", False),
        ("0.25", "10000000", "16000000", True),  # 16,000,000 × (1 + 0.25) = 20,000,000: at the widened high bound
        ("0.25", "10000000", "15999999", False),
    ],
)
def test_share_of_widens_its_bounds_by_its_tolerance(tolerance: str, low: str, high: str, holds: bool) -> None:
    assert relation("share_of", "5", ["1000000"], tolerance, low, high).holds is holds


@pytest.mark.parametrize(("tolerance", "found"), [("0.4", []), ("0.3999", ["relation-does-not-hold"])])
def test_the_relations_check_honours_an_at_most_tolerance(copy: PackageCopy, tolerance: str, found: list[str]) -> None:
    # TRP-0005 (3500) at most TRP-0006 (2500) holds only with a tolerance of 40 %
    copy.set("relations", "REL-0009", fact_id="TRP-0005", other_fact_ids="TRP-0006", tolerance=tolerance)
    problems = [p for p in run(copy, "relations", "relations", "troops") if p.line == 10]
    assert [p.code for p in problems] == found
    if found:
        assert problems[0].message == (
            "at_most does not hold: TRP-0005 = 3500 is greater than TRP-0006 = 2500 (tolerance 0.3999)"
        )


# -- percentages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rejected"),
    [("-0.001", True), ("0", False), ("0.001", False), ("99.999", False), ("100", False), ("100.001", True)],
)
def test_a_percentage_lies_between_0_and_100_inclusive(copy: PackageCopy, value: str, rejected: bool) -> None:
    copy.set("displacement", "DSP-0002", value=value)
    found = coded(run(copy, "rules", "displacement", "sources"), "percent-out-of-range")
    expected = [f"value {value} is outside 0–100 for unit percent"] if rejected else []
    assert [p.message for p in found] == expected


@pytest.mark.parametrize(("low", "high", "bad"), [("0", "100", []), ("-1", "101", ["value_low", "value_high"])])
def test_a_percentage_range_is_bounded_too(copy: PackageCopy, low: str, high: str, bad: list[str]) -> None:
    copy.set("displacement", "DSP-0002", value="", value_low=low, value_high=high, qualifier="range")
    found = coded(run(copy, "rules", "displacement", "sources"), "percent-out-of-range")
    assert [p.field for p in found] == bad


# -- dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("1989-12-31", "as_of 1989-12-31 is before 1990-01-01, outside the frame of the war"),
        ("1990-01-01", None),
        ("1990-01-02", None),
        ("2030-12-30", None),
        ("2030-12-31", None),
        ("2031-01-01", "as_of 2031-01-01 is after 2030-12-31, outside the frame of the war"),
    ],
)
def test_a_date_lies_within_the_frame_of_the_war(copy: PackageCopy, day: str, message: str | None) -> None:
    # DSP-0003's source (src-001) has no publication date, so only the frame applies
    copy.set("displacement", "DSP-0003", as_of=day, as_of_precision="day")
    found = coded(run(copy, "rules", "displacement", "sources"), "date-out-of-frame")
    assert [p.message for p in found] == ([message] if message else [])


@pytest.mark.parametrize(
    ("fid", "table", "day", "late"),
    [
        ("TRP-0001", "troops", "2007-12-31", False),  # src-000: published 2007, at year precision
        ("TRP-0001", "troops", "2008-01-01", True),
        ("OPS-0001", "operations", "2021-12-31", False),  # src-002: published Dec 2021, at month precision
        ("OPS-0001", "operations", "2022-01-01", True),
    ],
)
def test_a_claim_may_be_dated_up_to_the_last_day_its_source_may_have_been_published(
    copy: PackageCopy, fid: str, table: str, day: str, late: bool
) -> None:
    copy.set(table, fid, as_of=day, as_of_precision="day")
    found = coded(run(copy, "rules", table, "sources"), "after-publication")
    assert [p.field for p in found] == (["as_of"] if late else [])


def test_a_planned_claim_may_be_dated_after_publication(copy: PackageCopy) -> None:
    copy.set("troops", "TRP-0001", as_of="2008-01-01", as_of_precision="day", claim_type="planned")
    assert coded(run(copy, "rules", "troops", "sources"), "after-publication") == []


@pytest.mark.parametrize(
    ("start", "end", "end_precision", "after"),
    [
        ("2008-05-05", "2008-05-05", "day", False),  # a period of one day
        ("2008-05-06", "2008-05-05", "day", True),
        ("2008-05-31", "2008-05-01", "month", False),  # the last day of May 2008
        ("2008-06-01", "2008-05-01", "month", True),
        ("2008-12-31", "2008-01-01", "year", False),
        ("2009-01-01", "2008-01-01", "year", True),
    ],
)
def test_a_period_may_start_up_to_the_last_day_its_end_stands_for(
    copy: PackageCopy, start: str, end: str, end_precision: str, after: bool
) -> None:
    copy.set(
        "displacement",
        "DSP-0001",
        period_start=start,
        period_start_precision="day",
        period_end=end,
        period_end_precision=end_precision,
    )
    found = coded(run(copy, "rules", "displacement", "sources"), "period-order")
    assert [p.message for p in found] == ([f"period_start {start} is after period_end {end}"] if after else [])


# -- sizes ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "ok"), [(101, True), (100, True), (99, False)])
def test_read_regular_reads_a_file_up_to_its_limit(tmp_path: Path, limit: int, ok: bool) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"x" * 100)
    if ok:
        assert package.read_regular(path, "f.csv", limit) == b"x" * 100
    else:
        with pytest.raises(PackageError, match=f"100 bytes, over the limit of {limit} bytes"):
            package.read_regular(path, "f.csv", limit)


@pytest.mark.parametrize(("limit", "ok"), [(100, True), (99, False)])
def test_safe_path_accepts_a_file_up_to_its_limit(tmp_path: Path, limit: int, ok: bool) -> None:
    (tmp_path / "f.csv").write_bytes(b"x" * 100)
    if ok:
        assert package.safe_path(tmp_path, "f.csv", "here", limit) == tmp_path / "f.csv"
    else:
        with pytest.raises(PackageError, match=f"is 100 bytes, over the limit of {limit} bytes"):
            package.safe_path(tmp_path, "f.csv", "here", limit)


@pytest.mark.parametrize(("limit", "ok"), [(11, True), (10, True), (9, False)])
def test_read_json_reads_a_descriptor_up_to_its_limit(tmp_path: Path, limit: int, ok: bool) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"a": 123}', encoding="utf-8")  # 10 bytes
    if ok:
        assert package.read_json(path, "d.json", limit) == {"a": 123}
    else:
        with pytest.raises(PackageError, match=f"10 bytes, over the limit of {limit} bytes"):
            package.read_json(path, "d.json", limit)


@pytest.mark.parametrize(("depth", "ok"), [(63, True), (64, True), (65, False)])
def test_a_descriptor_nests_at_most_max_json_depth_levels(tmp_path: Path, depth: int, ok: bool) -> None:
    assert package.MAX_JSON_DEPTH == 64
    path = tmp_path / "d.json"
    path.write_text('{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}", encoding="utf-8")
    if ok:
        package.read_json(path, "d.json")
    else:
        with pytest.raises(PackageError, match="nested deeper than 64 levels"):
            package.read_json(path, "d.json")


@pytest.mark.parametrize(("size", "ok"), [(100, True), (101, False)])
def test_a_source_text_is_read_up_to_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, ok: bool
) -> None:
    monkeypatch.setattr(citations, "MAX_TEXT_BYTES", 100)
    (tmp_path / "a.txt").write_bytes(b"x" * size)
    path, code, message = citations._locate(tmp_path, "a.txt")
    if ok:
        assert (path, code) == (tmp_path / "a.txt", "")
    else:
        assert (path, code, message) == (
            None,
            "source-file-too-large",
            f"file a.txt is {size} bytes, over the limit of 100",
        )


@pytest.mark.parametrize(("length", "ok"), [(MAX_NAME - 1, True), (MAX_NAME, True), (MAX_NAME + 1, False)])
def test_a_package_name_has_at_most_max_name_characters(length: int, ok: bool) -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text("utf-8"))
    descriptor["name"] = "a" * length
    found = metadata_problems(descriptor, "datapackage.json")
    assert [p.message for p in found] == ([] if ok else [f"name: {length} characters, over the limit of {MAX_NAME}"])


@pytest.mark.parametrize(("length", "ok"), [(MAX_VERSION, True), (MAX_VERSION + 1, False)])
def test_a_version_has_at_most_max_version_characters(length: int, ok: bool) -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text("utf-8"))
    descriptor["version"] = "1" * length
    found = metadata_problems(descriptor, "datapackage.json")
    expected = [] if ok else [f"version: {length} characters, over the limit of {MAX_VERSION}"]
    assert [p.message for p in found] == expected


@pytest.mark.parametrize(("chars", "ok"), [(reading.MAX_NUMBER_CHARS, True), (reading.MAX_NUMBER_CHARS + 1, False)])
def test_a_number_is_written_in_at_most_max_number_chars_characters(tmp_path: Path, chars: int, ok: bool) -> None:
    text = "1." + "0" * (chars - 2)
    table, problems = reading.read_table(
        csv_resource(tmp_path, f"id,n\na,{text}\n", [("id", "string"), ("n", "number")])
    )
    assert table is not None
    if ok:
        assert problems == [] and table.frame["n"].to_list() == [1.0]
    else:
        assert [(p.line, p.column, p.code) for p in problems] == [(2, 2, "number-out-of-range")]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (str(2**63 - 1), True),
        (str(2**63), False),
        (str(-(2**63)), True),
        (str(-(2**63) - 1), False),
    ],
)
def test_an_integer_fits_in_64_bits(tmp_path: Path, text: str, ok: bool) -> None:
    table, problems = reading.read_table(
        csv_resource(tmp_path, f"id,n\na,{text}\n", [("id", "string"), ("n", "integer")])
    )
    assert table is not None
    assert [p.code for p in problems] == ([] if ok else ["number-out-of-range"])
    assert table.frame["n"].to_list() == [int(text) if ok else None]


# -- caps: at most CAP problems of a kind, then one summary ----------------------------------------------------------


def _bad_numbers(tmp_path: Path, n: int) -> Resource:
    rows = "".join(f"r{i},x\n" for i in range(n))
    return csv_resource(tmp_path, "id,n\n" + rows, [("id", "string"), ("n", "number")])


@pytest.mark.parametrize(("bad", "listed", "more"), [(2, 2, None), (3, 3, None), (4, 3, 1)])
def test_reading_lists_at_most_cap_type_errors_per_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: int, listed: int, more: int | None
) -> None:
    monkeypatch.setattr(reading, "CAP", 3)
    _, problems = reading.read_table(_bad_numbers(tmp_path, bad))
    assert [p.line for p in problems if p.line is not None] == list(range(2, 2 + listed))
    summaries = [p.message for p in problems if p.line is None]
    assert summaries == ([f"type error: … and {more} more rows"] if more else [])


@pytest.mark.parametrize(("short", "listed", "more"), [(2, 2, None), (3, 3, None), (4, 3, 1)])
def test_reading_lists_at_most_cap_short_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short: int, listed: int, more: int | None
) -> None:
    monkeypatch.setattr(reading, "CAP", 3)
    text = "id,a,b\n" + "".join(f"r{i},1\n" for i in range(short)) + "z,1,2\n"
    _, problems = reading.read_table(csv_resource(tmp_path, text, [("id", "string"), ("a", "string"), ("b", "string")]))
    missing = coded(problems, "missing-cell")
    assert [p.line for p in missing if p.line is not None] == list(range(2, 2 + listed))
    summaries = [p.message for p in missing if p.line is None]
    assert summaries == ([f"row has fewer cells than the header: … and {more} more rows"] if more else [])


@pytest.mark.parametrize(("bad", "listed", "more"), [(2, 2, None), (3, 3, None), (4, 3, 1)])
def test_hygiene_lists_at_most_its_limit_per_field_and_kind(
    tmp_path: Path, bad: int, listed: int, more: int | None
) -> None:
    text = "id,n\n" + "".join(f"r{i},x{i} \n" for i in range(bad))
    table, _ = reading.read_table(csv_resource(tmp_path, text, [("id", "string"), ("n", "string")]))
    assert table is not None
    found = list(hygiene.table_problems(table, limit=3))
    assert [p.line for p in found] == list(range(2, 2 + listed)) + ([2 + listed] if more else [])
    expected = ["trailing whitespace ' ': strip it"] * listed
    if more:
        expected.append(f"… and {more} more cells of this column with leading or trailing whitespace")
    assert [p.message for p in found] == expected


@pytest.mark.parametrize(("bad", "listed", "more"), [(1, 1, None), (2, 2, None), (3, 2, 1)])
def test_rules_list_at_most_cap_rows_per_rule(
    copy: PackageCopy, monkeypatch: pytest.MonkeyPatch, bad: int, listed: int, more: int | None
) -> None:
    monkeypatch.setattr(rules, "CAP", 2)
    for fid in ("DSP-0001", "DSP-0002", "DSP-0003")[:bad]:
        copy.set("displacement", fid, unit="percent", value="101")
    found = coded(run(copy, "rules", "displacement", "sources"), "percent-out-of-range")
    assert [p.line for p in found if p.line is not None] == list(range(2, 2 + listed))
    summaries = [p.message for p in found if p.line is None]
    assert summaries == ([f"rule 'value outside 0-100 percent': … and {more} more rows"] if more else [])


@pytest.mark.parametrize(("bad", "listed", "more"), [(1, 1, None), (2, 2, None), (3, 2, 1)])
def test_relations_list_at_most_cap_rows_per_field_and_code(
    copy: PackageCopy, monkeypatch: pytest.MonkeyPatch, bad: int, listed: int, more: int | None
) -> None:
    monkeypatch.setattr(relations, "CAP", 2)
    for rid in ("REL-0002", "REL-0003", "REL-0004")[:bad]:
        copy.set("relations", rid, other_fact_ids="CAS-9999")
    found = coded(run(copy, "relations", "relations", *FACT_TABLES), "relation-unknown-fact")
    assert [p.line for p in found if p.line is not None] == list(range(3, 3 + listed))
    summaries = [p.message for p in found if p.line is None]
    assert summaries == ([f"relation-unknown-fact: … and {more} more rows"] if more else [])


# -- the number reader and drafting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "value"),
    [("17", 17), ("18", 18000), ("100", 100000), ("1800", 1800000), ("1801", 1801)],
    ids=["below-a-tenth", "a-tenth", "inside", "ten-times", "above-ten-times"],
)
def test_a_change_takes_its_second_figures_scale_within_a_factor_of_ten(first: str, value: int) -> None:
    # "rose from X to 180 thousand": X takes the scale when X thousand lies within 18,000..1,800,000
    mentions = find_mentions(f"ارتفع من {first} إلى 180 ألفاً")
    assert [m.value for m in mentions] == [Decimal(value), Decimal(180000)]


@pytest.mark.parametrize(
    ("number", "year"),
    [
        ("1899", False),
        ("1900", True),
        ("1901", True),
        ("2099", True),
        ("2100", True),
        ("2101", False),
        ("1950.5", False),
    ],
)
def test_drafting_reads_years_from_1900_to_2100(number: str, year: bool) -> None:
    assert drafting.YEARS == (1900, 2100)
    assert drafting._year(Decimal(number)) is year
