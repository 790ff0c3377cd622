"""``draft-score``: how well ``draft`` proposes what a curator tabulates, measured on a folder of texts and gold rows.

The folder holds UTF-8 texts and ``gold.csv`` (``text,paragraph,mention,kind,value,value_low,value_high,qualifier,
claim_type,attributed_to,note``: one row per mention a curator judged, ``kind`` as in a draft). Every text is drafted
as if the package covered none of it. A gold fact is *found* when a drafted fact of the same text and paragraph has
the same value, or the same bounds (each draft row answers one gold row, the one with the same mention first);
qualifier, claim type and attribution are judged on the facts found. A gold row set aside (a reason code) is judged
by the kind of the drafted row with its figure in its paragraph.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from iraq_war_facts.curation.drafting import ARTICLE, FACT, Draft, draft_text, fold, reason_codes
from iraq_war_facts.curation.sources import read_text
from iraq_war_facts.errors import PackageError

GOLD = "gold.csv"
TOLERANCE = Decimal("0.001")  # relative: the gold rounds a ratio that does not terminate to four places
GOLD_COLUMNS = ("text", "paragraph", "mention", "kind", "value", "value_low", "value_high", "qualifier")


@dataclass
class Score:
    """The counts behind the figures; ``misses`` says what went wrong, one line each."""

    texts: int = 0
    facts: int = 0  # gold facts
    found: int = 0  # gold facts drafted as facts with the right value or bounds
    qualified: int = 0  # of those, with the right qualifier
    claims: int = 0  # of those, with the right claim type
    attributed: int = 0  # of those whose gold names an attribution, with the right one
    attributions: int = 0
    others: int = 0  # gold rows set aside that the parser finds (drafted with their figure)
    kinds: int = 0  # of those, drafted with the right kind
    unread: int = 0  # gold rows set aside that the parser does not find: no row needed, none drafted
    extra: int = 0  # drafted facts that answer no gold fact
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.facts if self.facts else 1.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qualified / self.found if self.found else 1.0

    @property
    def claim_accuracy(self) -> float:
        return self.claims / self.found if self.found else 1.0

    @property
    def attribution_accuracy(self) -> float:
        return self.attributed / self.attributions if self.attributions else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.kinds / self.others if self.others else 1.0

    def lines(self) -> list[str]:
        """The figures as a reader sees them."""

        def pc(n: int, d: int) -> str:
            return f"{n}/{d} ({100 * n / d:.1f}%)" if d else f"{n}/{d}"

        return [
            f"texts: {self.texts}",
            f"facts proposed with the right value or bounds: {pc(self.found, self.facts)}",
            f"  right qualifier: {pc(self.qualified, self.found)}",
            f"  right claim type: {pc(self.claims, self.found)}",
            f"  right attribution: {pc(self.attributed, self.attributions)}",
            f"mentions set aside with the right kind: {pc(self.kinds, self.others)}"
            f" (and {self.unread} the parser does not read, which need no row)",
            f"drafted facts a curator did not tabulate: {self.extra}",
        ]


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal(text.strip()) if text and text.strip() else None
    except InvalidOperation:
        return None


def _figures(value: str | None, low: str | None, high: str | None) -> tuple[Decimal | None, ...]:
    return _number(value), _number(low), _number(high)


def _close(gold: Decimal | None, mine: Decimal | None) -> bool:
    """Equal, or within :data:`TOLERANCE` of each other (a ratio the gold rounds to four places: ثلث 0.3333)."""
    if gold is None or mine is None:
        return gold is mine
    return gold == mine or abs(gold - mine) <= TOLERANCE * abs(gold)


def _same_figures(gold: dict[str, str], d: Draft) -> bool:
    """Whether the draft states the gold row's value, else its bounds (each bound the gold gives)."""
    value, low, high = _figures(gold.get("value"), gold.get("value_low"), gold.get("value_high"))
    mine = _figures(d.value, d.value_low, d.value_high)
    if value is not None:
        return any(_close(value, x) for x in mine if x is not None)
    if low is None and high is None:
        return False
    return (low is None or _close(low, mine[1])) and (high is None or _close(high, mine[2]))


