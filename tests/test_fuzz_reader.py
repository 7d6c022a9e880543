"""A seeded, bounded fuzz of the reader: mutated reports never crash it or a rule."""
from __future__ import annotations

import random

from citelint import lint_text
from citelint.inspect import describe, render
from citelint.parser import parse
from tests.conftest import SHARED
from tests.reports import marker, report, row

# Fragments of the format's own syntax, spliced in at random places.
PIECES = [
    "<font color=#FF3399>", "</font>", "[", "]", "(", ")", "|", "\n", "#", "-", "=", "&", ";", "Context ",
    " and ", ",", '<a href="', '">', "</a>", "<b>", "\n---\n", "\n===\n", "&amp;", "1", "99999", "<", ">",
    "`", "\r\n", "\ufeff", "[^1]", "<!--", "-->", "<p>", "\n\n", "<mark>", "(Contexts 1 and ", "[1][2]",
]


def _seeds() -> list[str]:
    own = [
        report(f"Prices rose {marker(1)}{marker(2)}. Wages fell (Contexts 2 and 3). (4) Rents rose.",
               [row(i, f"Claim number {i} is here.") for i in range(1, 5)]),
        "Why?\n===\n\nSummary\n---\nPrices rose (1 & 2).\n\nClaims\n---\n| # | Claim Sentence | Context |\n|---|---|---|\n| 1 | A. | A.|\n",
    ]
    corpus = sorted((SHARED / "corpus" / "smartbook").glob("*.md"))[:20] if SHARED.exists() else []
    return own + [p.read_text(encoding="utf-8") for p in corpus]


def test_mutated_reports_give_no_internal_error() -> None:
    rng = random.Random(2026)
    seeds = _seeds()
    for _ in range(300):
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(text) + 1)
            op = rng.random()
            if op < 0.5:
                text = text[:i] + rng.choice(PIECES) + text[i:]
            elif op < 0.8:
                text = text[:i] + text[i + rng.randint(1, 40) :]
            else:
                k = rng.randrange(len(text) + 1)
                text = text[:k] + text[i : i + rng.randint(1, 200)] + text[k:]
        render(describe(parse(text)))
        assert [f.message for f in lint_text(text) if f.code == "CIT000"] == [], text
