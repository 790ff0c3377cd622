"""Exact arithmetic over facts: the formulas of derived figures and the declared relations.

One evaluator serves the validator (which turns its findings into problems) and the report (which shows its
results). Values are exact decimals read from the cells as written, never floats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, DivisionByZero, InvalidOperation

RELATIONS = ("sum_of", "at_most", "share_of")
EXACT = Context(prec=60, traps=[InvalidOperation, DivisionByZero])
_TOKEN = re.compile(r"\s*(?:(?P<id>[A-Z][A-Z0-9]*-[0-9]+)|(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<op>[-+*/()×−]))")
_ID = re.compile(r"[A-Z][A-Z0-9]*-[0-9]+")
_SHOW = {"-": "−", "*": "×"}
_READ = {"−": "-", "×": "*"}


def number(cell: object) -> Decimal | None:
    """A cell as an exact decimal, or None when empty or not a finite number."""
    if cell is None:
        return None
    try:
        d = Decimal(str(cell).strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def fmt(d: Decimal) -> str:
    """A decimal in plain notation, without exponent or trailing zeros."""
    text = format(d.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ids_in(text: str) -> list[str]:
    """The fact ids a formula's text names (whether or not it parses)."""
    return _ID.findall(text)


class FormulaError(ValueError):
    """A formula that cannot be parsed; ``position`` is the 1-based character where reading stopped."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its tokens as written and the same in postfix order for evaluation."""

    text: str
    tokens: tuple[str, ...]
    postfix: tuple[str, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """Fact ids named, in order of first appearance."""
        return tuple(dict.fromkeys(t for t in self.tokens if t[0].isalpha()))

    def display(self) -> str:
        """The formula for reading: ``CAS-0004 − CAS-0006``, ``100 × A / (B + C)``."""
        out = ""
        for tok in self.tokens:
            shown = _SHOW.get(tok, tok)
            if out and not out.endswith("(") and tok != ")":
                out += " "
            out += shown
        return out

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The exact result, or None when a fact is unknown or has no value, or a divisor is zero."""
        stack: list[Decimal] = []
        for tok in self.postfix:
            if tok in "+-*/":
                b, a = stack.pop(), stack.pop()
                if tok == "/" and b == 0:
                    return None
                ops = {"+": EXACT.add, "-": EXACT.subtract, "*": EXACT.multiply, "/": EXACT.divide}
                stack.append(ops[tok](a, b))
            elif tok[0].isalpha():
                value = values.get(tok)
                if value is None:
                    return None
                stack.append(value)
            else:
                stack.append(Decimal(tok))
        return stack[0] if stack else None


def parse(text: str) -> Formula:
    """Parse ``text`` (ids, numbers, ``+ - * /``, parentheses; ``−`` and ``×`` accepted) or raise FormulaError."""
    tokens: list[str] = []
    starts: list[int] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if m is None:
            at = pos + len(stripped[pos:]) - len(stripped[pos:].lstrip())
            raise FormulaError(f"unexpected {stripped[at]!r}", at + 1)
        tok = m.group("id") or m.group("num") or _READ.get(m.group("op"), m.group("op"))
        tokens.append(tok)
        starts.append(m.start(m.lastgroup or 0) + 1)
        pos = m.end()
    if not tokens:
        raise FormulaError("the formula is empty", 1)
    try:
        postfix = _Parser(tokens).run()
    except _Stop as stop:
        at = starts[stop.index] if stop.index < len(starts) else len(stripped) + 1
        raise FormulaError(stop.message, at) from None
    return Formula(text, tuple(tokens), tuple(postfix))


class _Stop(Exception):
    """Where the parser stopped: the index of the offending token (len(tokens) at the end) and why."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message, self.index = message, index


class _Parser:
    """Recursive descent: expr := term (('+'|'-') term)*; term := atom (('*'|'/') atom)*; atom := id|num|(expr)."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = tokens
        self.i = 0
        self.out: list[str] = []

    def run(self) -> list[str]:
        self._expr()
        if self.i < len(self.tokens):
            raise _Stop(f"unexpected {self.tokens[self.i]!r} after a complete expression", self.i)
        return self.out

    def _peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _expr(self) -> None:
        self._term()
        while self._peek() in ("+", "-"):
            op = self.tokens[self.i]
            self.i += 1
            self._term()
            self.out.append(op)

    def _term(self) -> None:
        self._atom()
        while self._peek() in ("*", "/"):
            op = self.tokens[self.i]
            self.i += 1
            self._atom()
            self.out.append(op)

    def _atom(self) -> None:
        tok = self._peek()
        if tok is None:
            raise _Stop("the formula ends where a fact id, a number or '(' is expected", self.i)
        self.i += 1
        if tok == "(":
            self._expr()
            if self._peek() != ")":
                raise _Stop("a '(' is not closed", self.i)
            self.i += 1
        elif tok[0].isalnum():
            self.out.append(tok)
        else:
            raise _Stop(f"{tok!r} where a fact id, a number or '(' is expected", self.i - 1)


# ---------------------------------------------------------------------------------------------------------------
# Relations


@dataclass(frozen=True)
class Fact:
    """What the evaluator needs of a fact."""

    fact_id: str
    value: Decimal | None
    unit: str | None
    qualifier: str | None


Finding = tuple[str, str, str]  # (field, problem code, message)


@dataclass
class RelationResult:
    """One relation evaluated: whether it holds (None when it cannot be evaluated), its figures and its findings."""

    relation: str | None
    fact_id: str | None
    others: tuple[str, ...]
    holds: bool | None = None
    fact_value: Decimal | None = None
    others_value: Decimal | None = None
    implied: Decimal | None = None
    findings: list[Finding] = field(default_factory=list)


def relation(cells: Mapping[str, object], facts: Mapping[str, Fact]) -> RelationResult:
    """Evaluate one row of the relations table (its cells as text) against the facts."""
    kind, fid = cells.get("relation"), cells.get("fact_id")
    others = tuple(str(cells.get("other_fact_ids") or "").split())
    out = RelationResult(str(kind) if kind is not None else None, str(fid) if fid is not None else None, others)
    if fid is None or not others:
        return out
    out.findings = list(_findings(out, cells, facts))
    return out


def _findings(out: RelationResult, cells: Mapping[str, object], facts: Mapping[str, Fact]) -> Iterator[Finding]:
    kind, fid, others = out.relation, str(out.fact_id), out.others
    missing = False
    if fid not in facts:
        missing = True
        yield "fact_id", "relation-unknown-fact", f"fact_id {fid} is not a fact of the package"
    for other in others:
        if other not in facts:
            missing = True
            yield "other_fact_ids", "relation-unknown-fact", f"other_fact_ids names {other}, which is not a fact"
    if fid in others:
        yield "other_fact_ids", "relation-self", f"other_fact_ids names {fid} itself"
        return
    tolerance = number(cells.get("tolerance"))
    if missing or kind not in RELATIONS or tolerance is None:
        return
    fact, parts = facts[fid], [facts[o] for o in others]
    blank = [f for f in (fact, *parts) if f.value is None]
    if blank:
        names = ", ".join(f"{f.fact_id} ({f.qualifier or 'no qualifier'})" for f in blank)
        yield "fact_id", "relation-no-value", f"{kind} cannot be evaluated: no value for {names}"
        return
    if kind == "share_of":
        yield from _share(out, cells, fact, parts, tolerance)
        return
    units = {f.unit for f in (fact, *parts)}
    if len(units) > 1:
        listed = ", ".join(f"{f.fact_id} is {f.unit}" for f in (fact, *parts))
        yield "other_fact_ids", "relation-units", f"{kind} compares facts in different units: {listed}"
        return
    value = fact.value
    total = sum((p.value for p in parts if p.value is not None), Decimal(0))
    assert value is not None
    out.fact_value, out.others_value = value, total
    names = " + ".join(p.fact_id for p in parts)
    stated = f"{names} = {fmt(total)} (tolerance {fmt(tolerance)})"
    if kind == "sum_of":
        out.holds = abs(value - total) <= tolerance * abs(value)
        if not out.holds:
            yield "fact_id", "relation-does-not-hold", f"sum_of does not hold: {fid} = {fmt(value)} but {stated}"
    else:
        out.holds = value <= total * (1 + tolerance)
        out.implied = EXACT.divide(100 * value, total) if total else None
        if not out.holds:
            msg = f"at_most does not hold: {fid} = {fmt(value)} is greater than {stated}"
            yield "fact_id", "relation-does-not-hold", msg


def _share(
    out: RelationResult, cells: Mapping[str, object], fact: Fact, parts: list[Fact], tolerance: Decimal
) -> Iterator[Finding]:
    """share_of: the count and the percentage imply a whole within the expected bounds."""
    if len(parts) != 1:
        yield "other_fact_ids", "relation-share-parts", f"share_of needs exactly one other fact, got {len(parts)}"
        return
    part = parts[0]
    if fact.unit != "percent":
        msg = f"share_of: {fact.fact_id} must be a percentage, its unit is {fact.unit}"
        yield "fact_id", "relation-share-percentage", msg
        return
    if part.unit == "percent":
        yield "other_fact_ids", "relation-share-count", f"share_of: {part.fact_id} must be a count, not a percentage"
        return
    low, high = number(cells.get("expected_low")), number(cells.get("expected_high"))
    if low is None or high is None:
        yield "expected_low", "relation-share-bounds", "share_of needs expected_low and expected_high"
        return
    assert fact.value is not None and part.value is not None
    if fact.value == 0:
        yield "fact_id", "relation-share-zero", f"share_of cannot be evaluated: {fact.fact_id} is 0 percent"
        return
    whole = EXACT.divide(part.value * 100, fact.value)
    out.fact_value, out.others_value, out.implied = fact.value, part.value, whole
    out.holds = low * (1 - tolerance) <= whole <= high * (1 + tolerance)
    if not out.holds:
        msg = (
            f"share_of does not hold: {part.fact_id} = {fmt(part.value)} is {fact.fact_id} = {fmt(fact.value)} "
            f"percent of {fmt(whole.quantize(Decimal(1)))}, outside the expected {fmt(low)}–{fmt(high)} "
            f"(tolerance {fmt(tolerance)})"
        )
        yield "fact_id", "relation-does-not-hold", msg


def implied_formula(kind: str | None, fact_id: str, others: Sequence[str]) -> str | None:
    """The derived figure a relation implies: the sum of the parts, the share of the whole, or the implied whole."""
    if not others:
        return None
    if kind == "sum_of":
        return " + ".join(others)
    if kind == "at_most":
        whole = " + ".join(others)
        return f"100 * {fact_id} / {whole if len(others) == 1 else f'({whole})'}"
    if kind == "share_of":
        return f"{others[0]} * 100 / {fact_id}"
    return None
