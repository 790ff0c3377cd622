"""Curation: register a new source text (:func:`add_source`), draft rows for its numeric mentions (:func:`draft`)
and measure the drafts against a curator's gold rows (:func:`score`)."""

from __future__ import annotations

from iraq_war_facts.curation.drafting import DRAFT_COLUMNS, Draft, draft, draft_text, render
from iraq_war_facts.curation.scoring import Score, score
from iraq_war_facts.curation.sources import PLACEHOLDER, CurationError, add_source, placement

__all__ = [
    "DRAFT_COLUMNS",
    "PLACEHOLDER",
    "CurationError",
    "Draft",
    "Score",
    "add_source",
    "draft",
    "draft_text",
    "placement",
    "render",
    "score",
]