def read_gold(folder: Path) -> tuple[dict[str, list[tuple[int, dict[str, str]]]], dict[str, str]]:
    """The gold rows of ``folder`` by text (with their line numbers) and the texts themselves."""
    path = folder / GOLD
    if not path.is_file():
        raise PackageError(str(path), f"no {GOLD} in {folder}: nothing to score against")
    raw = read_text(path)[1]
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    missing = [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PackageError(str(path), f"missing column(s): {', '.join(missing)}")
    gold: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for row in reader:
        gold[row["text"]].append((reader.line_num, row))
    texts = {p.name: read_text(p)[1] for p in sorted(folder.glob("*.txt"))}
    for name, listed in gold.items():
        if name not in texts:
            raise PackageError(f"{path}, line {listed[0][0]}", f"text {name!r} is not in {folder}")
    return gold, texts


def score(folder: str | Path, descriptor: str | Path) -> Score:
    """Draft every text of ``folder`` (none of it covered) with the cues and codebook of the package at
    ``descriptor`` and score the drafts against ``folder``'s gold rows."""
    from iraq_war_facts.cues import Lexicon
    from iraq_war_facts.package import load
    from iraq_war_facts.reading import read_table

    gold, texts = read_gold(Path(folder))
    pkg = load(descriptor)
    tables = {n: t for n in ("cues", "codebook") if n in pkg.resources and (t := read_table(pkg.resources[n])[0])}
    lex, reasons = Lexicon.from_tables(tables), reason_codes(tables)
    names: dict[str, set[str]] = defaultdict(set)
    for cue in lex.cues:
        if cue.list == "attribution":
            names[cue.code].add(cue.text)
    if "codebook" in tables:
        for row in tables["codebook"].raw.iter_rows(named=True):
            if row.get("list") == "attribution" and row.get("label_ar"):
                names[row["code"]].add(row["label_ar"])
    result = Score(texts=len(texts))
    for name, text in texts.items():
        rows = [row for _, row in gold.get(name, [])]
        _score_text(name, draft_text(text, lex, reasons), rows, result, names)
    return result


def _same_source(mine: str, gold: str, names: dict[str, set[str]]) -> bool:
    """Whether a drafted attribution names the gold's source: the same words (folded, one within the other), or a
    codebook code one of whose names (its Arabic label, its cues) is within the gold's words or holds them."""
    g = fold(gold)
    for name in names.get(mine, set()) | {mine}:
        n = fold(name)
        if n and (n == g or ((n in g or g in n) and ARTICLE not in (mine, gold))):
            return True
    return False


def _score_text(
    name: str, drafts: list[Draft], gold: list[dict[str, str]], result: Score, names: dict[str, set[str]]
) -> None:
    by_paragraph: dict[int, list[Draft]] = defaultdict(list)
    for d in drafts:
        by_paragraph[d.paragraph].append(d)
    used: set[int] = set()
    facts = [g for g in gold if g["kind"] == FACT]
    for g in facts:
        result.facts += 1
        where = f"{name} paragraph {g['paragraph']} «{g['mention']}»"
        candidates = [d for d in by_paragraph.get(int(g["paragraph"] or 0), []) if id(d) not in used]
        match = [d for d in candidates if d.kind == FACT and _same_figures(g, d)]
        match.sort(key=lambda d: d.mention != g["mention"])
        if not match:
            near = [d for d in candidates if _same_figures(g, d)]
            why = f"drafted as {near[0].kind}" if near else "no draft row with its figures"
            result.misses.append(f"{where} {_shown(g)}: {why}")
            continue
        d = match[0]
        used.add(id(d))
        result.found += 1
        result.qualified += d.qualifier == g["qualifier"]
        if d.qualifier != g["qualifier"]:
            result.misses.append(f"{where}: qualifier {d.qualifier}, gold {g['qualifier']}")
        if g.get("claim_type"):
            result.claims += d.claim_type == g["claim_type"]
            if d.claim_type != g["claim_type"]:
                result.misses.append(f"{where}: claim type {d.claim_type}, gold {g['claim_type']}")
        else:
            result.claims += 1
        if g.get("attributed_to"):
            result.attributions += 1
            right = _same_source(d.attributed_to, g["attributed_to"], names)
            result.attributed += right
            if not right:
                result.misses.append(f"{where}: attributed to {d.attributed_to}, gold {g['attributed_to']}")
    for g in gold:
        if g["kind"] == FACT:
            continue
        where = f"{name} paragraph {g['paragraph']} «{g['mention']}»"
        paragraph = by_paragraph.get(int(g["paragraph"] or 0), [])
        match = [d for d in paragraph if id(d) not in used and _same_figures(g, d)]
        if not any(_figures(g.get("value"), g.get("value_low"), g.get("value_high"))):
            match = [d for d in paragraph if g["mention"] in d.mention or d.mention in g["mention"]]
        if not match:
            result.unread += 1
            continue
        match.sort(key=lambda d: (d.kind != g["kind"], d.mention != g["mention"]))
        result.others += 1
        if match[0].kind == g["kind"]:
            result.kinds += 1  # not consumed: a range of years answers both its date parts
        else:
            result.misses.append(f"{where}: drafted as {match[0].kind}, gold {g['kind']}")
    result.extra += sum(1 for d in drafts if d.kind == FACT and id(d) not in used)


def _shown(g: dict[str, str]) -> str:
    if g.get("value"):
        return g["value"]
    return f"{g.get('value_low') or '?'}–{g.get('value_high') or '?'}"
