"""The reader's bounds (citelint.limits): a file past one is read up to it, the rest is
reported once (CIT004), and no rule builds on what was not read."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citelint import fix_text, lint_text
from citelint.config import ConfigError, resolve, validate
from citelint.finding import Finding
from citelint.registry import load_rules
from tests.conftest import checkout_env
from tests.reports import marker, report, row

CLAIM = "The ferry stopped running in March after its boat failed an inspection."


def lint(text: str, **limits: int) -> list[Finding]:
    table: dict[str, Any] = {"limits": {k.replace("_", "-"): v for k, v in limits.items()}}
    validate(table, "citelint.toml", rules=load_rules())
    return lint_text(text, "report.md", settings=resolve(table, None, load_rules(), root="."))


def codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


def sentences(n: int, cited: dict[int, int]) -> str:
    """``n`` summary sentences; sentence i (from 1) cites row ``cited[i]`` when given."""
    return " ".join(
        f"The ferry stopped running in March {marker(cited[i])}." if i in cited else f"Sentence {i} has no marker at all."
        for i in range(1, n + 1)
    )


def test_summary_past_its_sentence_bound_is_reported_once_where_reading_stopped() -> None:
    text = report(sentences(6, {1: 1, 5: 2}), [row(1, CLAIM), row(2, CLAIM.replace("March", "May"))])
    found = lint(text, sentences=3)
    unread = [f for f in found if f.code == "CIT004"]
    assert len(unread) == 1
    line = text.splitlines()[unread[0].line - 1]
    assert line[unread[0].col - 1 :].startswith("Sentence 4 ")
    assert "more than 3 sentences" in unread[0].message
    # Row 2 is cited only past the bound: it is not "never cited"; the sentences read are
    # still checked (2 and 3 have no marker).
    assert "CIT102" not in codes(found)
    assert codes(found).count("CIT105") == 2
    # Read whole, the same report has neither the bound's finding nor a missing citation.
    whole = lint(text, sentences=6)
    assert "CIT004" not in codes(whole) and "CIT102" not in codes(whole)
    assert codes(whole).count("CIT105") == 4


def test_a_summary_with_no_marker_before_the_bound_is_not_called_uncited() -> None:
    text = report(sentences(5, {5: 1}), [row(1, CLAIM)])
    found = lint(text, sentences=2)
    assert not [f for f in found if "cites no claims" in f.message]
    assert "CIT004" in codes(found)


def test_summary_character_bound_cuts_a_run_of_markers() -> None:
    text = report("The ferry stopped running " + " ".join(marker(1) for _ in range(200)) + ".", [row(1, CLAIM)])
    found = lint(text, summary_chars=1000)
    (unread,) = [f for f in found if f.code == "CIT004"]
    assert "longer than 1,000 characters" in unread.message
    assert unread.line == 4 and unread.col <= 1000


def test_claims_table_past_its_row_bound() -> None:
    rows = [row(i, f"Claim number {i} is about the ferry.") for i in range(1, 7)]
    rows[1] = "|" + marker(2) + " A row with no link and no context.||"  # before the bound: checked
    text = report(" ".join(f"Claim {i} is about the ferry {marker(i)}." for i in range(1, 8)), rows)
    found = lint(text, rows=4)
    (unread,) = [f for f in found if f.code == "CIT004"]
    assert text.splitlines()[unread.line - 1].startswith("|" + marker(5))
    assert "more than 4 rows" in unread.message
    # [7] cites no row at all, but rows past the bound were not read: no CIT101 guess.
    assert "CIT101" not in codes(found)
    assert "CIT002" in codes(found)  # the malformed row before the bound
    assert "CIT101" in codes(lint(text, rows=10))


def test_file_past_its_line_bound_keeps_rules_of_absence_silent(tmp_path: Path) -> None:
    summary = "\n\n".join(f"Paragraph {i} says the ferry stopped {marker(1)}." for i in range(1, 30))
    text = report(summary, [row(1, CLAIM), row(2, CLAIM)]) + "<!-- citelint-disable CIT203 -->\n"
    found = lint(text, lines=20)
    (unread,) = [f for f in found if f.code == "CIT004"]
    assert unread.line == 21 and "more than 20 lines" in unread.message
    # The Claims section is past the bound: it is not "missing"; the suppression comment at
    # the end is not "silencing nothing".
    assert codes(found) == ["CIT004"]
    assert "CIT102" in codes(lint(text, lines=1000))  # read whole: row 2 is never cited


def test_fix_of_a_partly_read_file_keeps_the_unread_part_and_withholds_global_fixes() -> None:
    # Rows numbered from 2: the renumbering fix rewrites every marker, so it is withheld when
    # some markers were not read; a local fix (a merged word) is still applied.
    rows = [row(i + 1, f"Claim {i} says the ferry stopped in March.") for i in range(1, 8)]
    rows[4] = row(6, "Claim 5 says the inspectionfailed in March.")
    summary = " ".join(f"Claim {i} says so {marker(i + 1)}." for i in range(1, 8))
    text = report(summary, rows)
    settings = resolve({"limits": {"sentences": 3}}, None, load_rules(), root=".")
    partial = lint_text(text, "report.md", settings=settings)
    assert [f for f in partial if f.code == "CIT104" and f.fix is None]
    assert [f for f in lint_text(text, "report.md") if f.code == "CIT104" and f.fix is not None]
    out = fix_text(text, "report.md", settings=settings, unsafe=True)
    assert out.text == text.replace("inspectionfailed", "inspection failed")  # nothing renumbered


def test_endnotes_file_past_its_line_bound_has_no_source_list_guesses() -> None:
    body = "\n\n".join(f"Paragraph {i} says the ferry stopped [1]." for i in range(1, 30))
    text = f"# Ferry\n\n{body}\n\n## Sources\n\n[1] Ferry news: https://example.org/a\n[2] Other: https://example.org/b\n"
    assert "CIT502" in codes(lint_text(text, "report.md"))  # [2] is never cited
    found = lint(text, lines=20)
    assert "CIT004" in codes(found) and not {"CIT501", "CIT502"} & set(codes(found))


@pytest.mark.parametrize(
    "limits, expected",
    [
        ("rows = 0", "limits.rows"),
        ('lines = "many"', "limits.lines"),
        ("sentences = 1e9", "limits.sentences"),
        ("pages = 3", "limits"),
    ],
)
def test_limits_configuration_errors_are_one_line(tmp_path: Path, limits: str, expected: str) -> None:
    (tmp_path / "citelint.toml").write_text(f"[limits]\n{limits}\n", encoding="utf-8")
    (tmp_path / "r.md").write_text(report(f"The ferry stopped {marker(1)}.", [row(1, "The ferry stopped.")]), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "citelint", "r.md"], cwd=tmp_path, capture_output=True, text=True, env=checkout_env()
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and expected in proc.stderr


def test_raising_a_bound_reads_the_whole_file(tmp_path: Path) -> None:
    text = report(sentences(12, {i: 1 for i in range(1, 13)}), [row(1, CLAIM)])
    (tmp_path / "r.md").write_text(text, encoding="utf-8")
    env = checkout_env()
    for config, unread in (("[limits]\nsentences = 5\n", True), ("[limits]\nsentences = 50\n", False)):
        (tmp_path / "citelint.toml").write_text(config, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "citelint", "--no-cache", "r.md"], cwd=tmp_path, capture_output=True, text=True, env=env
        )
        assert ("CIT004" in proc.stdout) is unread, proc.stdout + proc.stderr


def test_config_error_type_is_raised_for_a_bad_bound() -> None:
    with pytest.raises(ConfigError):
        validate({"limits": {"rows": -1}}, "citelint.toml", rules=load_rules())


def test_fix_writes_back_a_file_cut_by_the_line_bound_whole(tmp_path: Path) -> None:
    head = report(f"The ferry stopped because the inspectionfailed {marker(1)}.", [row(1, CLAIM)])
    tail = "".join(f"Note {i}: the ferryboat log\u00a0line.\r\n" for i in range(40))
    path = tmp_path / "r.md"
    path.write_bytes((head + "\n## Notes\n\n").encode() + tail.encode())
    (tmp_path / "citelint.toml").write_text("[limits]\nlines = 15\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "citelint", "--no-cache", "--fix", "--unsafe-fixes", "r.md"],
        cwd=tmp_path, capture_output=True, text=True, env=checkout_env(),
    )
    assert "Traceback" not in proc.stderr and "CIT004" in proc.stdout
    data = path.read_bytes()
    assert b"inspection failed" in data and data.endswith(tail.encode())


def test_the_sentence_the_character_bound_cuts_is_not_judged() -> None:
    # The marker of the long second sentence lies past the bound: the sentence is not read,
    # so it is not "a sentence without a marker".
    long = "The city will lease " + "a very long list of boats, " * 60 + f"for the summer {marker('1, 2')}."
    text = report(f"The ferry stopped running in March {marker(1)}. {long}", [row(1, CLAIM), row(2, CLAIM.replace("March", "May"))])
    found = lint(text, summary_chars=800)
    assert codes(found) == ["CIT004"]
    line = text.splitlines()[found[0].line - 1]
    assert line[found[0].col - 1 :].startswith("The city will lease")


def test_the_sentence_the_line_bound_cuts_is_not_judged() -> None:
    # A summary paragraph over many lines, cut by the line bound inside its third sentence.
    lines = [f"The ferry stopped running in March {marker(1)}.", "The city will lease a boat", "for the", "summer"]
    text = report("\n".join(lines * 3) + f" season {marker(1)}.", [row(1, CLAIM)])
    found = lint(text, lines=7)  # line 7 is the third line of the paragraph
    assert codes(found) == ["CIT004"] and found[0].line == 8
    # Read whole, the sentence runs on to the marker on line 8: it is cited, and the cut
    # must not make it "a sentence without a marker".
    whole = codes(lint(text, lines=100))
    assert "CIT105" not in whole and "CIT004" not in whole


def test_other_formats_read_their_text_up_to_the_prose_bound() -> None:
    body = "\n\n".join(f"Paragraph {i} says the ferry stopped [1]." for i in range(1, 30))
    text = f"# Ferry\n\n{body}\n\n## Sources\n\n[1] Ferry news: https://example.org/a\n[2] Other: https://example.org/b\n"
    assert "CIT502" in codes(lint(text, prose_chars=100_000))  # read whole: [2] is never cited
    found = lint(text, prose_chars=300)
    (unread,) = [f for f in found if f.code == "CIT004"]
    assert "longer than 300 characters" in unread.message
    assert not {"CIT501", "CIT502"} & set(codes(found))
    # The paragraph that crosses the bound is not read: reading stops where it starts.
    assert text.splitlines()[unread.line - 1].startswith("Paragraph ")


def test_a_report_cut_by_the_prose_bound_is_still_a_report(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# Ferry\n\n" + "The ferry [x](https://a.example) stopped. " * 20_000 + "[1]\n\n## Sources\n\n[1] A: https://e.org/a\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "citelint", "--isolated", "--no-cache", str(path)],
        capture_output=True, text=True, env=checkout_env(),
    )
    assert "CIT004" in proc.stdout and "not reports" not in proc.stdout + proc.stderr


def test_nothing_past_the_line_bound_is_reported_or_fixed() -> None:
    head = report(f"The ferry stopped {marker(1)}.", [row(1, CLAIM)])
    tail = "\n<!-- citelint-disable CIT999 -->\nThe tram cut the commute [1] \ue200cite\ue202turn0search3\ue201.\n"
    text = head + tail
    settings = resolve({"limits": {"lines": len(head.splitlines())}}, None, load_rules(), root=".")
    found = lint_text(text, "report.md", settings=settings)
    assert codes(found) == ["CIT004"]
    out = fix_text(text, "report.md", settings=settings, unsafe=True)
    assert out.text == text


def test_fixes_never_touch_what_was_not_read_in_mutated_reports() -> None:
    """Seeded and bounded, as the fuzz tests are: mutated reports under random bounds, fixed
    with every fix; the lines past the line bound come back byte for byte."""
    import random
    import time

    from tests.test_fuzz import mutate, seeds

    rules = load_rules()
    bounds = [resolve({"limits": {"lines": n, "rows": r, "sentences": s}}, None, rules, root=".")
              for n in (5, 12) for r in (1, 3) for s in (1, 3)]
    deadline = time.monotonic() + 5.0
    ran = 0
    for seed in range(2_000):
        if time.monotonic() > deadline:
            break
        rng = random.Random(seed)
        text = mutate(rng.choice(seeds()), rng).replace("\ufeff", "")
        settings = rng.choice(bounds)
        out = fix_text(text, "fuzz.md", settings=settings, unsafe=True)
        lines = text.replace("\r\n", "\n").split("\n")
        if len(lines) > settings.limits.lines + 2:
            tail = "\n".join(lines[settings.limits.lines + 1 :])
            assert out.text.replace("\r\n", "\n").endswith(tail), f"seed {seed}"
        ran += 1
    assert ran >= 50


@pytest.mark.parametrize(
    ("head", "reported"),
    [
        ("Notes.\n\n" * 30, True),  # a long preamble, then the report: CIT004 says so
        ("- a changelog line\n" * 60, False),  # a long Markdown file with no report in it
    ],
)
def test_a_report_that_starts_past_the_line_bound_is_not_skipped(tmp_path: Path, head: str, reported: bool) -> None:
    body = report(f"The ferry stopped {marker(1)}.", [row(1, CLAIM)]) if reported else "The end.\n"
    (tmp_path / "citelint.toml").write_text("[limits]\nlines = 20\n", encoding="utf-8")
    (tmp_path / "r.md").write_text(head + body, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "citelint", "--no-cache", "r.md"],
        capture_output=True, text=True, env=checkout_env(), cwd=tmp_path,
    )
    assert ("r.md:21:1: CIT004" in proc.stdout) is reported, proc.stdout + proc.stderr
    assert ("1 file was not a report" in proc.stdout) is not reported
