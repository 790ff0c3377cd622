"""The analysis: fact frame, derived figures, relation results, comparisons and data quality, on small fixtures."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from conftest import ROOT
from iraq_war_facts import analysis, comparisons, evaluate, wording
from iraq_war_facts.analysis import analyse
from iraq_war_facts.model import build as build_model
from iraq_war_facts.model import unit_end
from iraq_war_facts.package import load
from iraq_war_facts.validate import validate

D = dt.date


def fact(fid: str, metric: str, party: str, value: float | None = None, **kw: Any) -> dict[str, Any]:
    """One fact row of the shared core, with sensible defaults."""
    start, as_of = kw.pop("start", None), kw.pop("as_of", None)
    row = {
        "fact_id": fid,
        "metric": metric,
        "party": party,
        "value": value,
        "value_low": kw.pop("low", None),
        "value_high": kw.pop("high", None),
        "qualifier": kw.pop("qualifier", "exact"),
        "unit": kw.pop("unit", "persons"),
        "time_type": "period" if start else "as_of",
        "as_of": as_of,
        "as_of_precision": kw.pop("as_of_precision", "day" if as_of else None),
        "period_start": start,
        "period_start_precision": "day" if start else None,
        "period_end": kw.pop("end", None),
        "period_end_precision": "day" if start else None,
        "claim_type": kw.pop("claim", "reported"),
        "attributed_to": kw.pop("by", "article"),
        "source_id": kw.pop("source", "src-a"),
        "paragraph": 1,
        "quote": "…",
        "quote_en": "…",
    }
    row.update(kw)
    return row


def relation(rid: str, kind: str, fid: str, others: str, **kw: Any) -> dict[str, Any]:
    return {"relation_id": rid, "relation": kind, "fact_id": fid, "other_fact_ids": others, "tolerance": 0.0, **kw}


@pytest.fixture
def tables() -> dict[str, pl.DataFrame]:
    troops = [
        fact("TRP-0001", "troops_deployed", "us", 160000, as_of=D(2003, 1, 1), as_of_precision="year", source="src-b"),
        fact(
            "TRP-0002",
            "troops_deployed",
            "us",
            None,
            low=100000,
            high=150000,
            qualifier="range",
            start=D(2003, 3, 20),
            end=D(2011, 1, 1),
            by="bbc",
            source="src-a",
        ),
        fact("TRP-0003", "troops_remaining", "us", 2500, as_of=D(2021, 12, 1), source="src-b"),
    ]
    casualties = [
        fact("CAS-0001", "killed", "us", 4487, start=D(2003, 3, 19), end=D(2011, 1, 1), cause="all_causes"),
        fact("CAS-0002", "killed", "us", 4421, start=D(2003, 3, 19), end=D(2010, 8, 31), cause="all_causes"),
        fact("CAS-0003", "killed", "us", 66, start=D(2010, 9, 1), end=D(2011, 1, 1), cause="all_causes"),
        fact("CAS-0004", "killed", "us", 3492, start=D(2003, 3, 19), end=D(2010, 8, 31), cause="hostile"),
        fact(
            "CAS-0005",
            "wounded",
            "coalition",
            None,
            low=3000,
            qualifier="indefinite",
            cause="unspecified",
            start=D(2003, 3, 1),
            end=D(2007, 1, 1),
        ),
        fact("CAS-0006", "killed", "uk", 179, start=D(2003, 3, 20), end=D(2011, 1, 1), cause="all_causes"),
    ]
    displacement = [
        fact(
            "DSP-0001",
            "displaced",
            "iraqis",
            1.6e6,
            qualifier="approximately",
            start=D(2006, 1, 1),
            end=D(2010, 1, 1),
            displacement_scope="internal",
        ),
        fact(
            "DSP-0002",
            "displaced_share",
            "iraqis",
            5.5,
            unit="percent",
            start=D(2006, 1, 1),
            end=D(2010, 1, 1),
            displacement_scope="internal",
        ),
    ]
    costs = [
        fact("CST-0001", "cost", "uk", 14.32e9, unit="USD", as_of=D(2010, 6, 1), cost_scope="uk_participation"),
        fact("CST-0002", "cost", "uk", 0.861e9, unit="USD", as_of=D(2010, 6, 1), cost_scope="uk_aid"),
    ]
    relations = [
        relation("REL-0001", "sum_of", "CAS-0001", "CAS-0002 CAS-0003"),
        relation("REL-0002", "at_most", "CAS-0004", "CAS-0002"),
        relation("REL-0003", "share_of", "DSP-0002", "DSP-0001", expected_low=25e6, expected_high=35e6),
        relation("REL-0004", "at_most", "CST-0002", "CST-0001"),
    ]
    return {
        "troops": pl.DataFrame(troops),
        "casualties": pl.DataFrame(casualties),
        "displacement": pl.DataFrame(displacement),
        "costs": pl.DataFrame(costs),
        "relations": pl.DataFrame(relations),
        "not_tabulated": pl.DataFrame(
            {"mention_id": ["NTB-0001", "NTB-0002", "NTB-0003"], "reason": ["date_part", "date_part", "repeat"]}
        ),
    }


MODEL = build_model(load(ROOT / "datapackage.json"))


@pytest.fixture
def facts(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return analysis.fact_frame(MODEL, tables)


def exact(facts: pl.DataFrame) -> dict[str, Decimal | None]:
    return {r["fact_id"]: evaluate.number(r["value"]) for r in facts.iter_rows(named=True)}


def by_id(facts: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["fact_id"]: r for r in facts.iter_rows(named=True)}


def test_facts_share_one_core_with_figures_and_spans(facts: pl.DataFrame) -> None:
    assert facts.height == 13
    rows = by_id(facts)
    assert rows["TRP-0002"]["lo"] == 100000 and rows["TRP-0002"]["hi"] == 150000
    assert rows["CAS-0005"]["lo"] == 3000 and rows["CAS-0005"]["hi"] == 3000
    assert rows["CAS-0004"]["detail"] == "hostile" and rows["CAS-0004"]["topic"] == "casualties"
    assert rows["TRP-0001"]["start"] == rows["TRP-0001"]["end"] == D(2003, 1, 1)
    assert rows["TRP-0002"]["start"] == D(2003, 3, 20) and rows["TRP-0002"]["end"] == D(2011, 1, 1)


def test_summary_counts_claims_sources_extremes_and_dates(facts: pl.DataFrame) -> None:
    summary = comparisons.summary(facts)
    us_troops = summary.filter((pl.col("metric") == "troops_deployed") & (pl.col("party") == "us")).row(0, named=True)
    assert us_troops["claims"] == 2 and us_troops["sources"] == 2
    assert (us_troops["min"], us_troops["min_fact"]) == (100000, "TRP-0002")
    assert (us_troops["max"], us_troops["max_fact"]) == (160000, "TRP-0001")
    assert (us_troops["earliest"], us_troops["earliest_fact"]) == (D(2003, 1, 1), "TRP-0001")
    assert (us_troops["latest"], us_troops["latest_fact"]) == (D(2011, 1, 1), "TRP-0002")
    us_killed = summary.filter((pl.col("metric") == "killed") & (pl.col("party") == "us")).row(0, named=True)
    assert us_killed["claims"] == 4 and us_killed["fact_ids"] == "CAS-0001 CAS-0002 CAS-0003 CAS-0004"
    assert summary["topic"].to_list()[0] == "troops"


def declared(*rows: dict[str, Any]) -> pl.DataFrame:
    """A ``derived`` table of formulas."""
    cols = ("derived_id", "formula", "unit", "metric", "party", "label_en", "label_ar", "note")
    return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema=dict.fromkeys(cols, pl.String))


def test_derived_figures_from_relations(tables: dict[str, pl.DataFrame], facts: pl.DataFrame) -> None:
    derived = analysis.derived_figures(facts, tables, exact(facts))
    rows = {r["derived_id"]: r for r in derived.iter_rows(named=True)}
    total = rows["DRV-REL-0001"]
    assert total["derived"] and total["formula"] == "CAS-0002 + CAS-0003" and total["value"] == 4487
    assert total["compared_fact"] == "CAS-0001" and total["difference"] == 0
    hostile = rows["DRV-REL-0002"]
    assert hostile["formula"] == "100 × CAS-0004 / CAS-0002" and hostile["unit"] == "percent"
    assert hostile["value"] == pytest.approx(78.98665, abs=1e-4)
    population = rows["DRV-REL-0003"]
    assert population["formula"] == "DSP-0001 × 100 / DSP-0002" and population["unit"] == "persons"
    assert population["value"] == pytest.approx(29_090_909.09, abs=0.01)
    aid = rows["DRV-REL-0004"]
    assert aid["value"] == pytest.approx(6.01257, abs=1e-4) and aid["fact_ids"] == "CST-0002 CST-0001"


NAMES = {"A": "CAS-0001", "B": "CAS-0002", "C": "CAS-0003", "P": "DSP-0002", "W": "DSP-0001", "Z": "OPS-0001"}
VALUES = {"A": 4487, "B": 179, "C": 139, "P": Decimal("5.5"), "W": Decimal("1.6e6"), "Z": 0}
X = evaluate.EXACT


def named(text: str) -> str:
    return "".join(NAMES.get(c, c) for c in text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A + B + C", Decimal(4805)),
        ("A - B", Decimal(4308)),
        ("A − B − C", Decimal(4169)),
        ("100 * B / A", X.divide(17900, 4487)),
        ("100 × B / (A + C)", X.divide(17900, 4626)),
        ("A / C", X.divide(4487, 139)),
        ("W * 100 / P", X.divide(Decimal("1.6e8"), Decimal("5.5"))),
        ("0.1 + 0.2", Decimal("0.3")),
        ("A - B * C", Decimal(4487 - 179 * 139)),
        ("(A - B) * C", Decimal((4487 - 179) * 139)),
        ("A + QQQ-9", None),
        ("A / Z", None),
    ],
)
def test_formulas_evaluate_exactly(text: str, value: Decimal | None) -> None:
    values = {NAMES[k]: Decimal(v) for k, v in VALUES.items()}
    assert evaluate.parse(named(text)).evaluate(values) == value


@pytest.mark.parametrize(
    ("text", "position"),
    [("", 1), ("a", 1), ("1 +", 4), ("1 2", 3), ("(1 + 2", 7), ("1 + )", 5), ("1 % 2", 3), ("* 1", 1), ("1 + 2)", 6)],
)
def test_malformed_formulas_say_where(text: str, position: int) -> None:
    with pytest.raises(evaluate.FormulaError) as err:
        evaluate.parse(text)
    assert err.value.position == position


def test_formula_display_and_ids() -> None:
    f = evaluate.parse("100*CAS-0006/(CAS-0005+CAS-12345)")
    assert f.display() == "100 × CAS-0006 / (CAS-0005 + CAS-12345)"
    assert f.ids == ("CAS-0006", "CAS-0005", "CAS-12345")


def test_declared_formulas_evaluate_and_name_their_facts(tables: dict[str, pl.DataFrame], facts: pl.DataFrame) -> None:
    combined = {"derived_id": "DRV-0009", "formula": "CAS-0001 + CAS-0006", "metric": "killed", "party": "coalition"}
    derived = analysis.derived_figures(facts, {"derived": declared(combined)}, exact(facts))
    row = derived.row(0, named=True)
    assert (row["value"], row["fact_ids"], row["metric"], row["party"]) == (
        4666,
        "CAS-0001 CAS-0006",
        "killed",
        "coalition",
    )
    assert (row["start"], row["end"]) == (D(2003, 3, 19), D(2011, 1, 1))


def test_relations_are_checked(tables: dict[str, pl.DataFrame], facts: pl.DataFrame) -> None:
    checks = {
        r["relation_id"]: r for r in analysis.relation_results(tables["relations"], exact(facts), facts).to_dicts()
    }
    assert all(r["holds"] for r in checks.values())
    assert checks["REL-0001"]["detail"] == "4,487 vs 4,421 + 66 = 4,487"
    assert checks["REL-0003"]["implied"] == pytest.approx(29_090_909.09, abs=0.01)
    broken = pl.DataFrame(
        [
            relation("REL-0001", "sum_of", "CAS-0001", "CAS-0002 CAS-0006"),
            relation("REL-0002", "at_most", "CAS-0002", "CAS-0004"),
            relation("REL-0003", "share_of", "DSP-0002", "DSP-0001", expected_low=30e6, expected_high=35e6),
            relation("REL-0004", "sum_of", "CAS-0001", "CAS-9999"),
            relation("REL-0005", "sum_of", "CAS-0001", "CAS-0002 CAS-0003 CAS-0006", tolerance=0.05),
        ]
    )
    checks = {r["relation_id"]: r for r in analysis.relation_results(broken, exact(facts), facts).to_dicts()}
    assert checks["REL-0001"]["holds"] is False and checks["REL-0001"]["others_value"] == 4600
    assert checks["REL-0002"]["holds"] is False
    assert checks["REL-0003"]["holds"] is False
    assert checks["REL-0004"]["holds"] is None and checks["REL-0004"]["detail"] == "cannot be evaluated"
    assert checks["REL-0005"]["holds"] is True  # 4666 is within 5% of 4487


def test_discrepancies_are_genuine_disagreements_and_scope_differences_apart(
    tables: dict[str, pl.DataFrame], facts: pl.DataFrame
) -> None:
    combined = {"derived_id": "DRV-9", "formula": "CAS-0001 + CAS-0006", "metric": "killed", "party": "us"}
    derived = analysis.derived_figures(facts, {**tables, "derived": declared(combined)}, exact(facts))
    table = {(r["metric"], r["party"]): r for r in comparisons.discrepancies(facts, derived).to_dicts()}
    # A level of 160,000 in 2003 against a range of 100,000-150,000 over 2003-2011: same scope, the times overlap.
    troops = table[("troops_deployed", "us")]
    assert (troops["low"], troops["low_id"], troops["high"], troops["high_id"]) == (
        100000,
        "TRP-0002",
        160000,
        "TRP-0001",
    )
    assert troops["ratio"] == pytest.approx(1.6) and troops["scope_field"] == "force_type"
    assert troops["differs"] == "date, estimator, source, qualifier"
    assert troops["claims"] == 2 and troops["sources"] == 2 and troops["derived_ids"] == ""
    # The derived total over the same period and causes as CAS-0001 (4,487) says 4,666: it joins and disagrees.
    killed = table[("killed", "us")]
    assert killed["fact_ids"] == "CAS-0001" and killed["derived_ids"] == "DRV-9"
    assert killed["scope"] == "all_causes" and killed["scope_field"] == "cause"
    assert killed["ratio"] == pytest.approx(4666 / 4487) and killed["high_id"] == "DRV-9"
    assert killed["differs"] == "derived"
    assert ("cost", "uk") not in table  # aid is part of the whole cost: a scope, not a disagreement
    assert ("troops_remaining", "us") not in table  # a single claim is no discrepancy
    assert ("wounded", "coalition") not in table

    apart = {(r["metric"], r["party"]): r for r in comparisons.scope_differences(facts, derived).to_dicts()}
    assert set(apart) == {("killed", "us"), ("cost", "uk")}
    uk_cost = apart[("cost", "uk")]
    assert uk_cost["differs"] == "scope" and uk_cost["scopes"] == "uk_aid uk_participation"
    assert uk_cost["scope_field"] == "cost_scope" and uk_cost["ratio"] == pytest.approx(14.32 / 0.861)
    us_killed = apart[("killed", "us")]  # 66 after August 2010, 3,492 hostile, 4,421 to August 2010
    assert us_killed["differs"] == "scope, time" and us_killed["scopes"] == "all_causes hostile"
    assert us_killed["fact_ids"] == "CAS-0001 CAS-0002 CAS-0003 CAS-0004" and us_killed["derived_ids"] == "DRV-9"
    assert (us_killed["low"], us_killed["low_id"], us_killed["high_id"]) == (66, "CAS-0003", "DRV-9")


def pair(a: dict[str, Any], b: dict[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The genuine disagreements and the scope differences of two casualty claims."""
    frame = analysis.fact_frame(MODEL, {"casualties": pl.DataFrame([a, b])})
    return comparisons.discrepancies(frame), comparisons.scope_differences(frame)


