"""The web edition, read as HTML: every page framed alike (head, landmarks, one h1, headings in order, a skip link,
its twin), every link reaching a file and an element of the edition, every id a link to its page in the same
language, the Arabic edition right to left and in Arabic, fact pages quoting the data, the facts table one row per
record, the overview's JSON-LD and Open Graph tags. The site is written from the analysis of the repository's package
beside the committed charts (drawing them is the report tests' business), so this module stays cheap."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT
from helpers import rows
from iraq_war_facts import report, wording
from iraq_war_facts.report import sections, web
from iraq_war_facts.report.document import Ids, render_markdown

ARABIC = re.compile(r"[\u0600-\u06FF]")
VOID = {"meta", "link", "img", "input", "br", "hr", "source", "area", "base", "col", "embed", "wbr"}


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    parents: tuple[str, ...] = ()


class Parsed(HTMLParser):
    """The elements of a page in document order, each with its text and the tags it sits in."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.doctype = ""
        self.feed(text)

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parents=tuple(e.tag for e in self.open))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e for e in self.elements if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


@cache
def analysis() -> Any:
    return report._analysis(ROOT / "datapackage.json")


@cache
def edition() -> Path:
    """The site written from the package's analysis, beside the committed charts and fresh tables."""
    a = analysis()
    out = Path(tempfile.mkdtemp(prefix="iwf-site-")) / "reports"
    shutil.copytree(ROOT / "reports" / "charts", out / "charts")
    entries = json.loads((out / "charts" / "index.json").read_text(encoding="utf-8"))["charts"]
    web.write_site(a, entries, out, ROOT)
    report._tables(a, out / "tables")
    (out / "summary.md").write_text(
        render_markdown(sections.document(a, entries), sections.summary_links(a)), encoding="utf-8"
    )
    return out


