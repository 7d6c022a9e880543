"""Measure the support rules (CIT302, CIT303) against expert judgements.

    python benchmarks/support_rules.py [--labelled DIR]

Reads ../shared/labelled/expertqa-domain (171 reports whose 867 summary clauses carry an
expert's judgement of whether the cited rows support them) and prints, for the lexical
coverage score that CIT302 uses, how well it separates supported from unsupported clauses
(ROC AUC), and what CIT302 would report at several thresholds: how many clauses, the share of
them the expert judged unsupported (precision), and the share of unsupported clauses caught
(recall). It also prints what the rules report on the reference example.

The expert judged each clause against the cited passages, so the score is shown twice:
against the cited claim sentences (what CIT302 checks) and against claims plus contexts.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from citelint import lint_paths, support  # noqa: E402
from citelint.parser import parse  # noqa: E402


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a supported clause scores above an unsupported one."""
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labelled", type=Path, default=HERE.parent.parent / "shared" / "labelled" / "expertqa-domain")
    args = ap.parse_args()
    labels_path = args.labelled / "labels.jsonl"
    if not labels_path.exists():
        print(f"no labelled data at {args.labelled}")
        return 1
    labels = [json.loads(line) for line in labels_path.read_text().splitlines()]
    by_report: dict[str, list[dict[str, object]]] = {}
    for label in labels:
        by_report.setdefault(str(label["report"]), []).append(label)
    rows: list[tuple[bool, float, float]] = []
    for name, clauses in sorted(by_report.items()):
        doc = parse((args.labelled / name).read_text(encoding="utf-8"), name)
        numbered = doc.rows_by_number()
        for c, label in zip(support.analyse(doc).clauses, clauses):
            context = [t for n in c.cited for r in numbered[n] if r.context for t in support.terms(r.context.raw)]
            claims = [t for n in c.cited for r in numbered[n] for t in support.terms(r.claim.raw)]
            with_context = support.LexicalScorer().coverage(c.terms, claims + context)
            rows.append((bool(label["supported"]), c.coverage, with_context))
    unsupported = sum(1 for r in rows if not r[0])
    print(f"{len(rows)} clauses, {unsupported} judged not fully supported ({unsupported / len(rows):.0%})")
    for title, index in (("cited claim sentences (CIT302)", 1), ("claims and their contexts", 2)):
        pos = [r[index] for r in rows if r[0]]
        neg = [r[index] for r in rows if not r[0]]
        print(f"\ncoverage by {title}: ROC AUC {auc(pos, neg):.3f}")
        for threshold in (0.1, 0.25, 0.4, 0.5):
            flagged = [r for r in rows if r[index] < threshold]
            hits = sum(1 for r in flagged if not r[0])
            precision = hits / len(flagged) if flagged else 0.0
            print(
                f"  coverage < {threshold:<4}: {len(flagged):3d} clauses reported, "
                f"precision {precision:.2f}, recall {hits / unsupported:.2f}"
            )
    example = HERE.parent.parent / "shared" / "examples" / "iran-missiles.md"
    if example.exists():
        print("\nreference example:")
        for f in lint_paths([example]):
            if f.code in ("CIT302", "CIT303"):
                print(f"  {f.line}:{f.col}: {f.code} {f.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