def killed(fid: str, value: float | None, **kw: Any) -> dict[str, Any]:
    return fact(fid, "killed", "us", value, **{"cause": "all_causes", **kw})


@pytest.mark.parametrize(
    ("b", "genuine"),
    [
        # Two levels: June 2010 (a month) against a day at, inside and just outside it.
        (dict(as_of=D(2010, 6, 30)), True),
        (dict(as_of=D(2010, 6, 15)), True),
        (dict(as_of=D(2010, 6, 1)), True),
        (dict(as_of=D(2010, 7, 1)), False),
        (dict(as_of=D(2010, 5, 31)), False),
        (dict(as_of=D(2010, 1, 1), as_of_precision="year"), True),
        (dict(as_of=D(2011, 1, 1), as_of_precision="year"), False),
    ],
)
def test_levels_disagree_only_when_their_dates_overlap(b: dict[str, Any], genuine: bool) -> None:
    a = killed("CAS-0001", 100, as_of=D(2010, 6, 1), as_of_precision="month")
    found, apart = pair(a, killed("CAS-0002", 120, **b))
    assert found.height == int(genuine) and apart.height == int(not genuine)
    if not genuine:
        assert apart.row(0, named=True)["differs"] == "time"


@pytest.mark.parametrize(
    ("b", "genuine"),
    [
        # A level against a period from 20 March 2003 to the end of 2011 (its end known to the year).
        (dict(as_of=D(2003, 3, 20)), True),
        (dict(as_of=D(2007, 6, 1)), True),
        (dict(as_of=D(2011, 12, 31)), True),
        (dict(as_of=D(2003, 3, 19)), False),
        (dict(as_of=D(2012, 1, 1)), False),
        # Two totals: the same period at the precision of its dates, or a different one (nested, shifted).
        (dict(start=D(2003, 3, 20), end=D(2011, 12, 31)), True),
        (dict(start=D(2003, 3, 20), end=D(2011, 6, 30)), True),
        (dict(start=D(2003, 3, 20), end=D(2010, 12, 31)), False),
        (dict(start=D(2003, 3, 21), end=D(2011, 12, 31)), False),
        (dict(start=D(2003, 3, 19), end=D(2011, 1, 1)), False),
    ],
)
def test_a_period_and_another_claim_disagree_only_over_the_same_time(b: dict[str, Any], genuine: bool) -> None:
    a = killed("CAS-0001", 100, start=D(2003, 3, 20), end=D(2011, 1, 1), period_end_precision="year")
    found, apart = pair(a, killed("CAS-0002", 120, **b))
    assert found.height == int(genuine) and apart.height == int(not genuine)


