"""Mutated real reports: the reader returns a document and no rule fails (no CIT000).

Seeded and bounded: each test mutates reports until its case count or its time budget runs
out, whichever comes first, so a slow machine runs fewer cases rather than a longer test.
Every case has its own seed, shown when it fails, so that a failure is reproduced from its seed
whatever ran before it. The reports are our own (the examples of the rule
pages, examples/report.md, the test fixtures) and, when ../shared is present, a seeded
sample of the SmartBook corpus. Mutations that build long runs are in a test marked slow.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pytest

from citelint.engine import INTERNAL_ERROR, check_document
from citelint.formats import text_line
from citelint.parser import parse
from citelint.registry import load_rules
from tests.conftest import ROOT, SHARED
from tests.test_catalogue import CLEAN
from tests.test_formats import REPORT

MARKUP = [
    "|", "||", "\\|", "<font", "<font color=#FF3399>", "</font>", "[", "]", "[1]", "[1, 2]", "[2-", "(", ")",
    "(1)", "(Context 3)", "#", "# ", "## ", "## Summary\n", "## Claims\n", "===", "\n===\n", "---", "\n---\n",
    "<!--", "-->", "<!-- citelint-disable CIT401 -->", "<!-- citelint-enable -->",
    "<!-- citelint-disable-next-line -->\n", "`", "```\n", "    ", "\t", "\r\n", "\r", "\n", "\n\n", "\ufeff",
    '<a href="', '">', "</a>", "[x](", "https://example.org/", "&amp;", "&#", "&", "\u00a0", "\u200b", "\x00",
    "é", "\U0001f642", ".", ",", ";", "andmore", "> ", "- ", "1. ", "*", "_",
]
RUN_PIECES = [" ", ".", "a.", "ab,", "<font ", "<!-- citelint-disable ", "[", "|", "#", "(", "`", "\n", "x"]


def _examples() -> list[str]:
    """The reports shown in the rule pages (their markdown fences)."""
    out = []
    for page in sorted((ROOT / "rules").glob("CIT*.md")):
        for block in page.read_text(encoding="utf-8").split("```markdown\n")[1:]:
            out.append(block.split("\n```", 1)[0] + "\n")
    return out


@lru_cache(maxsize=1)
def seeds() -> tuple[str, ...]:
    found = [CLEAN, REPORT, (ROOT / "examples" / "report.md").read_text(encoding="utf-8"), *_examples()]
    corpus = SHARED / "corpus" / "smartbook"
    if corpus.is_dir():  # real reports, when the shared data is here (a seeded sample)
        files = sorted(corpus.glob("*.md"))
        for path in random.Random(8).sample(files, min(25, len(files))):
            found.append(path.read_bytes().decode("utf-8", "replace"))
    return tuple(found)


def _lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    op = rng.random()
    if op < 0.4:
        lines.insert(rng.randrange(len(lines) + 1), lines[i])  # a duplicated line
    elif op < 0.6:
        del lines[i]
    elif op < 0.8:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]  # a line cut short
    return "\n".join(lines)


def mutate(text: str, rng: random.Random, run: int = 0) -> str:
    """A few byte, line and markup mutations; ``run`` > 0 allows runs of that length."""
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.35:
            text = text[:pos] + rng.choice(MARKUP) + text[pos:]
        elif op < 0.5:
            text = text[:pos] + text[pos + rng.randint(1, 40) :]  # deleted characters
        elif op < 0.75:
            text = _lines(text, rng)
        elif op < 0.85:
            other = rng.randrange(len(text) + 1)
            text = text[:pos] + text[other : other + rng.randint(1, 300)] + text[pos:]
        elif op < 0.9:
            text = text.replace("\n", "\r\n") if rng.random() < 0.5 else text.replace("\r\n", "\n")
        elif run:
            text = text[:pos] + rng.choice(RUN_PIECES) * rng.randint(run // 4, run) + text[pos:]
        else:
            byte = bytes([rng.randrange(256)]).decode("latin-1")
            text = text[:pos] + byte + text[pos:]
    return text


def check(text: str) -> None:
    doc = parse(text, "fuzz.md")
    lines = doc.source.split("\n")
    findings = check_document(doc, load_rules())
    for f in findings:
        assert f.code != INTERNAL_ERROR, f.message
        assert 1 <= f.line <= f.span.end_line <= len(lines), f
        assert 1 <= f.col <= len(lines[f.line - 1]) + 1, f
        assert "\n" not in text_line(f)  # one finding, one line


def campaign(first_seed: int, cases: int, budget: float, make: Callable[[random.Random], str]) -> int:
    """Run cases ``first_seed``... until ``cases`` ran or ``budget`` seconds passed: the
    number run."""
    deadline = time.monotonic() + budget
    for n in range(cases):
        if time.monotonic() > deadline:
            return n
        seed = first_seed + n
        text = make(random.Random(seed))
        try:
            check(text)
        except Exception as exc:  # the seed reproduces the case
            raise AssertionError(f"fuzz case {seed}: {type(exc).__name__}: {exc}\n{text[:2000]!r}") from exc
    return cases


def test_mutated_reports() -> None:
    ran = campaign(10_000, 2_000, 8.0, lambda rng: mutate(rng.choice(seeds()), rng))
    assert ran >= 50  # a budget that runs out this early means cases took seconds each


@pytest.mark.slow
def test_mutated_reports_with_long_runs() -> None:
    ran = campaign(50_000, 200, 8.0, lambda rng: mutate(rng.choice(seeds()), rng, run=10_000))
    assert ran >= 5
