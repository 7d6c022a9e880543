"""Fixing the real corpus: nothing gets worse, rows survive (less merged duplicates), and
a second run changes nothing. Skips when ../shared is absent."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import shared

ROOT = Path(__file__).resolve().parent.parent


def test_fixing_the_corpus_makes_no_file_worse_and_settles() -> None:
    corpus = shared("corpus", "smartbook")
    spec = importlib.util.spec_from_file_location("fix_corpus", ROOT / "benchmarks" / "fix_corpus.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md"))}
    result = bench.check(texts)
    assert result["worse"] == []
    # A fix whose result another rule would report (a stop that separates an uncited
    # sentence, a re-pointed marker that orphans its row) is not applied at all.
    assert result["revealed"] == []
    assert result["rows_changed"] == []
    assert result["unsettled"] == []
    assert sum(result["applied"].values()) > 0
