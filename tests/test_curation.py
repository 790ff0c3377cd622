"""Curation: ``add-source`` registers a new text in the sources table; ``draft`` proposes rows for its mentions."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import copy_package, rows, snapshot
from iraq_war_facts.cli import main
from iraq_war_facts.curation import DRAFT_COLUMNS, add_source, draft, draft_text, score
from iraq_war_facts.descriptor import stale_hashes
from iraq_war_facts.errors import IWFError
from iraq_war_facts.package import load

pytestmark = pytest.mark.slow(5)  # seconds, roughly: the order in which workers take the slow files

ARTICLE = (
    "عنوان: الانسحاب من العراق\n"
    "\n"
    "قال مسؤول إن نحو 2500 جندي سيبقون في البلاد بعد نهاية العام.\n"
    "وبحسب تقرير نشر أمس، قُتل أكثر من 4400 جندي أمريكي منذ عام 2003.\n"
)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    path = folder / "new_article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def sources_csv(descriptor: Path) -> Path:
    return descriptor.parent / "data" / "sources.csv"


# --- add-source: the library ----------------------------------------------------------------------------------------


def test_add_source_appends_one_row_and_keeps_the_package_valid(package: Path, article: Path) -> None:
    before = sources_csv(package).read_bytes()
    last = rows(sources_csv(package))[-1]["source_id"]
    row = add_source(article, package)
    after = sources_csv(package).read_bytes()
    assert after.startswith(before), "the existing bytes must be kept"
    appended = after[len(before) :].decode("utf-8")
    assert appended.endswith("\n") and appended.count("\n") == 1 and "\r" not in appended
    header = before.decode("utf-8").split("\n", 1)[0].split(",")
    assert next(csv.reader(io.StringIO(appended))) == [row[name] for name in header]
    data = ARTICLE.encode("utf-8")
    assert row["source_id"] == f"src-{int(last[4:]) + 1:03d}"
    assert row["file"] == "new_article.txt"
    assert row["text_sha256"] == hashlib.sha256(data).hexdigest()
    assert row["bytes"] == str(len(data))
    assert row["language"] == "ar"
    assert (row["publisher"], row["publisher_basis"]) == ("", "unknown")
    assert (row["published"], row["published_basis"]) == ("", "unknown")
    for name in ("provenance_note", "summary_en"):
        assert row[name].startswith("TO FILL:"), name
    assert stale_hashes(package) == []
    from iraq_war_facts.validate import validate

    report = validate(package)  # valid but for the one thing only a curator can add: a fact citing the source
    assert [p.text() for p in report.problems] == ["data/sources.csv:7:1: source src-005 is not cited by any fact"]


def test_add_source_keeps_crlf_line_endings(package: Path, article: Path) -> None:
    path = sources_csv(package)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    add_source(article, package)
    appended = path.read_bytes()[len(before) :]
    assert appended.endswith(b"\r\n") and appended.count(b"\n") == 1


def test_add_source_ends_a_last_line_that_has_no_newline(package: Path, article: Path) -> None:
    path = sources_csv(package)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    before = path.read_bytes()
    add_source(article, package)
    after = path.read_bytes()
    assert after.startswith(before + b"\n") and len(rows(path)) == 6


def test_add_source_takes_a_language_for_a_text_in_another_script(package: Path, tmp_path: Path) -> None:
    text = tmp_path / "english.txt"
    text.write_text("About 2,500 troops will stay in Iraq.\n", encoding="utf-8")
    assert add_source(text, package, language="en")["language"] == "en"


def test_the_next_id_follows_the_highest_not_the_last(package: Path, article: Path) -> None:
    path = sources_csv(package)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("src-000,", "src-041,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert add_source(article, package)["source_id"] == "src-042"


# --- add-source: refusals -------------------------------------------------------------------------------------------


def refused(exc: pytest.ExceptionInfo[IWFError], code: int, *words: str) -> None:
    assert exc.value.exit_code == code
    for word in words:
        assert word in str(exc.value), (word, str(exc.value))


def test_a_text_registered_under_the_same_name_is_refused(package: Path, article: Path) -> None:
    add_source(article, package)
    before = snapshot(package.parent)
    article.write_text(ARTICLE + "فقرة أخرى.\n", encoding="utf-8")
    with pytest.raises(IWFError) as exc:
        add_source(article, package)
    refused(exc, 1, "new_article.txt", "already registered", "src-005")
    assert snapshot(package.parent) == before


def test_a_text_registered_under_another_name_is_refused(package: Path, article: Path) -> None:
    add_source(article, package)
    before = snapshot(package.parent)
    twin = article.with_name("same_text.txt")
    twin.write_bytes(article.read_bytes())
    with pytest.raises(IWFError) as exc:
        add_source(twin, package)
    refused(exc, 1, "same_text.txt", "src-005", "sha256")
    assert snapshot(package.parent) == before


@pytest.mark.parametrize("name", ["new article.txt", "article.md", "مقال.txt"])
def test_a_file_name_the_schema_does_not_allow_is_refused(package: Path, tmp_path: Path, name: str) -> None:
    text = tmp_path / name
    text.write_text(ARTICLE, encoding="utf-8")
    before = snapshot(package.parent)
    with pytest.raises(IWFError) as exc:
        add_source(text, package)
    refused(exc, 1, repr(name), "^[A-Za-z0-9_.-]+\\.txt$", "rename")
    assert snapshot(package.parent) == before


def test_a_text_that_is_not_utf8_is_unusable(package: Path, tmp_path: Path) -> None:
    text = tmp_path / "latin.txt"
    text.write_bytes("قال".encode() + b"\xff\xfe")
    with pytest.raises(IWFError) as exc:
        add_source(text, package)
    refused(exc, 2, "latin.txt", "not UTF-8", "byte 6")


@pytest.mark.parametrize("content", [None, b""])
def test_a_missing_or_empty_text_is_unusable(package: Path, tmp_path: Path, content: bytes | None) -> None:
    text = tmp_path / "absent.txt"
    if content is not None:
        text.write_bytes(content)
    with pytest.raises(IWFError) as exc:
        add_source(text, package)
    refused(exc, 2, "absent.txt")


def test_a_text_in_another_script_without_a_language_is_refused(package: Path, tmp_path: Path) -> None:
    text = tmp_path / "english.txt"
    text.write_text("About 2,500 troops will stay, حوالي.\n", encoding="utf-8")
    with pytest.raises(IWFError) as exc:
        add_source(text, package)
    refused(exc, 1, "english.txt", "--language")


@pytest.mark.parametrize("language", ["english", "EN", "e"])
def test_a_language_the_schema_does_not_allow_is_refused(package: Path, article: Path, language: str) -> None:
    with pytest.raises(IWFError) as exc:
        add_source(article, package, language=language)
    refused(exc, 1, repr(language), "language")


def test_the_sources_table_is_never_written_through_a_symlink(package: Path, article: Path, tmp_path: Path) -> None:
    path = sources_csv(package)
    real = tmp_path / "elsewhere.csv"
    real.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(real)
    before = real.read_bytes()
    with pytest.raises(IWFError) as exc:
        add_source(article, package)
    refused(exc, 2, "data/sources.csv", "symlink")
    assert real.read_bytes() == before


# --- add-source: the command ----------------------------------------------------------------------------------------


def test_add_source_command_prints_the_row_and_where_to_put_the_text(
    package: Path, article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    assert main(["add-source", str(article), str(package), "--sources", str(seeds)]) == 0
    out = capsys.readouterr().out
    assert "added src-005 (new_article.txt)" in out
    assert "language: ar" in out and "publisher_basis: unknown" in out
    assert f"copy it to {seeds / 'new_article.txt'} for validate --sources {seeds}" in out


def test_add_source_command_for_a_text_already_in_the_sources_folder(
    package: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add-source", str(article), str(package), "--sources", str(article.parent)]) == 0
    out = capsys.readouterr().out
    assert "copy it" not in out and f"--sources {article.parent}" in out


def test_add_source_command_refuses_with_exit_1_and_a_message(
    package: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add-source", str(article), str(package)]) == 0
    capsys.readouterr()
    assert main(["add-source", str(article), str(package)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "already registered" in err and "Traceback" not in err


def test_add_source_command_exits_2_on_a_text_that_is_not_utf8(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "latin.txt"
    text.write_bytes(b"\xff")
    assert main(["add-source", str(text), str(package)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_the_registered_source_is_loaded_by_the_package(package: Path, article: Path) -> None:
    add_source(article, package)
    assert load(package).resources["sources"].path.read_text(encoding="utf-8").count("new_article.txt") == 1
    declared = json.loads(package.read_text(encoding="utf-8"))["resources"][0]
    assert declared["bytes"] == sources_csv(package).stat().st_size


# --- draft: one proposed row per mention ----------------------------------------------------------------------------

TEXT = "\n".join(
    [
        "قال مسؤول عسكري إن نحو 2500 جندي أمريكي سيبقون في العراق بعد نهاية العام.",
        "وبحسب وزارة الدفاع الأمريكية، قتل أكثر من 4400 جندي منذ عام 2003.",
        "وفي 15 مارس 2004 نزح ما بين 3000 و5000 شخص خلال ثلاثة أيام.",
        "وقدّرت منظمات الإغاثة عدد النازحين بعشرات الآلاف، أي 12% من السكان تقريباً.",
        "واتخذت واشنطن القرار من جانب واحد قبل أربع سنوات، في الخامس من يناير.",
        "وأكد التقرير مجدداً أن أكثر من 4400 جندي قتلوا، وأن 4400 دولار صرفت لكل أسرة.",
    ]
)


@pytest.fixture(scope="module")
def lex():
    from iraq_war_facts.cues import lexicon

    return lexicon(ROOT / "datapackage.json")


@pytest.fixture(scope="module")
def reasons() -> frozenset[str]:
    return frozenset(r["code"] for r in rows(ROOT / "data" / "codebook.csv") if r["list"] == "reason")


def by_mention(drafts) -> dict[tuple[int, str], object]:
    return {(d.paragraph, d.mention): d for d in drafts}


def test_a_hedged_planned_figure_with_its_counted_noun(lex, reasons) -> None:
    row = by_mention(draft_text(TEXT, lex, reasons))[(1, "2500")]
    assert (row.kind, row.value, row.value_low, row.value_high) == ("fact", "2500", "", "")
    assert (row.qualifier, row.claim_type, row.unit) == ("approximately", "planned", "persons")
    assert row.quote == "نحو 2500 جندي"
    assert row.attributed_to == "مسؤول عسكري"  # the phrase after قال, cut before إن


def test_a_lower_bound_credited_to_a_named_source(lex, reasons) -> None:
    row = by_mention(draft_text(TEXT, lex, reasons))[(2, "4400")]
    assert (row.kind, row.qualifier, row.claim_type, row.attributed_to) == ("fact", "more_than", "reported", "pentagon")
    assert row.quote == "أكثر من 4400 جندي"


def test_date_parts_and_time_references(lex, reasons) -> None:
    rows_ = by_mention(draft_text(TEXT, lex, reasons))
    assert rows_[(2, "2003")].kind == "date_part"
    assert rows_[(3, "15")].kind == "date_part"
    assert rows_[(3, "2004")].kind == "date_part"
    assert rows_[(3, "ثلاثة")].kind == "time_reference"
    assert rows_[(5, "أربع")].kind == "time_reference"
    assert rows_[(5, "الخامس")].kind == "date_part"
    for key in [(2, "2003"), (3, "ثلاثة"), (5, "أربع")]:
        assert rows_[key].note, key


def test_a_range_and_an_indefinite_plural_give_their_bounds(lex, reasons) -> None:
    rows_ = draft_text(TEXT, lex, reasons)
    ranged = next(r for r in rows_ if r.paragraph == 3 and r.kind == "fact")
    assert (ranged.value, ranged.value_low, ranged.value_high, ranged.qualifier) == ("", "3000", "5000", "range")
    assert ranged.quote == "ما بين 3000 و5000 شخص"
    plural = by_mention(rows_)[(4, "بعشرات الآلاف")]
    assert (plural.kind, plural.value, plural.value_low, plural.qualifier) == ("fact", "", "30000", "indefinite")
    assert plural.claim_type == "estimated"


def test_a_percent_hedged_after_the_figure(lex, reasons) -> None:
    row = by_mention(draft_text(TEXT, lex, reasons))[(4, "12%")]
    assert (row.kind, row.value, row.unit, row.qualifier) == ("fact", "12", "percent", "approximately")
    assert row.quote.startswith("12%") and row.quote.endswith("تقريباً")


def test_an_idiom_and_a_repeat(lex, reasons) -> None:
    rows_ = draft_text(TEXT, lex, reasons)
    found = by_mention(rows_)
    assert found[(5, "واحد")].kind == "not_a_quantity"
    sixth = [r for r in rows_ if r.paragraph == 6]
    assert [(r.mention, r.kind) for r in sixth] == [("4400", "repeat"), ("4400", "fact")]  # dollars are not soldiers
    assert "paragraph 2" in sixth[0].note and sixth[0].quote == "أكثر من 4400 جندي"


def test_an_ordinal_is_not_a_quantity(lex, reasons) -> None:
    from iraq_war_facts.arabic import Mention
    from iraq_war_facts.curation.drafting import classify

    text = "في الذكرى العشرين للغزو"
    m = Mention(text.index("العشرين"), text.index("العشرين") + 7, "العشرين", Decimal(20), None, None, "ordinal")
    assert classify(text, m, [m], reasons)[0] == "not_a_quantity"


MORE = "\n".join(
    [
        "ووصلت طلائع اللواء 25 إلى المدينة بعد أن قتل 30 شرطياً خلال الأشهر الـ6 الماضية.",
        "وفي الفترة بين عامي 2005 و2009 ارتفعت الهجمات، وأكدت الوزارة أن الشرطيين الـ30 سقطوا في كمين.",
        "ومن المتوقع، بحسب الخطة، أن يصل 400 مستشار إضافي.",
    ]
)


def test_names_definite_figures_periods_and_markers_earlier_in_the_sentence(lex, reasons) -> None:
    found = by_mention(draft_text(MORE, lex, reasons))
    assert found[(1, "25")].kind == "not_a_quantity" and "name" in found[(1, "25")].note
    assert found[(1, "30")].kind == "fact"
    assert found[(1, "6")].kind == "time_reference"
    period = next(r for r in draft_text(MORE, lex, reasons) if r.paragraph == 2 and r.value_low == "2005")
    assert period.kind == "date_part"
    assert (found[(2, "30")].kind, found[(2, "30")].quote) == ("repeat", "الشرطيين الـ30")
    assert found[(3, "400")].claim_type == "planned"


def test_quotes_are_verbatim_and_rows_in_reading_order(lex, reasons) -> None:
    paras = [p for p in TEXT.split("\n") if p.strip()]
    drafted = draft_text(TEXT, lex, reasons)
    assert [(r.paragraph, r.start) for r in drafted] == sorted((r.paragraph, r.start) for r in drafted)
    for r in drafted:
        assert r.quote in paras[r.paragraph - 1] and r.mention in r.quote
        assert r.kind == "fact" or r.kind in reasons
    assert drafted == draft_text(TEXT, lex, reasons)


def test_a_covered_mention_gets_no_row_but_still_makes_a_repeat(lex, reasons) -> None:
    covers = {2: [("أكثر من 4400 جندي", frozenset({Decimal(4400)}))]}
    drafted = draft_text(TEXT, lex, reasons, covers)
    assert (2, "4400") not in by_mention(drafted)
    assert next(r.kind for r in drafted if r.paragraph == 6) == "repeat"


# --- draft: the command ---------------------------------------------------------------------------------------------


@pytest.fixture
def long_article(tmp_path: Path) -> Path:
    path = tmp_path / "long_article.txt"
    path.write_text(TEXT + "\n", encoding="utf-8")
    return path


def test_draft_command_writes_csv_to_stdout_only(long_article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(ROOT / "data")
    assert main(["draft", str(long_article), str(ROOT / "datapackage.json")]) == 0
    out = capsys.readouterr().out
    table = list(csv.DictReader(io.StringIO(out)))
    assert set(DRAFT_COLUMNS) <= set(table[0])
    assert [r["value"] or r["value_low"] for r in table][:2] == ["2500", "4400"]
    assert snapshot(ROOT / "data") == before


def test_draft_command_writes_json(long_article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draft", str(long_article), str(ROOT / "datapackage.json"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(DRAFT_COLUMNS) <= set(doc[0]) and doc[0]["quote"] == "نحو 2500 جندي"


def test_draft_leaves_out_what_the_package_covers(package: Path, long_article: Path, lex, reasons) -> None:
    sid = add_source(long_article, package)["source_id"]
    with (package.parent / "data" / "not_tabulated.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["NTB-9999", sid, 2, "2003", "2003", "date_part", "منذ عام 2003", "since 2003", ""]
        )
    drafted = draft(long_article, package)
    assert (2, "2003") not in by_mention(drafted)
    assert len(drafted) == len(draft_text(TEXT, lex, reasons)) - 1


def test_draft_command_exits_2_on_a_text_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "latin.txt"
    text.write_bytes(b"\xff")
    assert main(["draft", str(text), str(ROOT / "datapackage.json")]) == 2
    assert "not UTF-8" in capsys.readouterr().err


# --- draft-score: drafts measured against a curator's rows ----------------------------------------------------------

GOLD_HEADER = "text,paragraph,mention,kind,value,value_low,value_high,qualifier,claim_type,attributed_to,note\n"


def gold_folder(tmp_path: Path, gold_rows: list[str]) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT + "\n", encoding="utf-8")
    (folder / "gold.csv").write_text(GOLD_HEADER + "".join(r + "\n" for r in gold_rows), encoding="utf-8")
    return folder


def test_score_counts_facts_found_with_their_qualifier_and_kinds(tmp_path: Path) -> None:
    folder = gold_folder(
        tmp_path,
        [
            "a.txt,1,2500,fact,2500,,,approximately,planned,,",  # found, right qualifier
            "a.txt,2,4400,fact,4400,,,at_least,reported,pentagon,",  # found, wrong qualifier
            "a.txt,3,3000 و5000,fact,,3000,5000,range,reported,article,",  # found by its bounds
            "a.txt,4,12%,fact,13,,,approximately,reported,article,",  # wrong value: not found
            "a.txt,2,2003,date_part,2003,,,,,,",  # right kind
            "a.txt,5,واحد,repeat,1,,,,,,",  # wrong kind
        ],
    )
    result = score(folder, ROOT / "datapackage.json")
    assert (result.texts, result.facts, result.found, result.qualified, result.claims) == (1, 4, 3, 2, 3)
    assert (result.others, result.kinds) == (2, 1)
    assert result.recall == pytest.approx(0.75) and result.qualifier_accuracy == pytest.approx(2 / 3)
    assert result.kind_accuracy == pytest.approx(0.5)
    assert any("13" in miss and "paragraph 4" in miss for miss in result.misses)
    assert result.extra == 3  # 12%, the indefinite plural and the 4400 dollars: drafted as facts, not in the gold


def test_score_of_a_folder_without_gold_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(IWFError) as exc:
        score(tmp_path, ROOT / "datapackage.json")
    refused(exc, 2, "gold.csv")


def test_score_names_a_gold_row_whose_text_is_missing(tmp_path: Path) -> None:
    folder = gold_folder(tmp_path, ["b.txt,1,5,fact,5,,,exact,reported,article,"])
    with pytest.raises(IWFError) as exc:
        score(folder, ROOT / "datapackage.json")
    refused(exc, 2, "gold.csv", "line 2", "b.txt")


def test_draft_score_command_prints_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = gold_folder(tmp_path, ["a.txt,1,2500,fact,2500,,,approximately,planned,,"])
    assert main(["draft-score", str(folder), str(ROOT / "datapackage.json")]) == 0
    out = capsys.readouterr().out
    assert "facts proposed with the right value or bounds: 1/1 (100.0%)" in out
    assert "right qualifier: 1/1 (100.0%)" in out


def test_the_dev_set_reaches_the_issue_bars() -> None:
    """On the composed development texts (tests/fixtures/drafting/dev): at least 95% of the facts a curator tabulated
    are proposed with the right value or bounds, and at least 90% of those with the right qualifier. The held-out
    texts are measured with ``draft-score``, never tuned on and not tested."""
    result = score(ROOT / "tests" / "fixtures" / "drafting" / "dev", ROOT / "datapackage.json")
    assert result.facts >= 50, "the dev set is too small to measure"
    assert result.recall >= 0.95, result.misses
    assert result.qualifier_accuracy >= 0.90, result.misses
