"""Time the reader on issue 8's hostile families at their reported size n and at 4n.

    python benchmarks/reader_hostile.py [--all-rules] [--scale F]

Each family is a report of our own with one odd part: a title with a run of spaces, a
summary of "a.a.a.", unclosed "<font" tags, Markdown or HTML links in one claim cell, a
one-line summary of short sentences (10 MB at 4n: the file size limit), markup inside an
unclosed marker. By default only the reader's rules run (CIT001-003, CIT101-106, CIT202,
CIT301), as the reader's complexity test does; --all-rules runs every rule. --scale shrinks
every size (0.1: a quick look). Prints seconds at n and 4n and their ratio (about 4 when
linear, 16 when quadratic).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citelint import lint_text  # noqa: E402
from citelint.registry import load_rules  # noqa: E402

ROW = '|<font color=#FF3399>[1]</font> Prices rose.<a href="https://example.org/1" target="_blank">Source</a>| Prices rose.|'
READER = {"CIT001", "CIT002", "CIT003", "CIT101", "CIT102", "CIT103", "CIT104", "CIT105", "CIT106", "CIT202", "CIT301"}


def report(summary: str, row: str = ROW, title: str = "Why?") -> str:
    return f"# {title}\n\n## Summary\n{summary}\n\n## Claims\n| Claim Sentence | Context |\n|---|---|\n{row}\n"


FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    "title with n spaces": (lambda n: report("Prices rose [1].", title="Why" + " " * n + "now?"), 100_000),
    "summary 'a.a.a.' x n": (lambda n: report("a.a.a." * n + " [1]."), 200_000),
    "n unclosed '<font' in the summary": (lambda n: report("Prices rose " + "<font " * n + "[1]."), 40_000),
    "n Markdown links in a claim": (
        lambda n: report("Prices rose [1].", "|[1] Prices rose " + "[a](https://e.org/a) " * n + "| Prices rose.|"),
        80_000,
    ),
    "n HTML links in a claim": (
        lambda n: report("Prices rose [1].", '|[1] Prices rose ' + '<a href="https://e.org/a">a</a> ' * n + "| Prices rose.|"),
        80_000,
    ),
    "one-line summary, n bytes of short cited sentences": (lambda n: report("Prices rose [1]. " * (n // 17)), 2_500_000),
    "one-line summary, n bytes of short sentences": (lambda n: report("Prices rose. " * (n // 13)), 2_500_000),
    "n tags inside an unclosed marker": (lambda n: report("Prices rose (1" + " <b> " * n + "[1]."), 200_000),
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--all-rules", action="store_true")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    rules = load_rules() if args.all_rules else [r for r in load_rules() if r.code in READER]
    lint_text(report("Prices rose [1]."), rules=rules)  # warm-up: imports and caches
    print(f"{'family':52} {'n':>10} {'s at n':>8} {'s at 4n':>8} {'ratio':>6}")
    for name, (make, n) in FAMILIES.items():
        n = max(1, int(n * args.scale))
        times = []
        for size in (n, 4 * n):
            text = make(size)
            start = time.perf_counter()
            lint_text(text, rules=rules)
            times.append(time.perf_counter() - start)
        print(f"{name:52} {n:10d} {times[0]:8.2f} {times[1]:8.2f} {times[1] / max(times[0], 1e-3):6.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
