"""The support rules' two standards, their scorers, CIT303's relative judgement and fixes."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from citelint import fix_text, lint_text, scorers
from citelint.config import ConfigError, resolve
from citelint.finding import Applicability, Finding
from citelint.fixer import apply_edits
from citelint.registry import load_rules
from citelint.scorers.lexical import SCORER
from citelint.synonyms import DATA, related
from tests.reports import marker, report, row
from tests.test_rulebook import fences, sections

ROOT = Path(__file__).resolve().parent.parent
FERRY = row(
    1,
    "The ferry stopped running in March.",
    "Repairs to the hull will cost two million euros. The ferry stopped running in March.",
)


def lint(text: str, options: dict[str, dict[str, object]] | None = None) -> list[Finding]:
    settings = resolve({"options": options or {}}, None, load_rules(), root=".")
    return [f for f in lint_text(text, "report.md", settings=settings) if f.code in ("CIT302", "CIT303")]


# The two standards


def test_claim_standard_reports_a_clause_backed_only_by_the_context() -> None:
    text = report(f"Hull repairs will cost two million euros {marker(1)}.", [FERRY])
    (f,) = lint(text)
    assert f.message.startswith("clause is backed only by the context of [1]: ")
    assert "'repairs'" in f.message and "not in its claim" in f.message


def test_passage_standard_accepts_what_the_context_says() -> None:
    text = report(f"Hull repairs will cost two million euros {marker(1)}.", [FERRY])
    assert lint(text, {"CIT302": {"standard": "passage"}}) == []


@pytest.mark.parametrize("standard", ["claim", "passage"])
def test_both_standards_report_a_clause_the_source_does_not_back(standard: str) -> None:
    text = report(f"Tourists now prefer renting bicycles along the coast {marker(1)}.", [FERRY])
    (f,) = lint(text, {"CIT302": {"standard": standard}})
    assert f.message.startswith("clause is backed by neither the claim nor the context of [1]: 'tourists'")


def test_synonyms_and_derivations_count_as_backing() -> None:
    source = ["The physician decided to purchase a large automobile for the clinic."]
    reworded = "The doctor's decision was to buy a big car for the clinic."
    unrelated = "The nurse's complaint was to sell a small boat for the clinic."
    assert SCORER.score(reworded, source) > 0.6 > SCORER.score(unrelated, source)
    text = report(f"{reworded[:-1]} {marker(1)}.", [row(1, source[0])])
    assert lint(text) == []


def test_a_number_the_source_does_not_have_lowers_the_score() -> None:
    source = ["Iran is sending 1,000 drones to Russia, officials said."]
    same = SCORER.score("Officials say Iran sent 1000 drones to Russia.", source)
    other = SCORER.score("Officials say Iran sent 5000 drones to Russia.", source)
    assert same > other + 0.2


def test_a_negation_the_source_does_not_have_lowers_the_score() -> None:
    source = ["The committee approved the budget for the new bridge."]
    plain = SCORER.score("The committee approved the bridge budget.", source)
    negated = SCORER.score("The committee did not approve the bridge budget.", source)
    assert plain > negated + 0.1


def test_a_name_the_source_does_not_have_lowers_the_score() -> None:
    source = ["The minister visited the flooded villages on Monday."]
    assert SCORER.score("The minister visited the flooded villages.", source) > SCORER.score(
        "Minister Okafor visited the flooded villages.", source
    )


def test_a_short_clause_is_judged_by_its_words_not_its_length() -> None:
    # No prior against short clauses: fully covered, it is backed, however short.
    assert SCORER.score("Ferry stopped running.", ["The ferry stopped running in March."]) == 1.0


# CIT303: relative evidence


ROWS = [
    row(1, "The central bank chair testified before Congress on Tuesday.", "The central bank chair testified before Congress on Tuesday. She spoke for two hours."),
    row(2, "Ticket sales at the stadium doubled after the new roof opened.", "Ticket sales at the stadium doubled after the new roof opened. The club was pleased."),
]


def test_misattribution_survives_paraphrase() -> None:
    # The clause rewords row [2] (no sentence of it is copied) but cites [1].
    text = report(f"Stadium ticket sales have doubled since the roof was opened {marker(1)}.", ROWS)
    (f,) = lint(text)
    assert f.code == "CIT303" and f.message.startswith("clause cites [1] but row [2] backs it")


def test_a_correct_citation_is_not_reported() -> None:
    text = report(f"Stadium ticket sales have doubled since the roof was opened {marker(2)}.", ROWS)
    assert lint(text) == []


def test_cit303_fix_repoints_the_marker_and_keeps_its_style() -> None:
    # Row [1] stays cited by the first sentence, so re-pointing the second leaves nothing behind.
    first = f"The central bank chair testified before Congress on Tuesday {marker(1)}. "
    text = report(first + f"Stadium ticket sales have doubled since the roof was opened {marker(1)}.", ROWS)
    (f,) = lint(text)
    assert f.fix is not None and f.fix.applicability is Applicability.UNSAFE
    assert f.fix.description == "cite [2] instead of [1]"
    fixed = apply_edits(text, f.fix.edits)
    assert fixed == text.replace(f"opened {marker(1)}.", f"opened {marker(2)}.", 1)
    assert lint(fixed) == []


def test_cit303_only_suggests_a_repoint_that_would_leave_a_row_uncited() -> None:
    text = report(f"Stadium ticket sales have doubled since the roof was opened {marker(1)}.", ROWS)
    (f,) = lint(text)
    assert f.fix is not None and f.fix.applicability is Applicability.DISPLAY
    assert fix_text(text, "report.md", unsafe=True).text == text


def test_cit303_leaves_a_marker_citing_several_rows_unfixed() -> None:
    third = row(3, "The mayor opened a library.", "The mayor opened a library in the old town.")
    text = report(f"Stadium ticket sales have doubled since the roof was opened <font color=#FF3399>[1, 3]</font>.", [*ROWS, third])
    (f,) = lint(text)
    assert f.code == "CIT303" and "row [2]" in f.message and f.fix is None


def test_the_page_example_is_fixed_by_the_fix_itself() -> None:
    parts = sections((ROOT / "rules" / "CIT303.md").read_text(encoding="utf-8"))
    (_, bad), _ = fences(parts["Example"])
    ((_, fixed),) = fences(parts["Fixed"])
    edits = tuple(e for f in lint(bad) if f.fix for e in f.fix.edits)
    assert apply_edits(bad, edits) == fixed


def test_cit302_suggests_and_edits_nothing() -> None:
    text = report(f"Hull repairs will cost two million euros {marker(1)}.", [FERRY])
    (f,) = lint(text)
    assert f.fix is not None and f.fix.applicability is Applicability.DISPLAY and f.fix.edits == ()
    assert f.fix.description.startswith("quote the context sentence of [1]")


# Configuration of the scorer


def test_an_unknown_scorer_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match=r"options.CIT302.scorer: 'fancy' is not one of 'lexical', 'semantic'"):
        resolve({"options": {"CIT302": {"scorer": "fancy"}}}, None, load_rules(), root=".")


def test_the_semantic_scorer_without_its_packages_is_one_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorers, "missing_requirement", lambda name: "the semantic scorer needs numpy, which is not installed (pip install ...)")
    with pytest.raises(ConfigError) as caught:
        resolve({"options": {"CIT303": {"scorer": "semantic"}}}, None, load_rules(), root=".")
    assert str(caught.value).endswith("options.CIT303.scorer: the semantic scorer needs numpy, which is not installed (pip install ...)")


def test_the_default_scorer_loads_no_model() -> None:
    # In a fresh process: what a run imports is what a pre-commit hook pays for.
    text = report(f"Hull repairs will cost two million euros {marker(1)}.", [FERRY])
    code = (
        "import sys; from citelint import lint_text; "
        "found = [f.code for f in lint_text(sys.stdin.read())]; "
        "print('CIT302' in found, *(m in sys.modules for m in ('citelint.scorers.semantic', 'tokenizers', 'numpy')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == ["True", "False", "False", "False"], proc.stderr


def test_threads_linting_at_once_get_the_findings_of_one_thread_and_keep_their_own_stems() -> None:
    # A server lints on its own thread while a client may lint on another: the word -> stem
    # memo is per thread, so neither sees what the other stemmed, and both find the same.
    from citelint import support_text

    text = report(f"Harbour cranes unloaded refrigerated containers quickly {marker(1)}.", [FERRY])
    seen: dict[str, Any] = {}

    def worker() -> None:
        seen["findings"] = [(f.code, f.message) for f in lint(text)]
        seen["stem"] = support_text.term("refrigerated")
        seen["memo"] = support_text.stems()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["findings"] and seen["findings"] == [(f.code, f.message) for f in lint(text)]
    assert seen["stem"] == support_text.term("refrigerated") == "refriger"
    assert seen["memo"] is not support_text.stems() and seen["memo"]["refrigerated"] == "refriger"


def test_a_run_the_result_cache_answers_imports_no_support_module(tmp_path: Path) -> None:
    # Cold start: pre-commit runs citelint on unchanged reports again and again; the
    # analysis, its word tables and the stemmer are for a run that scores clauses.
    path = tmp_path / "r.md"
    path.write_text(report(f"Hull repairs will cost two million euros {marker(1)}.", [FERRY]), encoding="utf-8")
    support = ("citelint.support", "citelint.support_text", "citelint.scorers.lexical", "citelint.synonyms", "Stemmer")
    code = (
        "import sys; from citelint import cli; cli.main(['-q', sys.argv[1]]);"
        f"print(*(m in sys.modules for m in {support!r}))"
    )
    env = {k: v for k, v in os.environ.items() if "COV" not in k}
    env.update(NO_COLOR="1", CITELINT_CACHE_DIR=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env) for _ in range(2)]
    first, second = (r.stdout.splitlines() for r in runs)
    assert "CIT302" in first[0] and first[-1].split() == ["True"] * len(support), runs[0].stderr
    assert "CIT302" in second[0] and second[-1].split() == ["False"] * len(support), runs[1].stderr


# The semantic tier (skipped unless its optional packages are installed)

MORTGAGE = report(
    f"Higher mortgage rates quickly cooled the housing market {marker(3)}.",
    [
        row(1, "Retail sales rose in the spring.", "Retail sales rose in the spring, helped by warm weather."),
        row(2, "The city approved a new transit line.", "The city approved a new transit line after a long debate."),
        row(3, "The Fed chair said the central bank would keep fighting inflation.", "The Fed chair said the central bank would keep fighting inflation. She spoke in Washington."),
        row(
            4,
            "Average rates on 30-year fixed mortgages climbed above 6 percent, and home sales fell for a fifth straight month.",
            "Average rates on 30-year fixed mortgages climbed above 6 percent, and home sales fell for a fifth straight month. Builders reported fewer buyers.",
        ),
    ],
)


def test_semantic_tier_names_the_row_a_paraphrase_comes_from() -> None:
    problem = scorers.missing_requirement("semantic")
    if problem:
        pytest.skip(problem)
    # CIT303 with the thresholds the benchmark chose for this scorer (its rule page shows them).
    chosen = json.loads((ROOT / "benchmarks" / "support_results.json").read_text(encoding="utf-8"))
    c303 = chosen["scorers"]["semantic"]["cit303"]
    semantic = {"scorer": "semantic"}
    tuned = {**semantic, "misattributed-coverage": c303["default_coverage"], "misattributed-margin": c303["default_margin"]}
    (f,) = lint(MORTGAGE, {"CIT302": semantic, "CIT303": tuned})
    assert f.code == "CIT303" and f.message.startswith("clause cites [3] but row [4] backs it")


# The synonym table and the benchmark figures


def test_synonym_table_is_sorted_for_bisection() -> None:
    keys = [line.split(b"\t", 1)[0] + b"\t" for line in DATA.read_bytes().splitlines()]
    assert keys == sorted(keys) and len(keys) > 10_000
    assert related("zzzzqx") == frozenset() and "ascend" in related("climb")


def test_swap_benchmark_repoints_a_correct_marker_and_counts_cit303_naming_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("swap_benchmark", ROOT / "benchmarks" / "swap.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "swap_benchmark", bench)  # its dataclass looks itself up there
    spec.loader.exec_module(bench)
    text = report(
        f"Hull repairs to the old ferry will cost two million euros {marker(1)}. "
        f"The council approved a new cycling lane beside the harbour {marker(2)}.",
        [
            row(1, "Hull repairs to the old ferry will cost two million euros."),
            row(2, "The council approved a new cycling lane beside the harbour."),
        ],
    )
    (tmp_path / "r.md").write_text(text, encoding="utf-8")
    labels = [{"report": "r.md", "supported": True}, {"report": "r.md", "supported": False}]
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in labels), encoding="utf-8")
    reports = bench.load(tmp_path)
    (moved,) = bench.swaps(reports, 12)  # only the supported clause is re-pointed
    assert (moved.clause, moved.original, moved.moved_to) == (0, 1, 2)
    assert f"euros {marker(2)}. The council" in moved.text
    figures = bench.measure(reports, [moved], {**load_rules_by_code()["CIT303"].defaults, "scorer": "lexical"})
    assert figures["recall"] == 1.0 and figures["false_alarms"] == 0.0


def load_rules_by_code() -> dict[str, Any]:
    return {r.code: r for r in load_rules()}


def test_rule_pages_show_the_benchmark_figures() -> None:
    spec = importlib.util.spec_from_file_location("support_rules", ROOT / "benchmarks" / "support_rules.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = json.loads(bench.RESULTS.read_text(encoding="utf-8"))
    for code, page in bench.PAGES.items():
        assert bench.render(results, code) in page.read_text(encoding="utf-8"), (
            f"{page.name}: figures differ from {bench.RESULTS.name} (run python benchmarks/support_rules.py --write)"
        )


def test_shipped_thresholds_are_those_the_benchmark_chose() -> None:
    # The defaults are the medians of the thresholds chosen on training folds: after a change
    # to a scorer, `python benchmarks/support_rules.py --write` and these must agree.
    from citelint.checks.backing import misattributed_citation, unsupported_summary

    results = json.loads((ROOT / "benchmarks" / "support_results.json").read_text(encoding="utf-8"))["scorers"]
    assert unsupported_summary.defaults["min-passage-score"] == results["lexical"]["cit302"]["default"]
    # The semantic score is calibrated so that its chosen boundary lands on the same default.
    assert results["semantic"]["cit302"]["default"] == pytest.approx(unsupported_summary.defaults["min-passage-score"], abs=0.01)
    c303 = results["lexical"]["cit303"]
    assert misattributed_citation.defaults["misattributed-coverage"] == c303["default_coverage"]
    assert misattributed_citation.defaults["misattributed-margin"] == c303["default_margin"]


def test_semantic_scores_are_calibrated_to_the_lexical_boundary() -> None:
    from citelint.checks.backing import PASSAGE_DEFAULT
    from citelint.scorers import semantic

    assert semantic.LEXICAL_BOUNDARY == PASSAGE_DEFAULT
    assert semantic.calibrated(semantic.RAW_BOUNDARY) == pytest.approx(PASSAGE_DEFAULT)
    values = [semantic.calibrated(x / 20) for x in range(21)]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == pytest.approx(1.0)
