"""Measure CIT303 (misattributed-citation) by re-pointing markers.

    python benchmarks/swap.py [--labelled DIR] [--seed N] [--scorer lexical|semantic]
                              [--option NAME=VALUE ...]

In the expert-labelled reports of ../shared/labelled, each clause an expert judged fully
supported by the one row it cites is re-pointed, in a copy of its report, at another row of
that report (chosen with a fixed seed), one clause at a time. CIT303 should then report the
clause and name the row it cited at first. The benchmark prints:

- recall: the share of re-pointed markers for which CIT303 names the original row;
- false alarms: the share of clauses of the unmodified reports that CIT303 reports;
- CPU ms per clause of the analysis both support rules share, on a first reading of the
  reports (the lexicon or model, loaded once per process, is not counted).

The rule runs with its defaults (or the ``--option`` values); ``--scorer`` sets its scorer.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from citelint import support  # noqa: E402
from citelint.checks import backing  # noqa: E402
from citelint.citations import CitationGroup  # noqa: E402
from citelint.engine import check_document  # noqa: E402
from citelint.model import Document  # noqa: E402
from citelint.parser import parse  # noqa: E402

DEFAULT_LABELLED = HERE.parent.parent / "shared" / "labelled" / "expertqa-domain"


@dataclass(frozen=True)
class Swap:
    report: str
    clause: int  # index of the clause in the summary
    original: int  # the row it cited
    moved_to: int  # the row it now cites
    text: str  # the report with the marker re-pointed


def load(labelled: Path) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Report name -> (its text, its clause labels in order)."""
    labels = [json.loads(line) for line in (labelled / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    out: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for label in labels:
        name = str(label["report"])
        if name not in out:
            out[name] = ((labelled / name).read_text(encoding="utf-8"), [])
        out[name][1].append(label)
    return out


def swaps(reports: dict[str, tuple[str, list[dict[str, Any]]]], seed: int) -> list[Swap]:
    """One re-pointed copy per correctly cited single-row clause of a report with another row."""
    rng = random.Random(seed)
    out = []
    for name in sorted(reports):
        text, labels = reports[name]
        doc = parse(text, name)
        numbers = sorted(doc.rows_by_number())
        for i, (clause, label) in enumerate(zip(doc.summary.clauses if doc.summary else (), labels)):
            marker = clause.marker
            if not label["supported"] or len(marker.numbers) != 1 or len(numbers) < 2:
                continue
            original = marker.numbers[0]
            others = [n for n in numbers if n != original]
            moved_to = rng.choice(others)
            # Re-pointed as CIT303's own fix would: its number edited, its style kept.
            fix = backing.repoint(CitationGroup(marker.text, (str(original),)), str(moved_to))
            if fix is None:
                continue
            (edit,) = fix.edits  # offsets into doc.source (the text as read: no BOM, LF line ends)
            out.append(Swap(name, i, original, moved_to, doc.source[: edit.start] + edit.text + doc.source[edit.end :]))
    return out


def run(doc: Document, options: dict[str, Any]) -> list[Any]:
    return check_document(doc, [backing.misattributed_citation], {"CIT303": options})


def measure(
    reports: dict[str, tuple[str, list[dict[str, Any]]]], moved: list[Swap], options: dict[str, Any]
) -> dict[str, float]:
    named = 0
    for swap in moved:
        doc = parse(swap.text, swap.report)
        clause = doc.summary.clauses[swap.clause] if doc.summary else None
        for f in run(doc, options):
            if clause is not None and f.span == clause.text.span and f"row [{swap.original}]" in f.message:
                named += 1
                break
    alarms = clauses = 0
    for name, (text, labels) in reports.items():
        doc = parse(text, name)
        clauses += len(doc.summary.clauses) if doc.summary else 0
        alarms += len(run(doc, options))
    return {
        "swaps": len(moved),
        "recall": named / len(moved) if moved else 0.0,
        "clauses": clauses,
        "false_alarms": alarms / clauses if clauses else 0.0,
    }


def ms_per_clause(reports: dict[str, tuple[str, list[dict[str, Any]]]], scorer: str) -> float:
    docs = [parse(text, name) for name, (text, _) in sorted(reports.items())]
    analyse = support.ANALYSERS[scorer]
    analyse(parse("# x\n\n## Summary\nWarm up the scorer [1].\n", "warm-up.md"))  # what loads once per process
    start = time.process_time()
    clauses = sum(len(analyse(doc).clauses) for doc in docs)
    return (time.process_time() - start) * 1000 / max(1, clauses)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--scorer", default="lexical")
    ap.add_argument("--option", action="append", default=[], help="NAME=VALUE of CIT303")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    if not (args.labelled / "labels.jsonl").exists():
        print(f"no labelled data at {args.labelled}")
        return 1
    options = {**backing.misattributed_citation.defaults, "scorer": args.scorer}
    for item in args.option:
        key, _, value = item.partition("=")
        options[key] = backing.misattributed_citation.option(key).check(json.loads(value))  # type: ignore[union-attr]
    reports = load(args.labelled)
    # Timed first, while no text has been read: what a run on new reports costs.
    ms = ms_per_clause(reports, args.scorer)
    figures = measure(reports, swaps(reports, args.seed), options)
    figures["ms_per_clause"] = ms
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"CIT303 with scorer {args.scorer!r}, options {options}")
    print(
        f"re-pointed markers: {figures['swaps']:.0f}, original row named: {figures['recall']:.1%}\n"
        f"unmodified reports: {figures['clauses']:.0f} clauses, CIT303 reports {figures['false_alarms']:.1%}\n"
        f"analysis: {figures['ms_per_clause']:.3f} ms per clause"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