@cache
def pages() -> dict[str, Parsed]:
    root = edition()
    return {p.relative_to(root).as_posix(): Parsed(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.html"))}


def lang_of(name: str) -> str:
    return "ar" if name.startswith("ar/") else "en"


def twin(name: str) -> str:
    return name.removeprefix("ar/") if name.startswith("ar/") else f"ar/{name}"


def resolve(name: str, href: str) -> tuple[Path, str] | None:
    """(file, fragment) a relative address of page ``name`` points at; None for a web address."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = (edition() / name).parent
    path = (base / unquote(parts.path)).resolve() if parts.path else (edition() / name).resolve()
    return path, unquote(parts.fragment)


@cache
def records() -> dict[str, dict[str, str]]:
    """Every fact, event and derived id of the data -> its row (derived rows have no quote)."""
    topics = [r["code"] for r in rows(ROOT / "data" / "codebook.csv") if r["list"] == "topic"]
    out = {r["fact_id"]: r for t in topics for r in rows(ROOT / "data" / f"{t}.csv")}
    out |= {r["event_id"]: r for r in rows(ROOT / "data" / "events.csv")}
    return out | {r["derived_id"]: r for r in analysis().derived.iter_rows(named=True)}  # declared and implied


def test_both_editions_hold_every_page() -> None:
    names = set(pages())
    assert {twin(n) for n in names} == names
    sources = {r["source_id"] for r in rows(ROOT / "data" / "sources.csv")}
    ids = {n.removeprefix("ar/").removesuffix(".html") for n in names}
    assert {f"fact/{i}" for i in records()} <= ids
    assert {f"source/{s}" for s in sources} <= ids
    assert {"index", "facts"} <= ids
    assert (edition() / "assets" / "site.css").is_file() and (edition() / "assets" / "facts.js").is_file()


def test_every_page_has_the_head_the_landmarks_and_one_h1_with_headings_in_order() -> None:
    for name, page in pages().items():
        lang = lang_of(name)
        [root] = page.find("html")
        assert page.doctype.lower() == "doctype html", name
        assert (root.attrs.get("lang"), root.attrs.get("dir")) == (lang, "rtl" if lang == "ar" else "ltr"), name
        assert page.find("meta", charset="utf-8"), name
        assert page.find("meta", name="viewport", content="width=device-width, initial-scale=1"), name
        assert [t.text.strip() for t in page.find("title")] != [""], name
        for tag in ("header", "nav", "footer"):
            assert page.find(tag), (name, tag)
        assert len(page.find("main", id="main")) == 1 and len(page.find("main")) == 1, name
        first_link = next(e for e in page.elements if e.tag == "a")
        assert first_link.attrs["href"] == "#main", name
        levels = [int(e.tag[1]) for e in page.elements if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (name, levels)


def test_every_address_of_the_edition_reaches_a_file_and_an_element() -> None:
    ids = {
        (edition() / n).resolve(): {e.attrs["id"] for e in p.elements if "id" in e.attrs} for n, p in pages().items()
    }
    bad = []
    for name, page in pages().items():
        for e in page.elements:
            for attr in ("href", "src", "data"):
                if attr not in e.attrs or (e.tag == "meta"):
                    continue
                target = resolve(name, e.attrs[attr])
                if target is None:
                    assert e.attrs[attr].startswith("https://"), (name, e.attrs[attr])
                    continue
                path, fragment = target
                if not (path.is_relative_to(edition().resolve()) and path.is_file()):
                    bad.append((name, e.attrs[attr]))
                elif fragment and path.suffix == ".html" and fragment not in ids[path]:
                    bad.append((name, e.attrs[attr], "no element"))
    assert not bad


def test_every_id_link_goes_to_its_page_in_the_same_language() -> None:
    seen = set()
    for name, page in pages().items():
        home = (edition() / ("ar" if lang_of(name) == "ar" else "")).resolve()
        for link in page.find("a", class_="fid"):
            target = resolve(name, link.attrs["href"])
            assert target is not None, (name, link.attrs)
            path = target[0]
            assert path.stem == link.text and path.parent.parent == home and path.is_file(), (name, link.text)
            seen.add(link.text)
    assert set(records()) <= seen


def test_ids_in_prose_link_only_whole_ids() -> None:
    s = web.Site(analysis(), [], None)
    fid = next(iter(s.a.by_id))
    assert s.linked(f"see {fid}, then") == ["see ", Ids((fid,)), ", then"]
    for text in (f"X{fid}", f"{fid}1", f"{fid}-2"):
        assert s.linked(text) == [text], text


def test_the_arabic_edition_is_right_to_left_and_in_arabic() -> None:
    for name, page in pages().items():
        if lang_of(name) != "ar":
            continue
        headings = [e.text for e in page.elements if re.fullmatch(r"h[1-6]", e.tag)]
        assert headings and all(ARABIC.search(h) for h in headings), (name, headings)
        for th in page.find("th"):
            assert ARABIC.search(th.text), (name, th.text)
        for dt in page.find("dt"):
            assert ARABIC.search(dt.text), (name, dt.text)
    overview = pages()["ar/index.html"]
    assert any("0–9" in p.text for p in overview.find("p")), "the Arabic overview says which digits it uses"


def test_each_page_links_its_twin_in_the_head_and_visibly() -> None:
    for name, page in pages().items():
        other = (edition() / twin(name)).resolve()
        other_lang = "en" if lang_of(name) == "ar" else "ar"
        alternates = page.find("link", rel="alternate", hreflang=other_lang)
        assert any(resolve(name, a.attrs["href"])[0] == other for a in alternates), name
        visible = [a for a in page.find("a") if "header" in a.parents and a.attrs.get("hreflang") == other_lang]
        assert visible and resolve(name, visible[0].attrs["href"])[0] == other, name


def test_a_fact_page_quotes_the_fact_and_its_translation() -> None:
    for key, row in records().items():
        if "quote" not in row:
            continue
        for name in (f"fact/{key}.html", f"ar/fact/{key}.html"):
            [quote] = pages()[name].find("blockquote", class_="quote")
            assert (quote.attrs["lang"], quote.attrs["dir"]) == ("ar", "rtl")
            assert " ".join(quote.text.split()) == " ".join(row["quote"].split()), name
            assert any(row["quote_en"] in p.text for p in pages()[name].find("p", class_="translation")), name


def test_the_facts_table_has_one_row_per_fact_derived_figure_and_event_all_shown_without_script() -> None:
    for name in ("facts.html", "ar/facts.html"):
        page = pages()[name]
        tables = [i for i, e in enumerate(page.elements) if e.tag == "table"]
        first = next(i for i in tables if page.elements[i].attrs.get("id") == "facts")
        last = next((i for i in tables if i > first), len(page.elements))
        starts = [i for i in range(first, last) if page.elements[i].tag == "tr" and "tbody" in page.elements[i].parents]
        rows_ = [page.elements[i] for i in starts]
        ids = [next(a.text for a in page.elements[i:] if a.tag == "a") for i in starts]
        assert sorted(ids) == sorted(records()), name
        assert not any("hidden" in r.attrs for r in rows_), "a row hidden before any script runs"
        [form] = page.find("form", id="filters")
        assert "hidden" in form.attrs, "the filter form waits for the script"
        assert page.find("input", type="search") and len(page.find("select")) == 3
        assert [s.attrs["src"] for s in page.find("script")] == [
            "assets/facts.js" if name == "facts.html" else "../assets/facts.js"
        ]
        assert all(r.attrs.get("data-search") and "data-topic" in r.attrs for r in rows_)


def _json_ld(name: str) -> dict[str, Any]:
    [script] = pages()[name].find("script", type="application/ld+json")
    return json.loads(script.text)


def test_the_overview_carries_a_dataset_with_every_download() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for name in ("index.html", "ar/index.html"):
        data = _json_ld(name)
        assert data["@type"] == "Dataset" and data["version"] == descriptor["version"]
        assert data["name"] == descriptor["title"] and data["keywords"] == descriptor["keywords"]
        assert data["license"] == descriptor["licenses"][0]["path"] and data["creator"]
        downloads = {d["name"]: d for d in data["distribution"]}
        assert all(d["@type"] == "DataDownload" for d in downloads.values())
        for res in descriptor["resources"]:
            entry = downloads[res["path"]]
            assert (
                entry["sha256"] == res["hash"].removeprefix("sha256:") and entry["contentSize"] == f"{res['bytes']} B"
            )
        page = pages()[name]
        shown = {c.text for c in page.find("code")} | {a.text for a in page.find("a")}
        assert set(downloads) <= shown, "a download of the JSON-LD not on the page"


def test_json_ld_cannot_close_its_script() -> None:
    a = analysis()
    hostile = dataclasses.replace(a, descriptor={**a.descriptor, "description": "</script><script>alert(1)</script>"})
    text = web.json_ld(web.Site(hostile, [], None), web.Page("index.html", "en"))
    assert "<" not in text and json.loads(text)["description"] == "</script><script>alert(1)</script>"


def test_the_overview_has_open_graph_tags_and_charts_with_short_alt_and_their_description() -> None:
    for name, locale in (("index.html", "en_US"), ("ar/index.html", "ar_AR")):
        page = pages()[name]
        og = {m.attrs["property"]: m.attrs["content"] for m in page.find("meta") if "property" in m.attrs}
        assert {"og:title", "og:description", "og:type", "og:image"} <= set(og) and og["og:locale"] == locale
        assert og["og:image"].endswith(".png") and resolve(name, og["og:image"])[0].is_file()
        objects = page.find("object", type="image/svg+xml")
        assert len(objects) == 5
        ids = {e.attrs.get("id") for e in page.elements}
        for obj in objects:
            [img] = [
                e
                for e in page.elements
                if e.tag == "img"
                and "object" in e.parents
                and e.attrs["src"].endswith(obj.attrs["data"].removesuffix(".svg").rsplit("/", 1)[1] + ".png")
            ]
            assert 0 < len(img.attrs["alt"]) <= web.MAX_ALT
            assert obj.attrs["aria-describedby"] in ids


@pytest.mark.parametrize("extra", [-1, 0, 1, 60])
def test_alt_text_keeps_to_250_characters(extra: int) -> None:
    room = web.MAX_ALT - len(wording.say("chart_alt", "en", title=""))
    title = ("word " * 80)[: room + extra]
    alt = web.short_alt(title, "en")
    assert len(alt) <= web.MAX_ALT
    assert (title in alt) == (extra <= 0)


def test_the_repository_comes_from_citation_cff(tmp_path: Path) -> None:
    assert web.repository(tmp_path) is None
    (tmp_path / "CITATION.cff").write_text('title: x\nrepository-code: "https://example.org/r"\n', encoding="utf-8")
    assert web.repository(tmp_path) == "https://example.org/r"
    (tmp_path / "CITATION.cff").write_text("repository-code: javascript:alert(1)\n", encoding="utf-8")
    assert web.repository(tmp_path) is None


def test_summary_md_links_every_id_to_its_page() -> None:
    md = (edition() / "summary.md").read_text(encoding="utf-8")
    links = re.findall(r"\[`([^`]+)`\]\(([^)]+)\)", md)
    assert {i for i, _ in links} >= {i for i in records() if not i.startswith("EVT-")}  # events: not in the summary
    for key, href in links:
        assert href.endswith(f"/{key}.html") and (edition() / href).is_file(), href
