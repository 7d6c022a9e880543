"""The reader stays near-linear on hostile and odd input (issue 8's families).

Each family is linted at size n and 4n; a quadratic step would make the 4n run about 16
times slower, a linear one about 4. The test fails when the ratio reaches 8. Times are the
best of a few runs, so a busy machine does not fail it; sizes keep the file at a few seconds.
Only the reader and the rules built on what it reads run here: other rules have their own
complexity tests.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from citelint import lint_text
from citelint.registry import load_rules
from tests.reports import report

ROW = '|<font color=#FF3399>[1]</font> Prices rose.<a href="https://example.org/1" target="_blank">Source</a>| Prices rose.|'
READER_RULES = {"CIT001", "CIT002", "CIT003", "CIT101", "CIT102", "CIT103", "CIT104", "CIT105", "CIT106", "CIT202", "CIT301"}


def _row_with_links(n: int) -> str:
    links = "[a](https://example.org/a) " * n
    return f"|[1] Prices rose {links}| Prices rose.|"


FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    # mistune's ATX heading trim regex is quadratic in a run of spaces.
    "title with a run of spaces": (lambda n: report("Prices rose [1].", [ROW], title="Why" + " " * n + "now?"), 20_000),
    "a.a.a. summary": (lambda n: report("a." * n + " [1].", [ROW]), 20_000),
    "unclosed <font in the summary": (lambda n: report("Prices rose " + "<font " * n + "[1].", [ROW]), 100_000),
    "unclosed <b> before a marker": (lambda n: report("Prices rose " + "<b>" * n + "[1].", [ROW]), 2_500),
    "links in one claim cell": (lambda n: report("Prices rose [1].", [_row_with_links(n)]), 1_500),
    "one-line summary of short sentences": (lambda n: report("Prices rose [1]. " * n, [ROW]), 1_000),
    "short sentences without markers": (lambda n: report("Prices rose. " * n, [ROW]), 1_500),
    "unclosed marker lists": (lambda n: report("Prices rose " + "[1, " * n + ".", [ROW]), 10_000),
    "markup inside an unclosed marker": (lambda n: report("Prices rose (1" + " <b> " * n + "[1].", [ROW]), 20_000),
    "opening brackets": (lambda n: report("Prices rose " + "(" * n + "[1].", [ROW]), 20_000),
    "markers side by side": (lambda n: report("Prices rose " + "".join(f"[{i}]" for i in range(n)) + ".", [ROW]), 5_000),
    "unreadable markers": (lambda n: report("Prices rose (1 2). " * n, [ROW]), 1_000),
    "highlight tags in a context": (
        lambda n: report("Prices rose [1].", ["|[1] Prices rose sharply.| " + "<mark>Prices</mark> fell. " * n + "|"]),
        2_500,
    ),
}


def _best_time(text: str, runs: int = 2) -> float:
    rules = [r for r in load_rules() if r.code in READER_RULES]
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        lint_text(text, rules=rules)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_reader_time_grows_linearly(family: str) -> None:
    make, n = FAMILIES[family]
    small, large = make(n), make(4 * n)
    _best_time(small, runs=1)  # warm up: imports, caches
    # A machine shared with other work can stall one run: a quadratic step fails every
    # attempt, a stall only one, so the best of three attempts is kept.
    best = float("inf")
    for _ in range(3):
        t_small, t_large = _best_time(small), _best_time(large)
        # Below a few milliseconds the ratio is noise: floor the small time.
        best = min(best, t_large / max(t_small, 5e-3))
        if best < 8:
            break
    assert best < 8, f"{family}: n took {t_small:.3f}s, 4n took {t_large:.3f}s (x{best:.1f})"