def test_what_is_not_a_disagreement() -> None:
    level = dict(as_of=D(2010, 6, 1))
    other_cause, _ = pair(killed("CAS-0001", 100, **level), killed("CAS-0002", 120, cause="hostile", **level))
    assert other_cause.is_empty()
    found, apart = pair(killed("CAS-0001", 100, **level), killed("CAS-0002", 100, cause="hostile", **level))
    assert found.is_empty() and apart.is_empty()  # the same figure: nothing differs
    bound = killed("CAS-0002", 90, qualifier="more_than", **level)
    found, apart = pair(killed("CAS-0001", 100, **level), bound)
    assert found.is_empty() and apart.is_empty()  # more than 90 and 100 can both be true
    found, _ = pair(killed("CAS-0001", 100, **level), {**bound, "value": 110})
    assert found.row(0, named=True)["differs"] == "qualifier"  # more than 110 and 100 cannot
    ranged = killed("CAS-0002", None, low=100, high=150, qualifier="range", **level)
    found, _ = pair(killed("CAS-0001", 150, **level), ranged)
    assert found.is_empty()  # at the bound of the range
    found, _ = pair(killed("CAS-0001", 151, **level), ranged)
    assert found.height == 1
    undated, apart = pair(killed("CAS-0001", 100, **level), killed("CAS-0002", 120))
    assert undated.is_empty() and apart.row(0, named=True)["differs"] == "time"


