"""Check family: citations (being written)."""

from __future__ import annotations

from collections.abc import Iterable

from iraq_war_facts.checks.base import Context, Problem


def check(ctx: Context) -> Iterable[Problem]:
    return []
