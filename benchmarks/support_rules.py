"""Measure the support rules (CIT302, CIT303) against expert judgements.

    python benchmarks/support_rules.py [--labelled DIR] [--folds 5] [--seed 12]
                                       [--scorers lexical,semantic] [--write]
                                       [--embeddings FILE] [--explore]

Reads ../shared/labelled/expertqa-domain (reports whose summary clauses carry an expert's
judgement of whether the cited rows support them; the expert read the whole cited passage,
so the labels measure the passage standard) and prints, for each scorer:

- ROC AUC of its claim score and its passage score (threshold-free);
- balanced accuracy and macro-F1 of CIT302 under the passage standard, with report-level
  cross-validation: the reports are split into folds (seeded); for each fold the threshold
  is chosen on the other folds only (best balanced accuracy) and the held-out fold is judged
  with it; the figures pool the held-out judgements;
- the same for CIT303 on re-pointed markers (benchmarks/swap.py): per fold, the two
  thresholds with the best recall among those whose false-alarm rate on the training
  reports' unmodified clauses stays at or below 1%; recall and false alarms of the held-out
  reports, pooled;
- CPU ms per clause of the shared analysis (CIT302 and CIT303 together) on 40 reports (10
  for the semantic scorer) with every cache of texts emptied (CPU time, not wall time, so
  that other work on the machine does not count; loading the lexicon or the model, once per
  process, is not counted); for the lexical scorer the least of 5 such timings.

``--explore`` also prints the held-out balanced accuracy of other ways to combine the
semantic scorer's evidence with the lexical scorer's (similarity alone, its mean over the
passage's windows, a blend whose share is fitted, the weakest part of the clause, a logistic
regression on all of them): each fitted and thresholded on the training folds only.

The defaults the rules ship are the medians of the folds' choices (printed). ``--write``
stores the figures in benchmarks/support_results.json and the marked blocks of
rules/CIT302.md and rules/CIT303.md (a test checks they agree): no figure on a rule page is
typed by hand.
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import swap  # noqa: E402
from citelint import support  # noqa: E402
from citelint.parser import parse  # noqa: E402
from citelint.scorers import get, missing_requirement  # noqa: E402

RESULTS = HERE / "support_results.json"
PAGES = {"CIT302": ROOT / "rules" / "CIT302.md", "CIT303": ROOT / "rules" / "CIT303.md"}
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
MAX_FALSE_ALARMS = 0.01
COVERAGES = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
MARGINS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


class Clause(NamedTuple):
    report: str
    supported: bool
    claim: float
    passage: float


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a supported clause scores above an unsupported one (ties: half)."""
    import bisect

    ordered = sorted(neg)
    wins = 0.0
    for p in pos:
        lo, hi = bisect.bisect_left(ordered, p), bisect.bisect_right(ordered, p)
        wins += lo + 0.5 * (hi - lo)
    return wins / (len(pos) * len(neg))