def test_data_quality_counts(tables: dict[str, pl.DataFrame], facts: pl.DataFrame) -> None:
    per = {(r["source_id"], r["topic"]): (r["count"], r["ids"]) for r in comparisons.facts_per_source(facts).to_dicts()}
    assert per[("src-b", "troops")] == (2, "TRP-0001 TRP-0003")
    assert per[("src-a", "casualties")][0] == 6
    qualifiers = {r["qualifier"]: r["count"] for r in comparisons.qualifiers_used(facts).to_dicts()}
    assert qualifiers == {"approximately": 1, "exact": 10, "indefinite": 1, "range": 1}
    precisions = {(r["field"], r["precision"]): r["count"] for r in comparisons.precisions_used(facts).to_dicts()}
    assert precisions == {
        ("as_of", "day"): 3,
        ("as_of", "year"): 1,
        ("period_start", "day"): 9,
        ("period_end", "day"): 9,
    }
    reasons = {r["reason"]: (r["count"], r["ids"]) for r in comparisons.not_tabulated_by_reason(tables).to_dicts()}
    assert reasons == {"date_part": (2, "NTB-0001 NTB-0002"), "repeat": (1, "NTB-0003")}
    assert comparisons.claim_types_used(facts)["count"].sum() == 13


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [
        (4487, "persons", "en", "4,487"),
        (1.6e6, "persons", "en", "1.6 million"),
        (861e6, "USD", "en", "$0.86 billion"),
        (747.6e9, "USD", "en", "$747.6 billion"),
        (3e12, "USD", "en", "$3 trillion"),
        (802e9, "USD", "ar", "802 مليار دولار"),
        (5.5, "percent", "en", "5.5%"),
        (78.98665, "percent", "en", "79%"),
        (None, "persons", "en", "–"),
    ],
)
def test_format_number(value: float | None, unit: str, lang: str, text: str) -> None:
    assert wording.format_number(value, unit, lang) == text


