"""Check that linting time grows linearly with the size of a report.

    python benchmarks/scaling.py

Builds synthetic reports of our own with N claim rows, a summary citing every row (with
some glued words, duplicates and suppression comments so that every rule has work), and
prints the time per row for growing N. Linear rules keep it flat; a quadratic one makes it
grow with N.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citelint import lint_text  # noqa: E402

WORDS = "ferry boat harbour council lease engine inspection summer season repairs crews bridge".split()


def report(n: int) -> str:
    clauses = []
    rows = []
    for i in range(1, n + 1):
        a, b, c = WORDS[i % 12], WORDS[(i * 5) % 12], WORDS[(i * 7) % 12]
        claim = f"The {a} and the {b} needed {c} number {i}."
        glue = " andmore" if i % 10 == 0 else ""
        clauses.append(f"The {a} and the {b}{glue} needed {c} <font color=#FF3399>[{i}]</font>.")
        if i % 50 == 0:
            rows.append("<!-- citelint-disable-next-line CIT401 -->")
        rows.append(
            f'|<font color=#FF3399>[{i}]</font> {claim}<a href="https://example.org/{i % (n // 2 + 1)}">Source</a>| Before. {claim} After.|'
        )
    return "\n".join(["# Q?", "", "## Summary", " ".join(clauses), "", "## Claims", "| Claim Sentence | Context |", "|---|---|", *rows, ""])


def main() -> int:
    lint_text(report(10))  # warm-up: imports and caches
    print(f"{'rows':>6} {'seconds':>8} {'ms per row':>11} {'findings':>9}")
    for n in (250, 500, 1000, 2000, 4000):
        text = report(n)
        start = time.perf_counter()
        found = lint_text(text)
        elapsed = time.perf_counter() - start
        print(f"{n:6d} {elapsed:8.3f} {elapsed / n * 1000:11.3f} {len(found):9d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
