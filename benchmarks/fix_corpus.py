"""Fix a copy of the SmartBook corpus with every fix (safe and unsafe) and check the result.

    python benchmarks/fix_corpus.py [CORPUS_DIR]

Prints the fixes applied per rule, the findings per rule before and after, the files where
fixing made something worse (a new error, or a finding of a rule whose own fix was applied:
there must be none), the findings that a repair revealed (a sentence the repaired stop now
closes has no marker; a clause whose glued words are separated now matches another row
better: listed, to be read), the files whose rows changed other than by a merged duplicate
(none), whether a second run changes anything (it must not), and the time taken.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import difflib  # noqa: E402

from citelint import fix_text, lint_text  # noqa: E402
from citelint.finding import Severity  # noqa: E402
from citelint.checks.claims import claim_key  # noqa: E402
from citelint.parser import parse  # noqa: E402


def _same_rows(before: str, after: str) -> bool:
    """Whether the fixed text keeps every row, less rows that repeat another: each row left
    is one of the rows before (its words repaired at most), one per distinct claim."""
    old = [claim_key(r) for r in parse(before).rows]
    new = [claim_key(r) for r in parse(after).rows]

    def close(a: str, b: str) -> bool:
        return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9

    if len(new) > len(old) or any(not any(close(n, o) for o in old) for n in new):
        return False
    # Every old row is still there, or repeats (once repaired) a row that is.
    return all(any(close(o, n) for n in new) for o in old)


def check(texts: dict[str, str]) -> dict[str, object]:
    applied: Counter[str] = Counter()
    before_all: Counter[str] = Counter()
    after_all: Counter[str] = Counter()
    worse: list[str] = []
    revealed: list[str] = []
    rows_changed: list[str] = []
    unsettled: list[str] = []
    problems: list[str] = []
    start = time.perf_counter()
    for name, text in texts.items():
        found = lint_text(text, name)
        before = Counter(f.code for f in found)
        out = fix_text(text, name, unsafe=True)
        after = Counter(f.code for f in out.findings)
        errors_before = Counter(f.code for f in found if f.severity is Severity.ERROR)
        before_all.update(before)
        after_all.update(after)
        applied.update(out.applied)
        problems.extend(f"{name}: {p}" for p in out.problems)
        for code in after:
            if after[code] <= before[code]:
                continue
            new_errors = sum(1 for f in out.findings if f.code == code and f.severity is Severity.ERROR)
            if code in out.applied or new_errors > errors_before[code]:
                worse.append(f"{name}: {code} {before[code]} -> {after[code]}")
            else:
                revealed.extend(f"{name}:{f.line}:{f.col}: {f.code} {f.message}" for f in out.findings if f.code == code)
        if not _same_rows(text, out.text):
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
        "revealed": revealed,
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
    for key in ("worse", "revealed", "rows_changed", "unsettled", "problems"):
        items = r[key]
        assert isinstance(items, list)
        print(f"{key}: {len(items)}" + "".join(f"\n  {i}" for i in items[:10]))
    return 0 if not (r["worse"] or r["rows_changed"] or r["unsettled"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
