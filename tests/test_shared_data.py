"""End-to-end checks on the real reports in ../shared (skipped when it is absent)."""
from __future__ import annotations

from collections import Counter

from citelint import lint_paths
from citelint.engine import INTERNAL_ERROR
from tests.conftest import shared


def test_reference_example() -> None:
    path = shared("examples", "iran-missiles.md")
    findings = lint_paths([path])
    merged = [(f.line, f.col) for f in findings if f.code == "CIT401"]
    assert merged == [(9, 159), (9, 583), (10, 159), (10, 583), (13, 554)]
    lines = path.read_text(encoding="utf-8").split("\n")
    for line, col in merged:
        assert lines[line - 1][col - 1 : col - 1 + len("andmore")] == "andmore"
    assert not [f for f in findings if f.code in ("CIT101", "CIT201", "CIT301", INTERNAL_ERROR)]


def test_corpus_lints_without_internal_errors() -> None:
    corpus = shared("corpus", "smartbook")
    findings = lint_paths([corpus])
    counts = Counter(f.code for f in findings)
    assert counts[INTERNAL_ERROR] == 0 and counts["CIT999"] == 0
    # Every corpus file is generated, so its claims are copied from their contexts.
    assert counts["CIT301"] == 0


def test_labelled_reports_parse_with_their_clauses() -> None:
    import json

    from citelint.parser import parse

    root = shared("labelled", "expertqa-domain")
    labels = [json.loads(line) for line in (root / "labels.jsonl").read_text().splitlines()]
    by_report: dict[str, list[dict[str, object]]] = {}
    for label in labels:
        by_report.setdefault(str(label["report"]), []).append(label)
    for name, clauses in by_report.items():
        doc = parse((root / name).read_text(encoding="utf-8"), name)
        assert doc.summary is not None
        markers = doc.summary.markers
        assert [m.text.span.col for m in markers] == [c["marker_col"] for c in clauses], name
        assert [list(m.numbers) for m in markers] == [c["markers"] for c in clauses], name
