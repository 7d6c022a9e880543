"""Fix a copy of the SmartBook corpus with every fix (safe and unsafe) and check the result.

    python benchmarks/fix_corpus.py [CORPUS_DIR]

Prints the fixes applied per rule, the findings per rule before and after, the files where
some rule found more after fixing than before (there must be none), the files whose rows
changed other than by a merged duplicate (none), whether a second run changes anything
(it must not), and the time taken.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from citelint import fix_text, lint_text  # noqa: E402
from citelint.checks.claims import claim_key  # noqa: E402
from citelint.parser import parse  # noqa: E402


def check(texts: dict[str, str]) -> dict[str, object]:
    applied: Counter[str] = Counter()
    before_all: Counter[str] = Counter()
    after_all: Counter[str] = Counter()
    worse: list[str] = []
    rows_changed: list[str] = []
    unsettled: list[str] = []
    problems: list[str] = []
    start = time.perf_counter()
    for name, text in texts.items():
        before = Counter(f.code for f in lint_text(text, name))
        out = fix_text(text, name, unsafe=True)
        after = Counter(f.code for f in out.findings)
        before_all.update(before)
        after_all.update(after)
        applied.update(out.applied)
        problems.extend(f"{name}: {p}" for p in out.problems)
        if any(after[c] > before[c] for c in after):
            worse.append(name)
        old_rows = [claim_key(r) for r in parse(text).rows]
        new_rows = [claim_key(r) for r in parse(out.text).rows]
        # Rows may only go when they repeat a row that stays; the rest keep their claims
        # (a fix inside a claim may repair its words: compared by count, then by set).
        gone = len(old_rows) - len(new_rows)
        duplicates = len(old_rows) - len(set(old_rows))
        if gone < 0 or gone > duplicates or (gone == 0 and not out.applied and old_rows != new_rows):
            rows_changed.append(name)
        if fix_text(out.text, name, unsafe=True).changed:
            unsettled.append(name)
    return {
        "files": len(texts),
        "seconds": time.perf_counter() - start,
        "applied": applied,
        "before": before_all,
        "after": after_all,
        "worse": worse,
        "rows_changed": rows_changed,
        "unsettled": unsettled,
        "problems": problems,
    }


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus" / "smartbook"
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md"))}
    if not texts:
        print(f"no reports in {corpus}")
        return 2
    r = check(texts)
    print(f"{r['files']} files fixed with --fix --unsafe-fixes in {r['seconds']:.1f} s")
    applied, before, after = r["applied"], r["before"], r["after"]
    assert isinstance(applied, Counter) and isinstance(before, Counter) and isinstance(after, Counter)
    print("rule     before  fixed  after")
    for code in sorted(set(before) | set(after) | set(applied)):
        print(f"{code}  {before[code]:6}  {applied[code]:5}  {after[code]:5}")
    for key in ("worse", "rows_changed", "unsettled", "problems"):
        items = r[key]
        assert isinstance(items, list)
        print(f"{key}: {len(items)}" + "".join(f"\n  {i}" for i in items[:10]))
    return 0 if not (r["worse"] or r["rows_changed"] or r["unsettled"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
