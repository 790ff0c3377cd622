"""Rules for the JSON shape of a property, small enough to write in tables of property -> rule.

A rule takes the value of a property and yields what is wrong with it, as (JSON path below the property, message):
``("", "must be a string, not 5")`` or ``("[1]", "must be a string, not 2003")``. The tables live with the checks that
use them (:mod:`iraq_war_facts.checks.descriptor`, :mod:`iraq_war_facts.checks.schema_parts`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

Failure = tuple[str, str]
Rule = Callable[[Any], Iterator[Failure]]


def shown(value: Any, limit: int = 60) -> str:
    """A JSON value as a message shows it, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text(value: Any) -> Iterator[Failure]:
    """A string."""
    if not isinstance(value, str):
        yield "", f"must be a string, not {shown(value)}"


def flag(value: Any) -> Iterator[Failure]:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        yield "", f"must be true or false, not {shown(value)}"


def count(value: Any) -> Iterator[Failure]:
    """A non-negative integer (``true`` is not one)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        yield "", f"must be a non-negative integer, not {shown(value)}"


def matching(pattern: str, rule: str, limit: int | None = None, flags: int = 0) -> Rule:
    """A string that ``pattern`` matches whole, of at most ``limit`` characters; ``rule`` says what is expected."""
    compiled = re.compile(pattern, flags)

    def check(value: Any) -> Iterator[Failure]:
        if not isinstance(value, str):
            yield "", f"must be a string, not {shown(value)}"
        elif limit is not None and len(value) > limit:
            yield "", f"{len(value)} characters, over the limit of {limit}"
        elif not compiled.fullmatch(value):
            yield "", f"{shown(value)} {rule}"

    return check


def list_of(item: Rule, what: str, min_items: int = 1) -> Rule:
    """A list (``what`` names it, e.g. "a list of strings") of at least ``min_items`` items, each following ``item``."""

    def check(value: Any) -> Iterator[Failure]:
        if not isinstance(value, list):
            yield "", f"must be {what}, not {shown(value)}"
            return
        if len(value) < min_items:
            yield "", "must not be empty"
        for i, element in enumerate(value):
            for path, message in item(element):
                yield f"[{i}]{path}", message

    return check


def record(properties: dict[str, Rule], any_of: tuple[str, ...] = (), non_empty: bool = False) -> Rule:
    """An object whose ``properties`` follow their rules; with ``any_of``, holding one of those keys at least."""

    def check(value: Any) -> Iterator[Failure]:
        if not isinstance(value, dict):
            yield "", f"must be an object, not {shown(value)}"
            return
        if non_empty and not value:
            yield "", "must have at least one property"
        if any_of and not any(key in value for key in any_of):
            yield "", f"needs a {' or a '.join(any_of)}"
        for key, path, message in failures(value, properties):
            yield f".{key}{path}", message

    return check


def failures(value: dict[str, Any], properties: dict[str, Rule]) -> Iterator[tuple[str, str, str]]:
    """What is wrong with each property of ``value`` that ``properties`` has a rule for: (key, path below, message)."""
    for key, rule in properties.items():
        if key in value:
            for path, message in rule(value[key]):
                yield key, path, message
