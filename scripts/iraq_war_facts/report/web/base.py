"""What every page of the web edition shares: the site (which ids have pages), a page and how it links, and the
wording of records."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iraq_war_facts.analysis import Analysis
from iraq_war_facts.model import id_key
from iraq_war_facts.report.document import (
    Ids,
    Inline,
    safe_href,
)
from iraq_war_facts.wording import (
    format_claim,
    format_date,
    format_time,
    say,
)

LANGS = ("en", "ar")
ASSETS = ("site.css", "facts.js")
OG_LOCALE = {"en": "en_US", "ar": "ar_AR"}
MAX_ALT = 250
CITATION = "CITATION.cff"


# ---------------------------------------------------------------------------------------------------------------
# The site: which ids have pages, and how a page links


@dataclass
class Site:
    """What every page needs: the analysis, the chart entries, the pages of ids, the repository when known."""

    a: Analysis
    entries: Sequence[dict[str, Any]]
    repository: str | None
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        events = self.a.table("events")
        rows = events.to_dicts() if not events.is_empty() else []
        self.events = {r["event_id"]: r for r in sorted(rows, key=lambda r: id_key(r["event_id"]))}
        sources = self.a.table("sources")
        self.sources = {r["source_id"]: r for r in (sources.to_dicts() if not sources.is_empty() else [])}
        records = [*self.a.by_id, *self.a.derived_by_id, *self.events]
        self.pages = {i: f"fact/{i}.html" for i in records} | {s: f"source/{s}.html" for s in self.sources}
        names = sorted(self.pages, key=lambda i: (-len(i), i))
        self.id_pattern = re.compile("|".join(re.escape(i) for i in names)) if names else None

    def linked(self, text: str) -> list[Inline]:
        """``text`` with every id that has a page made an id link."""
        if not text or self.id_pattern is None:
            return [text] if text else []
        out: list[Inline] = []
        last = 0
        for m in self.id_pattern.finditer(text):
            before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
            if (before and (before.isalnum() or before == "-")) or (after and (after.isalnum() or after == "-")):
                continue
            out += [text[last : m.start()], Ids((m.group(),))]
            last = m.end()
        out.append(text[last:])
        return [p for p in out if p != ""]

    def charts_of(self, record_id: str, lang: str) -> list[dict[str, Any]]:
        return [
            e
            for e in self.entries
            if e["lang"] == lang and record_id in (*e["fact_ids"], *e["derived_ids"], *e["event_ids"])
        ]


@dataclass(frozen=True)
class Page:
    """A page of the edition: its path in the reports folder and its language."""

    path: str
    lang: str

    def rel(self, target: str) -> str:
        """``target`` (a path in the reports folder, maybe with ``#anchor``) relative to this page."""
        path, _, anchor = target.partition("#")
        out = posixpath.relpath(path, posixpath.dirname(self.path) or ".")
        return f"{out}#{anchor}" if anchor else out

    def edition(self, path: str) -> str:
        """``path`` (an English page's path) in this page's edition, relative to this page."""
        return self.rel(path if self.lang == "en" else f"ar/{path}")

    @property
    def twin(self) -> str:
        other = self.path.removeprefix("ar/") if self.lang == "ar" else f"ar/{self.path}"
        return self.rel(other)


def _lang_path(path: str, lang: str) -> str:
    return path if lang == "en" else f"ar/{path}"


def links_for(site: Site, page: Page):
    """The id -> address function of ``page``: its edition's page of the id."""

    def links(record_id: str) -> str | None:
        target = site.pages.get(record_id)
        return page.edition(target) if target else None

    return links


def repository(root: Path | None) -> str | None:
    """The ``repository-code`` of the package's ``CITATION.cff``, when it has one (a web address)."""
    if root is None or not (root / CITATION).is_file():
        return None
    for line in (root / CITATION).read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "repository-code":
            url = value.strip().strip("\"'")
            return url if url.startswith("https://") and safe_href(url) == url else None
    return None


# ---------------------------------------------------------------------------------------------------------------
# Wording of records


def _label(a: Analysis, code: str | None, lang: str) -> str:
    return a.label(code, lang) if code else ""


def what(a: Analysis, row: dict[str, Any], lang: str) -> str:
    parts = [_label(a, row["metric"], lang), _label(a, row["party"], lang)]
    if row.get("detail"):
        parts.append(_label(a, row["detail"], lang))
    return " · ".join(p for p in parts if p)


def _paragraph(site: Site, row: dict[str, Any], lang: str) -> list[Inline]:
    return [
        Ids((row["source_id"],)),
        f" ¶{row['paragraph']}" if lang == "en" else f"، {say('paragraph', lang, n=row['paragraph'])}",
    ]


def _in_sentence(label: str, lang: str) -> str:
    """A codebook label inside an English sentence: a leading common word in lower case ("the article itself")."""
    first, _, rest = label.partition(" ")
    return (
        f"{first.lower()} {rest}".strip()
        if lang == "en" and first in ("The", "Reported", "Estimated", "Planned")
        else label
    )


def claim_sentence(a: Analysis, row: dict[str, Any], lang: str) -> str:
    return say(
        "claim_sentence",
        lang,
        what=what(a, row, lang),
        figure=format_claim(row, lang),
        when=format_time(row, lang),
        claim_type=_in_sentence(_label(a, row["claim_type"], lang), lang),
        who=_in_sentence(_label(a, row["attributed_to"], lang), lang),
    )


def event_sentence(a: Analysis, row: dict[str, Any], lang: str) -> str:
    return say(
        "event_sentence",
        lang,
        what=_label(a, row["event"], lang),
        when=format_date(row["date"], row["date_precision"], lang),
        claim_type=_in_sentence(_label(a, row["claim_type"], lang), lang),
        who=_in_sentence(_label(a, row["attributed_to"], lang), lang),
    )


def derived_label(d: dict[str, Any], lang: str) -> str:
    return str(d["label_en"] if lang == "en" else d["label_ar"] or d["label_en"])


def _topics_of(site: Site, d: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(site.a.by_id[i]["topic"] for i in d["fact_ids"].split() if i in site.a.by_id))


def _sources_of(site: Site, d: dict[str, Any]) -> list[str]:
    return sorted({site.a.by_id[i]["source_id"] for i in d["fact_ids"].split() if i in site.a.by_id})


def _parties_of(site: Site, d: dict[str, Any]) -> list[str]:
    parties = [site.a.by_id[i]["party"] for i in d["fact_ids"].split() if i in site.a.by_id]
    return list(dict.fromkeys([d["party"]] if d["party"] else parties))


def _period(site: Site, d: dict[str, Any], lang: str) -> str:
    """The span of a derived figure's facts, each end at the precision its fact gives it."""
    if d["start"] is None:
        return "–"
    used = [site.a.by_id[i] for i in d["fact_ids"].split() if i in site.a.by_id]
    first = next((r for r in used if r["start"] == d["start"]), None)
    last = next((r for r in used if r["end"] == d["end"]), None)
    start_precision = (first["period_start_precision"] or first["as_of_precision"]) if first else "day"
    end_precision = (last["period_end_precision"] or last["as_of_precision"]) if last else "day"
    start, end = format_date(d["start"], start_precision, lang), format_date(d["end"], end_precision, lang)
    return start if start == end else f"{start} – {end}"
