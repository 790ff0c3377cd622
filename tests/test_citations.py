"""Every quote is verbatim in its article's stated paragraph, and every article matches its fingerprint."""

from __future__ import annotations

import hashlib

import pytest

from helpers import paragraphs, rows

CITED = ["troops", "casualties", "costs", "displacement", "operations", "events", "not_tabulated"]


@pytest.fixture(scope="module")
def texts(pkg, seeds_dir) -> dict[str, str]:
    out = {}
    for src in rows(pkg.resources["sources"].path):
        data = (seeds_dir / src["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == src["text_sha256"], f"{src['file']} does not match its sha256"
        assert len(data) == int(src["bytes"])
        out[src["source_id"]] = data.decode("utf-8")
    return out


def test_every_source_text_matches_its_sha256(texts) -> None:
    assert len(texts) == 5


@pytest.mark.parametrize("resource", CITED)
def test_quotes_are_exact_substrings_of_their_paragraph(pkg, texts, resource) -> None:
    bad = []
    for i, row in enumerate(rows(pkg.resources[resource].path), start=2):
        paras = paragraphs(texts[row["source_id"]])
        n = int(row["paragraph"])
        if not (1 <= n <= len(paras) and row["quote"] in paras[n - 1]):
            bad.append(f"{resource}:{i}: quote not found in {row['source_id']} paragraph {n}: {row['quote']!r}")
    assert not bad, "\n".join(bad)


def test_not_tabulated_mentions_are_inside_their_quotes(pkg) -> None:
    for row in rows(pkg.resources["not_tabulated"].path):
        assert row["mention"] in row["quote"], row["mention_id"]


def test_headlines_are_verbatim(pkg, texts) -> None:
    for src in rows(pkg.resources["sources"].path):
        if src["headline"]:
            assert src["headline"] in paragraphs(texts[src["source_id"]])