def test_format_claim_and_time(facts: pl.DataFrame) -> None:
    rows = by_id(facts)
    assert wording.format_claim(rows["TRP-0002"]) == "100,000–150,000"
    assert wording.format_claim(rows["TRP-0002"], "ar") == "بين 100,000 و150,000"
    assert wording.format_claim(rows["CAS-0005"]) == "at least 3,000 (indefinite plural)"
    assert wording.format_claim(rows["DSP-0001"]) == "about 1.6 million"
    assert wording.format_time(rows["TRP-0001"]) == "2003"
    assert wording.format_time(rows["CAS-0002"]) == "19 Mar 2003 – 31 Aug 2010"
    assert wording.format_time(rows["CAS-0002"], "ar") == "19 مارس 2003 – 31 أغسطس 2010"
    assert unit_end(D(2011, 1, 1), "year") == D(2011, 12, 31)
    assert unit_end(D(2020, 2, 1), "month") == D(2020, 2, 29)


def test_the_package_s_own_figures() -> None:
    """The figures the package is known for, computed once from its validated data."""
    a = analyse(validate(ROOT / "datapackage.json"))
    derived = a.derived_by_id
    assert derived["DRV-REL-0001"]["value"] == 4421 + 66 == derived["DRV-REL-0001"]["compared_value"]
    assert derived["DRV-REL-0002"]["value"] == pytest.approx(100 * 3492 / 4421)
    assert derived["DRV-REL-0006"]["value"] == pytest.approx(100 * 861e6 / 14.32e9)
    assert derived["DRV-REL-0008"]["value"] == pytest.approx(1.6e6 * 100 / 5.5)
    assert derived["DRV-0001"]["value"] == 4487 + 179 + 139
    assert all(math.isfinite(r["value"]) for r in derived.values())
    assert a.relations["holds"].to_list() == [True] * a.relations.height
    assert a.discrepancies.select("metric", "party", "fact_ids").rows() == [
        ("troops_deployed", "us", "TRP-0002 TRP-0004")
    ]
    costs = a.scope_differences.filter((pl.col("metric") == "cost") & (pl.col("party") == "us"))
    assert costs.row(0, named=True)["ratio"] == pytest.approx(6.0)
    assert "killed" in a.scope_differences["metric"].to_list()
    picked = a.events(["combat_mission_end", "invasion_start", "no_such_event"])
    assert [e["event"] for e in picked] == ["combat_mission_end", "invasion_start"]
    assert picked[1]["date"] == D(2003, 3, 20)  # two day-precise reported claims: the lower id wins
    assert a.attribution.startswith("Data: iraq-war-facts (CC BY 4.0), compiled from five Arabic news articles")
