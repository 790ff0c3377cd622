"""The parser against an oracle nobody here wrote: num2words' Arabic number words, up to 10**12.

Every value is read back as num2words writes it (the conjunction detached: "و عشرون") and with the conjunction
attached ("وعشرون"). num2words' quirks that are still readable Arabic are read as written ("مئتا" for 200 alone,
"ألفا"/"مليونا" for the dual alone, "ثمانمائة و اثنان مليار"); the one that is simply wrong Arabic is left out below
with its reason.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from num2words import num2words

from iraq_war_facts.arabic import parse_number

EDGES = [0, 1, 2, 10, 11, 12, 19, 20, 21, 99, 100, 101, 111, 200, 201, 999, 1000, 1001, 1002, 2000, 2001, 3000]
EDGES += [10_000, 11_000, 100_000, 200_200, 10**6, 10**6 + 1, 2 * 10**6, 10**9, 2 * 10**9, 10**12 - 1, 10**12]


def sample() -> list[int]:
    """EDGES plus 25 seeded values of every magnitude from 1 digit to 12 digits (300 in all)."""
    rng = random.Random(20240512)
    drawn = [rng.randrange(10**k if k else 0, 10 ** (k + 1)) for k in range(12) for _ in range(25)]
    return sorted(set(EDGES + drawn))


def wrong_arabic(n: int) -> str | None:
    """Why num2words' words for n are not Arabic a reader would parse to n (None when they are)."""
    groups = [(n // 10**k) % 1000 for k in (3, 6, 9)]
    if any(g > 100 and g % 100 == 1 for g in groups):
        # 101000 is written "مائة و ألف ألف" (a hundred and a thousand thousand), 301 billion "ثلاثمائة و مليار
        # مليار": the scale is doubled; Arabic says "مائة ألف وألف" or "مائة وواحد ألف".
        return "a group ending in 1 above a hundred doubles its scale word"
    return None


SAMPLE = sample()
READABLE = [n for n in SAMPLE if wrong_arabic(n) is None]


def test_sample_covers_every_magnitude() -> None:
    assert len(SAMPLE) >= 300
    assert {len(str(n)) for n in READABLE} == set(range(1, 14))
    assert len(READABLE) >= 290
    assert wrong_arabic(101_000) and wrong_arabic(301_035_318_032) and not wrong_arabic(100_001)
    assert num2words(101_000, lang="ar") == "مائة و ألف ألف"


def misread(form: str) -> list[tuple[int, str, Decimal | None]]:
    """(n, words, what the parser read) for every readable n of the sample whose words in ``form`` it misreads."""
    out = []
    for n in READABLE:
        words = num2words(n, lang="ar")
        if form == "attached":
            words = words.replace("و ", "و")
        if (got := parse_number(words)) != Decimal(n):
            out.append((n, words, got))
    return out


@pytest.mark.parametrize("form", ["detached", "attached"])
def test_num2words_is_read_back_exactly(form: str) -> None:
    """One test per form (the sample is 300 values): a failure lists every misread value with its words."""
    assert misread(form) == []