def confusion(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    """Balanced accuracy and macro-F1 of (unsupported, reported) pairs."""
    tp = sum(1 for y, p in pairs if y and p)
    fn = sum(1 for y, p in pairs if y and not p)
    fp = sum(1 for y, p in pairs if not y and p)
    tn = sum(1 for y, p in pairs if not y and not p)

    def f1(a: int, b: int, c: int) -> float:
        return 2 * a / (2 * a + b + c) if a else 0.0

    return {
        "balanced_accuracy": 0.5 * (tp / max(1, tp + fn) + tn / max(1, tn + fp)),
        "macro_f1": 0.5 * (f1(tp, fp, fn) + f1(tn, fn, fp)),
        "reported": (tp + fp) / max(1, len(pairs)),
    }


def folds(reports: list[str], k: int, seed: int) -> dict[str, int]:
    order = sorted(reports)
    random.Random(seed).shuffle(order)
    return {r: i % k for i, r in enumerate(order)}


def best_threshold(clauses: list[Clause]) -> float:
    """The passage threshold with the best balanced accuracy on ``clauses`` (the lowest on a tie)."""
    candidates = sorted({round(c.passage, 4) for c in clauses} | {0.0, 1.0})

    def score(t: float) -> float:
        return confusion([(not c.supported, c.passage < t) for c in clauses])["balanced_accuracy"]

    return max(candidates, key=lambda t: (score(t), -t))


def score_clauses(labelled: Path, scorer_name: str) -> list[Clause]:
    reports = swap.load(labelled)
    analyse = support.ANALYSERS[scorer_name]
    out = []
    for name, (text, labels) in sorted(reports.items()):
        for c, label in zip(analyse(parse(text, name)).clauses, labels):
            out.append(Clause(name, bool(label["supported"]), c.claim_score, c.passage_score))
    return out


def ms_per_clause(labelled: Path, scorer_name: str, reports: int, repeats: int = 1) -> float:
    """CPU ms per clause of the analysis on the first ``reports`` reports, every cache of
    texts emptied first (what a run on new reports costs; loading the lexicon or a model,
    once per process, is not counted). The least of ``repeats`` timings, each with the
    caches emptied again: on a machine shared with other work, the least is the one the
    neighbours disturbed least."""
    from citelint import support_text, synonyms
    from citelint.scorers import lexical

    docs = [parse(text, name) for name, (text, _) in sorted(swap.load(labelled).items())[:reports]]
    analyse = support.ANALYSERS[scorer_name]
    scorer = get(scorer_name)
    analyse(parse("# x\n\n## Summary\nWarm up the scorer [1].\n", "warm-up.md"))
    caches = (support_text.terms, support_text.clause_words, support_text.weight, synonyms.related, lexical.prepare, lexical._merged)
    saved = getattr(scorer, "cache", None)
    timings = []
    for _ in range(repeats):
        for fn in caches:
            clear = getattr(fn, "cache_clear", None) or fn.__wrapped__.cache_clear  # memo.pure wraps an lru_cache
            clear()
        support_text.stems().clear()  # the word -> stem memo too: a new process starts without it
        if saved is not None:
            scorer.cache = {}  # type: ignore[attr-defined]
        start = time.process_time()
        count = sum(len(analyse(doc).clauses) for doc in docs)
        timings.append((time.process_time() - start) * 1000 / max(1, count))
    if saved is not None:
        scorer.cache = saved  # type: ignore[attr-defined]
    return min(timings)


def cit302(clauses: list[Clause], k: int, seed: int) -> dict[str, Any]:
    fold_of = folds(list({c.report for c in clauses}), k, seed)
    held_out: list[tuple[bool, bool]] = []
    chosen = []
    for f in range(k):
        train = [c for c in clauses if fold_of[c.report] != f]
        t = best_threshold(train)
        chosen.append(t)
        held_out += [(not c.supported, c.passage < t) for c in clauses if fold_of[c.report] == f]
    return {**confusion(held_out), "thresholds": chosen, "default": round(statistics.median(chosen), 2)}


class SwapCase(NamedTuple):
    report: str
    named: bool  # the best other row is the original one
    other: float
    cited: float
    terms: int


def swap_cases(labelled: Path, scorer_name: str, seed: int) -> tuple[list[SwapCase], list[SwapCase]]:
    """The re-pointed clauses and the unmodified ones, with what CIT303 compares."""
    reports = swap.load(labelled)
    analyse = support.ANALYSERS[scorer_name]
    moved = []
    for s in swap.swaps(reports, seed):
        c = analyse(parse(s.text, s.report)).clauses[s.clause]
        moved.append(SwapCase(s.report, c.best_other == str(s.original), c.best_other_score, c.strength, len(set(c.terms))))
    plain = []
    for name, (text, _) in sorted(reports.items()):
        for c in analyse(parse(text, name)).clauses:
            if c.cited:
                plain.append(SwapCase(name, False, c.best_other_score if c.best_other else 0.0, c.strength, len(set(c.terms))))
            else:
                plain.append(SwapCase(name, False, 0.0, 1.0, 0))
    return moved, plain


def _fires(c: SwapCase, coverage: float, margin: float, min_terms: int = 3) -> bool:
    return c.terms >= min_terms and c.other >= coverage and c.other >= c.cited + margin


def cit303(moved: list[SwapCase], plain: list[SwapCase], k: int, seed: int) -> dict[str, Any]:
    fold_of = folds(list({c.report for c in plain}), k, seed)
    named = total = alarms = clauses = 0
    chosen = []
    for f in range(k):
        train_moved = [c for c in moved if fold_of[c.report] != f]
        train_plain = [c for c in plain if fold_of[c.report] != f]
        best = (-1.0, 0.0, 0.0)
        for coverage in COVERAGES:
            for margin in MARGINS:
                false = sum(_fires(c, coverage, margin) for c in train_plain) / len(train_plain)
                if false > MAX_FALSE_ALARMS:
                    continue
                recall = sum(c.named and _fires(c, coverage, margin) for c in train_moved) / len(train_moved)
                # Ties go to the stricter setting (fewer false alarms elsewhere).
                if (recall, coverage, margin) > best:
                    best = (recall, coverage, margin)
        _, coverage, margin = best
        chosen.append((coverage, margin))
        test_moved = [c for c in moved if fold_of[c.report] == f]
        test_plain = [c for c in plain if fold_of[c.report] == f]
        named += sum(c.named and _fires(c, coverage, margin) for c in test_moved)
        total += len(test_moved)
        alarms += sum(_fires(c, coverage, margin) for c in test_plain)
        clauses += len(test_plain)
    return {
        "swaps": total,
        "recall": named / max(1, total),
        "false_alarms": alarms / max(1, clauses),
        "chosen": chosen,
        "default_coverage": statistics.median(c for c, _ in chosen),
        "default_margin": statistics.median(m for _, m in chosen),
    }

# Other ways to combine the semantic and lexical evidence (issue 12), measured like CIT302:
# each combination's weights and threshold are chosen on the training folds only.
_PART_BREAK = re.compile(
    r"\s*[,;:()]\s*|\s+(?=(?:and|but|while|whereas|since|because|which|although|including|such as|thereby)\b)", re.I
)
FEATURES = ("lexical passage", "lexical claim", "similarity passage", "similarity claim", "mean similarity passage", "weakest part")


def clause_parts(clause: str) -> list[str]:
    """The clause cut at commas and conjunctions into parts of three content words or more:
    a clause the experts call partly supported often has one part the passage lacks."""
    out: list[str] = []
    for piece in _PART_BREAK.split(clause):
        if not piece or not piece.strip():
            continue
        if out and len(support.content_words(out[-1])) < 3:
            out[-1] += " " + piece
        else:
            out.append(piece)
    if len(out) > 1 and len(support.content_words(out[-1])) < 3:
        last = out.pop()
        out[-1] += " " + last
    return out or [clause]


def semantic_features(labelled: Path) -> tuple[list[str], Any, Any]:
    """Per labelled clause: its report, whether it is supported, and FEATURES."""
    import numpy as np

    from citelint.scorers.lexical import SCORER
    from citelint.scorers.semantic import windows

    sem: Any = get("semantic")
    reports, supported, rows_out = [], [], []
    for name, (text, labels) in sorted(swap.load(labelled).items()):
        doc = parse(text, name)
        rows = doc.rows_by_number()
        for clause, label in zip(doc.summary.clauses if doc.summary else (), labels):
            c = clause.text.raw
            cited = tuple(n for n in clause.marker.numbers if n in rows)
            claims, passage = support.claims_of(rows, cited), support.passages_of(rows, cited)
            pieces = [w for e in passage for w in windows(e)]
            claim_pieces = [w for e in claims for w in windows(e)]
            if not pieces:
                f = [0.0] * len(FEATURES)
            else:
                sims = sem.vectors(pieces) @ sem.vectors([c])[0]
                parts = sem.vectors(clause_parts(c)) @ sem.vectors(pieces).T
                f = [
                    SCORER.score(c, passage),
                    SCORER.score(c, claims) if claims else 0.0,
                    float(sims.max()),
                    float((sem.vectors(claim_pieces) @ sem.vectors([c])[0]).max()) if claim_pieces else 0.0,
                    float(sims.mean()),
                    float(parts.max(axis=1).min()),
                ]
            reports.append(name)
            supported.append(bool(label["supported"]))
            rows_out.append(f)
    return reports, np.array(supported), np.array(rows_out)


def _logistic(x: Any, y: Any, penalty: float = 1.0) -> Any:
    """Weights (last: intercept) of an L2-penalised logistic regression, the classes weighted
    equally (balanced accuracy is the measure), fitted by Newton's method."""
    import numpy as np

    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    weight = np.where(y, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    reg = penalty * np.eye(xb.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-xb @ w))
        step = np.linalg.solve((xb * (weight * p * (1 - p))[:, None]).T @ xb + reg, xb.T @ (weight * (p - y)) + reg @ w)
        w -= step
        if abs(step).max() < 1e-9:
            break
    return w


def explore(labelled: Path, k: int, seed: int) -> dict[str, float]:
    """Held-out balanced accuracy of each combination (threshold and weights from training folds)."""
    import numpy as np

    reports, y, x = semantic_features(labelled)
    fold_of = folds(sorted(set(reports)), k, seed)
    fold = np.array([fold_of[r] for r in reports])

    def fixed(weights: list[float]) -> Any:
        return lambda train: x @ np.array(weights)

    def fitted_blend(train: Any) -> Any:
        # The share of the similarity in a lexical + similarity blend, on a grid.
        def held(share: float) -> float:
            s = (1 - share) * x[:, 0] + share * x[:, 2]
            t = _cut(s[train], y[train])
            return confusion(list(zip(~y[train], s[train] < t)))["balanced_accuracy"]

        share = max((i / 10 for i in range(11)), key=held)
        return (1 - share) * x[:, 0] + share * x[:, 2]

    def fitted_logistic(train: Any) -> Any:
        mean, sd = x[train].mean(0), x[train].std(0) + 1e-9
        z = (x - mean) / sd
        w = _logistic(z[train], y[train].astype(float))
        return z @ w[:-1] + w[-1]

    combinations = {
        "lexical passage score": fixed([1, 0, 0, 0, 0, 0]),
        "similarity, best window": fixed([0, 0, 1, 0, 0, 0]),
        "similarity, mean of windows": fixed([0, 0, 0, 0, 1, 0]),
        "lexical + similarity, equal shares (shipped)": fixed([0.5, 0, 0.5, 0, 0, 0]),
        "lexical + similarity, share fitted": fitted_blend,
        "lexical + weakest clause part": fixed([0.5, 0, 0, 0, 0, 0.5]),
        "logistic regression on all six": fitted_logistic,
    }
    out = {}
    for label, score_of in combinations.items():
        pairs: list[tuple[bool, bool]] = []
        for f in range(k):
            train = fold != f
            s = score_of(train)
            t = _cut(s[train], y[train])
            pairs += list(zip(~y[~train], s[~train] < t))
        out[label] = confusion([(bool(a), bool(b)) for a, b in pairs])["balanced_accuracy"]
    return out


def _cut(scores: Any, supported: Any) -> float:
    """The threshold with the best balanced accuracy (the lowest on a tie), as best_threshold."""
    candidates = sorted({round(float(v), 4) for v in scores} | {0.0, 1.0})
    pairs = list(zip(~supported, scores))
    return max(candidates, key=lambda t: (confusion([(bool(u), bool(v < t)) for u, v in pairs])["balanced_accuracy"], -t))


def render(results: dict[str, Any], code: str) -> str:
    """The marked block of a rule page, from the results file."""
    lines = [START, "", f"Measured by `python benchmarks/support_rules.py --write` ({results['folds']}-fold "
             f"cross-validation by report, seed {results['seed']}, on {results['clauses']} expert-labelled clauses "
             f"of {results['reports']} reports; figures of held-out folds):", ""]
    if code == "CIT302":
        lines += ["| scorer | AUC claim | AUC passage | balanced accuracy | macro-F1 | reported | CPU ms/clause |", "|---|---|---|---|---|---|---|"]
        for name, r in results["scorers"].items():
            lines.append(
                f"| {name} | {r['auc_claim']:.3f} | {r['auc_passage']:.3f} | {r['cit302']['balanced_accuracy']:.3f} | "
                f"{r['cit302']['macro_f1']:.3f} | {r['cit302']['reported']:.0%} | {r['ms_per_clause']:.2f} |"
            )
        lines += ["", "Balanced accuracy and macro-F1 are those of the passage standard (what the experts judged), "
                  "its threshold chosen on the training folds (shipped: the median of their choices, "
                  + ", ".join(f"{n} {r['cit302']['default']:.2f}" for n, r in results["scorers"].items()) + ")."]
    else:
        lines += ["| scorer | re-pointed markers | original row named | false alarms | CPU ms/clause |", "|---|---|---|---|---|"]
        for name, r in results["scorers"].items():
            s = r["cit303"]
            lines.append(f"| {name} | {s['swaps']} | {s['recall']:.1%} | {s['false_alarms']:.2%} | {r['ms_per_clause']:.2f} |")
        lines += ["", "Thresholds chosen on the training folds: the best recall with at most 1% false alarms on their "
                  "unmodified clauses (the medians of their choices, "
                  + ", ".join(f"{n} {r['cit303']['default_coverage']:.2f} / {r['cit303']['default_margin']:.2f}" for n, r in results["scorers"].items())
                  + " for `misattributed-coverage` / `misattributed-margin`; the lexical ones are the defaults, "
                  "set the others with `scorer = \"semantic\"`)."]
    return "\n".join(lines + ["", END])


def write_pages(results: dict[str, Any]) -> None:
    for code, page in PAGES.items():
        text = page.read_text(encoding="utf-8")
        start, end = text.index(START), text.index(END) + len(END)
        page.write_text(text[:start] + render(results, code) + text[end:], encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--labelled", type=Path, default=swap.DEFAULT_LABELLED)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--scorers", default="lexical,semantic")
    ap.add_argument("--write", action="store_true", help="store the figures in the results file and rule pages")
    ap.add_argument(
        "--embeddings",
        type=Path,
        help="a pickle file of the semantic scorer's embeddings, read before and written after "
        "(the benchmark's own cache: embedding the set takes minutes; citelint never writes one)",
    )
    ap.add_argument(
        "--explore",
        action="store_true",
        help="also measure other combinations of the semantic and lexical evidence (needs the semantic scorer)",
    )
    args = ap.parse_args()
    if not (args.labelled / "labels.jsonl").exists():
        print(f"no labelled data at {args.labelled}")
        return 1
    results: dict[str, Any] = {"folds": args.folds, "seed": args.seed, "scorers": {}}
    for name in args.scorers.split(","):
        problem = missing_requirement(name)
        if problem:
            print(f"{name}: skipped, {problem}")
            continue
        if name == "semantic" and args.embeddings and args.embeddings.exists():
            get(name).cache.update(pickle.loads(args.embeddings.read_bytes()))  # type: ignore[attr-defined]
        clauses = score_clauses(args.labelled, name)
        # The semantic scorer: one timing of 10 reports (about a minute); the lexical: the least of 5.
        ms = ms_per_clause(args.labelled, name, 10, 1) if name == "semantic" else ms_per_clause(args.labelled, name, 40, 5)
        if name == "semantic" and args.embeddings:
            args.embeddings.write_bytes(pickle.dumps(get(name).cache))  # type: ignore[attr-defined]
        results["clauses"] = len(clauses)
        results["reports"] = len({c.report for c in clauses})
        pos = [c for c in clauses if c.supported]
        neg = [c for c in clauses if not c.supported]
        moved, plain = swap_cases(args.labelled, name, args.seed)
        r = {
            "auc_claim": auc([c.claim for c in pos], [c.claim for c in neg]),
            "auc_passage": auc([c.passage for c in pos], [c.passage for c in neg]),
            "cit302": cit302(clauses, args.folds, args.seed),
            "cit303": cit303(moved, plain, args.folds, args.seed),
            "ms_per_clause": ms,
        }
        results["scorers"][name] = r
        print(f"\nscorer {name}: {len(clauses)} clauses, {len(neg)} judged not fully supported")
        print(f"  ROC AUC: claim score {r['auc_claim']:.3f}, passage score {r['auc_passage']:.3f}")
        c302 = r["cit302"]
        print(
            f"  CIT302 passage standard, held-out: balanced accuracy {c302['balanced_accuracy']:.3f}, "
            f"macro-F1 {c302['macro_f1']:.3f}, reports {c302['reported']:.0%} of clauses; "
            f"fold thresholds {c302['thresholds']} -> default {c302['default']:.2f}"
        )
        c303 = r["cit303"]
        print(
            f"  CIT303 swaps, held-out: {c303['swaps']} re-pointed markers, original row named {c303['recall']:.1%}, "
            f"false alarms {c303['false_alarms']:.2%}; fold choices {c303['chosen']} -> "
            f"coverage {c303['default_coverage']:.2f}, margin {c303['default_margin']:.2f}"
        )
        print(f"  analysis: {ms:.3f} ms per clause")
    if args.explore and missing_requirement("semantic") is None:
        if args.embeddings and args.embeddings.exists():
            get("semantic").cache.update(pickle.loads(args.embeddings.read_bytes()))  # type: ignore[attr-defined]
        print("\nsemantic evidence combined otherwise (CIT302 passage standard, held-out balanced accuracy):")
        for label, value in explore(args.labelled, args.folds, args.seed).items():
            print(f"  {label:48} {value:.3f}")
        if args.embeddings:
            args.embeddings.write_bytes(pickle.dumps(get("semantic").cache))  # type: ignore[attr-defined]
    if args.write and results["scorers"]:
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        write_pages(results)
        print(f"\nwrote {RESULTS.relative_to(ROOT)} and the figures of {', '.join(PAGES)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
