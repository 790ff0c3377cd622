"""The web edition in a real browser: Playwright drives the system's Chromium (``chromium`` on the PATH: Debian's
package, the runner image's on GitHub; no browser is ever downloaded) over one build of the edition made by the code
under test, not the committed reports.

Every HTML page of both editions is loaded once, in a 390 px wide window, and checked there: no console error, no
uncaught exception, no failed request nor error status, no request leaving the edition, every link to a file of the
edition (and to an element of it), every fact id a link to its page in the same language, the language and direction
of its edition, a link to its twin in the other edition, and no horizontal overflow. Loading is the cost (some 60 ms
a page, mostly Chromium's navigation; 11 s for both editions here) and the checks are one script on the loaded page, so
overflow is checked on every page rather than on a sample.

Then, as a reader would: clicking a fact id in a chart (inside the ``<object>`` SVG) and in the facts table lands on
the fact's page, which shows the fact's quote as written in the data; the facts table's topic filter and search work,
and without JavaScript every row shows. Screenshots of the overview, the facts table and one fact page, in both
languages at 390 and 1400 px, go into ``$IWF_SCREENSHOTS`` (CI keeps them as an artifact), else a temporary folder.

Without chromium or playwright the module skips, unless ``IWF_REQUIRE_SOURCES=1`` (CI) makes it mandatory.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest
import yaml

from conftest import REQUIRE, ROOT
from helpers import rows
from iraq_war_facts import report

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Frame, Page

# Seconds here: the build (7), 172 page loads (11), 12 screenshots (5), the clicks.
pytestmark = [pytest.mark.browser, pytest.mark.slow(30)]

NARROW, WIDE = 390, 1400
HEIGHT = 900
EDITIONS = {"en": "", "ar": "ar/"}  # language: folder of its edition
SHOWN = ("index.html", "facts.html")  # pages screenshotted in each edition, with one fact page

PAGE_FACTS = """() => {
  const root = document.documentElement, main = document.querySelector("main");
  const links = Array.from(document.querySelectorAll("a[href]"), (a) => ({
    href: a.href, visible: a.checkVisibility(), text: a.textContent.trim(), fid: a.classList.contains("fid"),
  }));
  const wide = root.scrollWidth > window.innerWidth
    ? Array.from(document.querySelectorAll("body *"))
        .filter((e) => { const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })
        .filter((e) => !e.closest(".scroll") || e.classList.contains("scroll"))
        .slice(0, 5).map((e) => e.outerHTML.slice(0, 120))
    : [];
  return {
    lang: root.lang, dir: root.dir, mainDirection: main ? getComputedStyle(main).direction : null,
    scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide, links,
    alternates: Array.from(document.querySelectorAll('link[rel="alternate"][hreflang]'),
      (l) => ({ href: l.href, hreflang: l.hreflang })),
    ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id),
  };
}"""

CHART_LINKS = """() => Array.from(document.querySelectorAll("a"), (a) => ({
  href: a.getAttribute("href") || a.getAttributeNS("http://www.w3.org/1999/xlink", "href"),
  target: a.getAttribute("target"),
  text: a.textContent.trim(),
}))"""

TABLE_ROWS = """() => {
  const ided = (table) => Array.from(table.tBodies)
    .flatMap((body) => Array.from(body.rows)).filter((row) => row.querySelector("a.fid"));
  const rows = Array.from(document.querySelectorAll("table"), ided).reduce((a, b) => (b.length > a.length ? b : a), []);
  return rows.map((tr) => ({ id: tr.querySelector("a.fid").textContent.trim(), visible: tr.checkVisibility() }));
}"""  # the rows of the page's longest table of ids (the facts table), each with its own id (its first) and visibility


# --- what the data says ----------------------------------------------------------------------------------------------


@cache
def resources() -> dict[str, Path]:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: ROOT / r["path"] for r in descriptor["resources"]}


@cache
def topics() -> dict[str, dict[str, str]]:
    """Each topic's code with its labels (the codebook's)."""
    return {r["code"]: r for r in rows(resources()["codebook"]) if r["list"] == "topic"}


@cache
def fact_topics() -> dict[str, str]:
    """Fact id -> topic code, for every row of every topic table."""
    return {r["fact_id"]: topic for topic in topics() for r in rows(resources()[topic])}


@cache
def quotes() -> dict[str, str]:
    """Fact or event id -> its Arabic quote, as the data writes it."""
    found = {r["fact_id"]: r["quote"] for topic in topics() for r in rows(resources()[topic])}
    found.update({r["event_id"]: r["quote"] for r in rows(resources()["events"])})
    return found


def distinctive_word() -> tuple[str, str]:
    """(fact id, an Arabic word of its quote found in no other quote), the first in id order."""
    words = {key: re.findall(r"[\u0621-\u064a]{4,}", quote) for key, quote in quotes().items()}
    for key in sorted(fact_topics()):
        for word in words[key]:
            if sum(word in quote for quote in quotes().values()) == 1:
                return key, word
    raise AssertionError("no quote has a word of its own")  # pragma: no cover - the data has many


def normal(text: str) -> str:
    return " ".join(text.split())


# --- the browser and the edition -------------------------------------------------------------------------------------


def unavailable(reason: str) -> NoReturn:
    if REQUIRE:
        pytest.fail(f"{reason}, and IWF_REQUIRE_SOURCES=1 makes the browser test mandatory")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, one for the module; nothing is downloaded."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            unavailable("playwright is not installed (it is in the dev extra)")
        executable = shutil.which("chromium")
        if executable is None:
            unavailable("chromium is not installed (CI installs Debian's chromium package)")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable)
            yield chromium
            chromium.close()


@pytest.fixture(scope="module")
def edition(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition built from the repository's package by the code under test (after the browser is found, so that
    a machine without one skips at once)."""
    out = tmp_path_factory.mktemp("edition") / "reports"
    report.build_reports(out, ROOT / "datapackage.json")
    return out


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The screenshots' folder: ``$IWF_SCREENSHOTS`` (made if missing) or a temporary one."""
    chosen = os.environ.get("IWF_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_context(browser: Browser, width: int, **options: Any) -> BrowserContext:
    """A context with a window ``width`` px wide, whose actions give up after 5 s (the pages are local files)."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, **options)
    context.set_default_timeout(5000)
    return context


@pytest.fixture(scope="module")
def narrow(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser, NARROW)
    yield context
    context.close()


@pytest.fixture(scope="module")
def wide(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser, WIDE)
    yield context
    context.close()


def listing(found: list[Any] | dict[str, Any]) -> str:
    """One line per offender, for the failure message."""
    items = found.items() if isinstance(found, dict) else enumerate(found)
    return "\n".join(f"{key}: {value}" for key, value in items)


@dataclass
class Watched:
    """A page with everything that went wrong on it since the last :meth:`open`."""

    page: Page
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        page = self.page
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught exception: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed request: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"status {r.status}: {r.url}"))
        page.on("request", lambda r: outside(r.url) and self.problems.append(f"request outside the edition: {r.url}"))

    def open(self, path: Path) -> list[str]:
        """Load the page at ``path``; return what went wrong while loading it."""
        self.problems = []
        self.page.goto(path.as_uri(), wait_until="load")
        return self.problems


def outside(url: str) -> bool:
    return urlsplit(url).scheme not in {"file", "data", "about", "blob"}


def target(url: str) -> Path | None:
    """The file a ``file:`` URL names (None for any other URL)."""
    parts = urlsplit(url)
    return Path(url2pathname(parts.path)) if parts.scheme == "file" else None


def pages(edition: Path) -> list[str]:
    return sorted(p.relative_to(edition).as_posix() for p in edition.rglob("*.html"))


def twin(name: str) -> str:
    prefix = EDITIONS["ar"]
    return name.removeprefix(prefix) if name.startswith(prefix) else prefix + name


def language(name: str) -> str:
    return "ar" if name.startswith(EDITIONS["ar"]) else "en"


def shown_fact() -> str:
    """The fact whose page is screenshotted: the first of the first topic."""
    return next(iter(fact_topics()))


def shot_name(name: str, width: int) -> str:
    """``ar/fact/TRP-0001.html`` at 390 px -> ``ar-fact-TRP-0001-390.png``."""
    stem = name.removeprefix(EDITIONS["ar"]).removesuffix(".html").replace("/", "-")
    return f"{language(name)}-{stem}-{width}.png"


def screenshot(page: Page, shots: Path, name: str, width: int) -> None:
    page.screenshot(path=shots / shot_name(name, width), full_page=True)


def shown_pages() -> list[str]:
    """The pages screenshotted: the overview, the facts table and one fact page, in each edition."""
    return [f"{folder}{name}" for folder in EDITIONS.values() for name in (*SHOWN, f"fact/{shown_fact()}.html")]


@pytest.fixture(scope="module")
def sweep(edition: Path, narrow: BrowserContext, shots: Path) -> dict[str, dict[str, Any]]:
    """Every page loaded once at 390 px: what it reports of itself, with ``problems`` (what went wrong loading it);
    the 390 px screenshots are taken on the way."""
    watched = Watched(narrow.new_page())
    shown = set(shown_pages())
    found = {}
    for name in pages(edition):
        problems = watched.open(edition / name)
        facts = watched.page.evaluate(PAGE_FACTS)
        if name in shown:
            screenshot(watched.page, shots, name, NARROW)
        found[name] = {**facts, "problems": list(problems)}
    watched.page.close()
    return found


# --- every page ------------------------------------------------------------------------------------------------------


def test_both_editions_have_the_same_pages_and_every_kind_of_page(edition: Path) -> None:
    names = pages(edition)
    assert {twin(n) for n in names} == set(names), "a page without its twin in the other edition"
    for folder in EDITIONS.values():
        assert {f"{folder}index.html", f"{folder}facts.html", f"{folder}fact/{shown_fact()}.html"} <= set(names)

    def stems(folder: str) -> set[str]:
        return {n.removesuffix(".html").rpartition("/")[2] for n in names if n.startswith(folder)}

    derived = {r["derived_id"] for r in rows(resources()["derived"])}
    assert set(quotes()) | derived <= stems("fact/"), "a fact, derived figure or event without its page"
    assert {r["source_id"] for r in rows(resources()["sources"])} <= stems("source/"), "a source without its page"


def test_every_page_loads_without_console_error_or_failed_request(sweep: dict[str, dict[str, Any]]) -> None:
    bad = {name: facts["problems"] for name, facts in sweep.items() if facts["problems"]}
    assert not bad, listing(bad)


def test_nothing_overflows_at_390_px(sweep: dict[str, dict[str, Any]]) -> None:
    bad = {n: (f["scrollWidth"], f["wide"]) for n, f in sweep.items() if f["scrollWidth"] > f["innerWidth"]}
    assert all(f["innerWidth"] == NARROW for f in sweep.values())
    assert not bad, "page width above 390 px, with the first elements reaching past it:\n" + listing(bad)


def test_every_link_reaches_a_file_and_an_element_of_the_edition(
    edition: Path, sweep: dict[str, dict[str, Any]]
) -> None:
    root = edition.resolve()
    ids = {(root / name): set(facts["ids"]) for name, facts in sweep.items()}
    bad = []
    for name, facts in sweep.items():
        for link in facts["links"]:
            path = target(link["href"])
            if path is None:
                continue
            fragment = unquote(urlsplit(link["href"]).fragment)
            if not (path.resolve().is_relative_to(root) and path.is_file()):
                bad.append((name, link["href"], "no such file in the edition"))
            elif fragment and path.suffix == ".html" and fragment not in ids[path.resolve()]:
                bad.append((name, link["href"], "no such element"))
    assert not bad, listing(bad)


def test_every_fact_id_links_to_its_page_in_the_same_language(edition: Path, sweep: dict[str, dict[str, Any]]) -> None:
    bad = []
    for name, facts in sweep.items():
        home = (edition / EDITIONS[language(name)]).resolve()
        for link in (x for x in facts["links"] if x["fid"]):
            path = target(link["href"])
            ok = path is not None and path.stem == link["text"] and path.parent.parent.resolve() == home
            if not ok:
                bad.append((name, link["text"], link["href"]))
    assert not bad, listing(bad)
    assert sum(x["fid"] for x in sweep["facts.html"]["links"]) >= len(quotes()), "facts.html lacks fact-id links"


def test_the_arabic_edition_is_right_to_left_and_each_page_links_its_twin(
    edition: Path, sweep: dict[str, dict[str, Any]]
) -> None:
    bad = []
    for name, facts in sweep.items():
        lang = language(name)
        direction = "rtl" if lang == "ar" else "ltr"
        if (facts["lang"], facts["dir"] or "ltr", facts["mainDirection"]) != (lang, direction, direction):
            bad.append((name, "lang, dir, direction of main", facts["lang"], facts["dir"], facts["mainDirection"]))
        other = (edition / twin(name)).resolve()
        other_lang = "en" if lang == "ar" else "ar"
        alternates = [a for a in facts["alternates"] if a["hreflang"].startswith(other_lang)]
        if not any(target(a["href"]) and target(a["href"]).resolve() == other for a in alternates):
            bad.append((name, f'no <link rel="alternate" hreflang="{other_lang}"> to', twin(name)))
        if not any(x["visible"] and target(x["href"]) and target(x["href"]).resolve() == other for x in facts["links"]):
            bad.append((name, "no visible link to", twin(name)))
    assert not bad, listing(bad)


# --- as a reader clicks ----------------------------------------------------------------------------------------------


def chart_frames(page: Page) -> list[Frame]:
    return [f for f in page.frames if f.url.endswith(".svg")]


def shows_quote(page: Page, key: str, edition: Path, lang: str) -> None:
    """``page`` is ``key``'s page in ``lang`` and its quote block shows the data's quote."""
    assert target(page.url) == edition / EDITIONS[lang] / "fact" / f"{key}.html"
    quote = page.locator("blockquote.quote")
    assert quote.count() >= 1 and quote.first.is_visible(), f"{key}: no visible blockquote.quote"
    assert normal(quotes()[key]) in normal(quote.first.inner_text())


@pytest.mark.parametrize("lang", EDITIONS)
def test_a_fact_id_in_a_chart_leads_to_its_page_and_quote(edition: Path, wide: BrowserContext, lang: str) -> None:
    page = wide.new_page()
    try:
        page.goto((edition / EDITIONS[lang] / "index.html").as_uri(), wait_until="load")
        frames = chart_frames(page)
        assert frames, "no chart embedded as an <object> SVG"
        links = {f.url: f.evaluate(CHART_LINKS) for f in frames}
        home = (edition / EDITIONS[lang]).resolve()
        bad = []
        for url, found in links.items():
            for link in found:
                path = (target(url).parent / (link["href"] or "")).resolve()
                ok = path.is_file() and path.parent in {home / "fact", home / "source"} and link["target"] == "_top"
                if not ok:
                    bad.append((url.rpartition("/")[2], link))
        assert not bad, "chart links missing the id pages of their edition or not opening at the top:\n" + listing(bad)
        choice = next(  # the first id label (not a bar) linking a fact or event with a quote
            (
                (frame, i, key)
                for frame in frames
                for i, link in enumerate(links[frame.url])
                if (key := link["text"]) in quotes() and Path(link["href"]).stem == key
            ),
            None,
        )
        assert choice, "no chart links a fact or event with a quote"
        frame, index, key = choice
        frame.locator("a").nth(index).click()
        page.wait_for_url(f"**/fact/{key}.html")
        shows_quote(page, key, edition, lang)
    finally:
        page.close()


@pytest.fixture
def facts_page(edition: Path, narrow: BrowserContext) -> Iterator[tuple[Page, Path]]:
    page = narrow.new_page()
    yield page, edition
    page.close()


def open_facts(page: Page, edition: Path, lang: str) -> list[dict[str, Any]]:
    page.goto((edition / EDITIONS[lang] / "facts.html").as_uri(), wait_until="load")
    return page.evaluate(TABLE_ROWS)


@pytest.mark.parametrize("lang", EDITIONS)
def test_a_fact_id_in_the_facts_table_leads_to_its_page_and_quote(facts_page: tuple[Page, Path], lang: str) -> None:
    page, edition = facts_page
    rows_shown = open_facts(page, edition, lang)
    key = next(r["id"] for r in rows_shown if r["id"] in quotes())
    page.locator("tbody tr a.fid", has_text=key).first.click()
    page.wait_for_url(f"**/fact/{key}.html")
    shows_quote(page, key, edition, lang)


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_topic_filter_leaves_only_that_topic_s_facts(facts_page: tuple[Page, Path], lang: str) -> None:
    page, edition = facts_page
    before = open_facts(page, edition, lang)
    assert before and all(r["visible"] for r in before), "with JavaScript and no filter every row shows"
    topic = next(iter(topics()))
    label = topics()[topic][f"label_{lang}"]
    selects = page.locator("select")
    chosen = None
    for i in range(selects.count()):
        options = selects.nth(i).locator("option")
        values = [
            (options.nth(j).get_attribute("value"), normal(options.nth(j).inner_text())) for j in range(options.count())
        ]
        chosen = next(((i, v) for v, text in values if v == topic or text == label), None)
        if chosen:
            break
    assert chosen, f"no <select> offers the topic {topic!r} ({label})"
    selects.nth(chosen[0]).select_option(value=chosen[1])
    after = {r["id"]: r["visible"] for r in page.evaluate(TABLE_ROWS)}
    mine = {key for key, t in fact_topics().items() if t == topic}
    others = {key for key, t in fact_topics().items() if t != topic}
    assert all(after[key] for key in mine), "a fact of the chosen topic was hidden"
    assert not any(after.get(key) for key in others), "a fact of another topic stayed visible"


@pytest.mark.parametrize("lang", EDITIONS)
def test_searching_an_arabic_word_of_a_quote_keeps_its_row(facts_page: tuple[Page, Path], lang: str) -> None:
    page, edition = facts_page
    before = open_facts(page, edition, lang)
    key, word = distinctive_word()
    search = page.locator("input[type=search]")
    assert search.count() == 1, "facts.html has no search field (input type=search)"
    search.fill(word)
    after = {r["id"]: r["visible"] for r in page.evaluate(TABLE_ROWS)}
    assert after[key], f"searching {word!r} hid {key}, whose quote has it"
    assert sum(after.values()) < len(before), f"searching {word!r} hid nothing"
    search.fill("")
    assert all(r["visible"] for r in page.evaluate(TABLE_ROWS)), "clearing the search shows every row again"


@pytest.mark.parametrize("lang", EDITIONS)
def test_without_javascript_the_facts_table_shows_every_row(edition: Path, browser: Browser, lang: str) -> None:
    context = new_context(browser, NARROW, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((edition / EDITIONS[lang] / "facts.html").as_uri(), wait_until="load")
        shown = page.evaluate(TABLE_ROWS)
        assert {r["id"] for r in shown} >= set(quotes()), "a fact or event missing from the table"
        assert all(r["visible"] for r in shown), [r["id"] for r in shown if not r["visible"]]
    finally:
        context.close()


def test_screenshots_at_390_and_1400_px(
    edition: Path, wide: BrowserContext, shots: Path, sweep: dict[str, dict[str, Any]]
) -> None:
    """The 390 px ones are taken by the sweep, the 1400 px ones here; each is a full page as wide as its window."""
    page = wide.new_page()
    try:
        for name in shown_pages():
            page.goto((edition / name).as_uri(), wait_until="load")
            screenshot(page, shots, name, WIDE)
    finally:
        page.close()
    for name in shown_pages():
        for width in (NARROW, WIDE):
            png = (shots / shot_name(name, width)).read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == width, (name, width)


# --- CI keeps the screenshots ----------------------------------------------------------------------------------------


class Session:
    """Stands in for a nox session: records the environment each command is given."""

    def __init__(self) -> None:
        self.posargs: list[str] = []
        self.envs: list[dict[str, str]] = []

    def run(self, *args: str, env: dict[str, str] | None = None, **options: Any) -> None:
        self.envs.append(env or {})


def test_ci_keeps_the_screenshots_where_the_workflow_publishes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ci session gives the tests ``IWF_SCREENSHOTS``, a git-ignored folder that the workflow uploads even when a
    check failed."""
    nox = pytest.importorskip("nox")
    spec = importlib.util.spec_from_file_location("noxfile_for_screenshots", ROOT / "noxfile.py")
    assert spec and spec.loader and nox.session
    noxfile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(noxfile)
    monkeypatch.setattr(noxfile, "_env", lambda session: {})
    monkeypatch.delenv("IWF_SCREENSHOTS", raising=False)
    session = Session()
    noxfile.ci(session)
    folder = Path(next(env["IWF_SCREENSHOTS"] for env in session.envs if env and "IWF_SCREENSHOTS" in env))
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    [upload] = [
        s for s in steps if s.get("uses", "").startswith("actions/upload-artifact") and "screenshots" in s["name"]
    ]
    assert upload["if"] == "always()"
    assert ROOT / upload["with"]["path"] == folder
    ignored = [line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    relative = folder.relative_to(ROOT).parts
    assert any(f"{'/'.join(relative[:n])}/" in ignored for n in range(1, len(relative) + 1)), "not git-ignored"
