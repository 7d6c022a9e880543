"""Fixing: the bounded loop, its safety checks, and what --fix / --diff do to files."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from citelint import cli, fix_text, lint_text
from citelint.context import RuleContext
from citelint.finding import Applicability, Edit, Fix, Hit
from citelint.fixer import WriteError, write_back
from citelint.registry import load_rules, rule
from tests.reports import marker, report, row

ROWS3 = [
    row(2, "The ferry stopped running in March."),
    row(4, "The city will lease a new boat."),
    row(7, "Nobody has named an operator."),
]
# Rows numbered 2, 4, 7, cited in the summary: CIT104 renumbers rows and markers together.
GAPPY = report(
    f"The ferry stopped running in March {marker(2)}. The city will lease a new boat {marker(4)}. "
    f"Nobody has named an operator {marker(7)}.",
    ROWS3,
)
UNUSED = "<!-- citelint-disable CIT401 -- nothing to silence -->\n"


def codes(text: str) -> list[str]:
    return sorted(f.code for f in lint_text(text))


def test_renumbering_fixes_rows_and_markers_together() -> None:
    assert "CIT104" in codes(GAPPY)
    out = fix_text(GAPPY)
    assert out.applied["CIT104"] == 1
    assert "CIT104" not in [f.code for f in out.findings]
    for n in (1, 2, 3):
        assert out.text.count(marker(n)) == 2  # the row and the summary marker
    assert [f.code for f in out.findings] == [f.code for f in lint_text(out.text)]


def test_zero_based_rows_cited_by_position_are_an_unsafe_fix() -> None:
    text = report(
        "The ferry stopped running (1). The city will lease a new boat (2).",
        [row(0, "The ferry stopped running."), row(1, "The city will lease a new boat.")],
    )
    assert fix_text(text).applied["CIT104"] == 0  # unsafe: not without asking
    out = fix_text(text, unsafe=True)
    assert out.applied["CIT104"] == 1
    assert "(1)" in out.text and "(2)" in out.text and marker(0) not in out.text
    assert "CIT101" not in [f.code for f in out.findings]


def test_an_unused_suppression_comment_is_removed_with_its_line() -> None:
    text = GAPPY.replace("## Claims", UNUSED + "## Claims")
    out = fix_text(text)
    assert "citelint-disable" not in out.text
    assert out.text == fix_text(GAPPY).text


def test_crlf_and_byte_order_mark_survive_and_other_bytes_do_not_change() -> None:
    text = "\ufeff" + GAPPY.replace("\n", "\r\n")
    out = fix_text(text)
    assert out.applied["CIT104"] == 1
    assert out.text.startswith("\ufeff") and "\n" not in out.text.replace("\r\n", "")
    assert out.text == "\ufeff" + fix_text(GAPPY).text.replace("\n", "\r\n")


def test_a_mixed_line_end_file_keeps_each_line_end() -> None:
    lines = GAPPY.split("\n")
    text = "\r\n".join(lines[:3]) + "\r\n" + "\n".join(lines[3:])
    out = fix_text(text)
    assert out.text.count("\r\n") == text.count("\r\n")


def _plugin_rules(*extra: object) -> tuple[object, ...]:
    return (*load_rules(), *extra)


def test_overlapping_fixes_wait_for_the_next_pass_and_are_not_lost() -> None:
    # Two rules each want to rewrite the title; their edits overlap, so one waits.
    @rule("CIT970", "title-upper", "info", "Test rule.", fix="safe")
    def upper(ctx: RuleContext) -> Iterator[Hit]:
        t = ctx.doc.title
        if t is not None and "Ferry" not in t.raw:
            yield Hit(t.span, "x", fix=Fix((Edit(t.start, t.start + 4, "Ferry"),), "x"))

    @rule("CIT971", "title-mark", "info", "Test rule.", fix="safe")
    def mark(ctx: RuleContext) -> Iterator[Hit]:
        t = ctx.doc.title
        if t is not None and not t.raw.endswith("!?"):
            yield Hit(t.span, "y", fix=Fix((Edit(t.start, t.end, t.raw + "!?"),), "y"))

    out = fix_text(report("A.", [], title="What happened?"), rules=_plugin_rules(upper, mark))  # type: ignore[arg-type]
    assert out.applied["CIT970"] == 1 and out.applied["CIT971"] == 1
    assert out.text.startswith("# Ferry happened?!?\n")


def test_a_fix_that_breaks_the_report_is_undone_and_reported() -> None:
    @rule("CIT972", "drop-summary", "info", "Test rule.", fix="safe")
    def drop(ctx: RuleContext) -> Iterator[Hit]:
        s = ctx.doc.summary
        if s is not None:
            start = ctx.doc.source.find("## Summary")
            yield Hit(s.section.heading, "z", fix=Fix((Edit(start, start + len("## Summary"), "Summary"),), "z"))

    out = fix_text(GAPPY, rules=_plugin_rules(drop))  # type: ignore[arg-type]
    assert "## Summary" in out.text
    assert out.applied["CIT104"] == 1 and out.applied["CIT972"] == 0
    assert any("CIT972 was not applied" in p for p in out.problems)


def test_a_fix_that_never_settles_stops_and_says_so() -> None:
    @rule("CIT973", "flip", "info", "Test rule.", fix="safe")
    def flip(ctx: RuleContext) -> Iterator[Hit]:
        t = ctx.doc.title
        if t is not None:
            word = "Yes" if t.raw.startswith("No") else "No"
            yield Hit(t.span, "w", fix=Fix((Edit(t.start, t.start + len(t.raw.split()[0]), word),), "w"))

    out = fix_text(report("A.", [], title="No way"), rules=_plugin_rules(flip))  # type: ignore[arg-type]
    assert any("did not settle after 100 passes" in p for p in out.problems)


def test_display_and_unsafe_fixes_are_not_applied_by_default() -> None:
    @rule("CIT974", "suggest", "info", "Test rule.", fix="unsafe")
    def suggest(ctx: RuleContext) -> Iterator[Hit]:
        t = ctx.doc.title
        if t is not None and t.raw != "Changed":
            yield Hit(t.span, "s", fix=Fix((Edit(t.start, t.end, "Changed"),), "s", Applicability.UNSAFE))

    text = report("A.", [], title="Original")
    assert fix_text(text, rules=_plugin_rules(suggest)).text == text  # type: ignore[arg-type]
    assert "# Changed" in fix_text(text, unsafe=True, rules=_plugin_rules(suggest)).text  # type: ignore[arg-type]


# The command line


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "a.md").write_text(GAPPY, encoding="utf-8")
    (tmp_path / "b.md").write_bytes(("\ufeff" + GAPPY.replace("\n", "\r\n")).encode())
    return tmp_path


def test_fix_writes_files_and_a_second_run_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mode = 0o640
    os.chmod(tree / "a.md", mode)
    cli.main(["--isolated", "--fix", "a.md", "b.md"])
    out = capsys.readouterr().out
    assert "Fixed 2 findings (CIT104 2) in 2 files." in out
    first = {p: (tree / p).read_bytes() for p in ("a.md", "b.md")}
    assert first["b.md"].startswith(b"\xef\xbb\xbf") and b"\r\n" in first["b.md"]
    assert stat.S_IMODE(os.stat(tree / "a.md").st_mode) == mode
    cli.main(["--isolated", "--fix", "a.md", "b.md"])
    assert "Fixed" not in capsys.readouterr().out
    assert {p: (tree / p).read_bytes() for p in ("a.md", "b.md")} == first


def test_fix_reports_what_is_left_and_marks_the_fixable(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["--isolated", "a.md"])
    out = capsys.readouterr().out
    assert "CIT104 [*] " in out and "[*] 1 fixable with --fix." in out


@pytest.mark.parametrize("tool", ["patch", "git"])
def test_diff_applies_and_gives_what_fix_gives(tree: Path, capsys: pytest.CaptureFixture[str], tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    before = {p: (tree / p).read_bytes() for p in ("a.md", "b.md")}
    assert cli.main(["--isolated", "--diff", "a.md", "b.md"]) == 1
    diff = capsys.readouterr().out
    assert {p: (tree / p).read_bytes() for p in ("a.md", "b.md")} == before  # --diff writes nothing
    cmd = ["patch", "-p0", "-s"] if tool == "patch" else ["git", "apply", "-p0", "--unsafe-paths", "-"]
    subprocess.run(cmd, input=diff.encode(), cwd=tree, check=True)
    patched = {p: (tree / p).read_bytes() for p in ("a.md", "b.md")}
    for p, data in before.items():
        (tree / p).write_bytes(data)
    cli.main(["--isolated", "--fix", "a.md", "b.md"])
    assert {p: (tree / p).read_bytes() for p in ("a.md", "b.md")} == patched


def test_diff_exits_0_when_nothing_would_change(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = report(f"The ferry stopped running in March {marker(1)}.", [row(1, "The ferry stopped running in March.")])
    (tree / "c.md").write_text(clean)
    assert cli.main(["--isolated", "--diff", "c.md"]) == 0
    assert capsys.readouterr().out == ""


def test_a_read_only_file_is_reported_and_not_touched(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(tree / "a.md", 0o444)
    assert cli.main(["--isolated", "--fix", "a.md", "b.md"]) == 2
    err = capsys.readouterr().err
    assert "a.md: file is read-only; not fixed" in err
    assert (tree / "a.md").read_text() == GAPPY
    assert (tree / "b.md").read_bytes() != ("\ufeff" + GAPPY.replace("\n", "\r\n")).encode()  # the other is fixed


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("new content")
    with pytest.raises(WriteError, match="changed on disk"):
        write_back(str(path), b"old content", "fixed")
    assert path.read_text() == "new content"


def test_a_symlinked_report_is_fixed_through_its_link(tree: Path) -> None:
    (tree / "link.md").symlink_to(tree / "a.md")
    cli.main(["--isolated", "--fix", "link.md"])
    assert (tree / "link.md").is_symlink()
    assert marker(7) not in (tree / "a.md").read_text()


def test_fix_on_standard_input_writes_the_fixed_text_to_standard_output() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "citelint", "--isolated", "--fix", "-"],
        input=GAPPY, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout == fix_text(GAPPY).text
    assert "Fixed 1 finding" in proc.stderr


def test_configuration_chooses_which_rules_fix(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "citelint.toml").write_text('unfixable = ["CIT104"]\n')
    cli.main(["--fix", "a.md"])
    assert (tree / "a.md").read_text() == GAPPY
    (tree / "citelint.toml").write_text('extend-unsafe-fixes = ["row-numbering"]\n')
    cli.main(["--fix", "a.md"])
    assert (tree / "a.md").read_text() == GAPPY
    cli.main(["--fix", "--unsafe-fixes", "a.md"])
    assert (tree / "a.md").read_text() != GAPPY


def test_a_dangling_marker_gets_a_suggestion_that_is_never_applied() -> None:
    text = report(f"The ferry stopped running in March {marker(9)}.", [row(1, "The ferry stopped running in March.")])
    (f,) = [f for f in lint_text(text) if f.code == "CIT101"]
    assert f.fix is not None and f.fix.applicability is Applicability.DISPLAY and f.fix.edits
    assert fix_text(text, unsafe=True).text == text


def test_repeated_rows_are_merged_in_one_unsafe_fix() -> None:
    rows = [
        row(1, "The ferry stopped running in March."),
        row(2, "The city will lease a new boat."),
        row(3, "The ferry stopped running in March."),
        row(4, "The ferry stopped running in March."),
        row(5, "Nobody has named an operator."),
    ]
    text = report(
        f"The ferry stopped {marker(3)}. A boat will be leased {marker(2)}. "
        f"It stopped in March {marker(4)}. No operator yet {marker(5)}.",
        rows,
    )
    dups = [f for f in lint_text(text) if f.code == "CIT202"]
    # One repair of the table, on the first repeat only: n repeats must not carry n copies
    # of a fix whose edits grow with the table (the output would grow as n squared).
    assert len(dups) == 2 and dups[0].fix is not None and dups[1].fix is None
    assert "rows [3], [4]" in dups[0].fix.description
    assert fix_text(text).text == text  # unsafe: not without asking
    out = fix_text(text, unsafe=True)
    assert out.text.count("The ferry stopped running in March.") == 2  # the claim and its context
    assert f"The ferry stopped {marker(1)}." in out.text and f"It stopped in March {marker(1)}." in out.text
    assert f"No operator yet {marker(3)}." in out.text and marker(4) not in out.text
    assert [f.code for f in out.findings if f.code.startswith("CIT1")] == []


def test_many_repeated_rows_carry_edits_linear_in_their_number() -> None:
    # Every output format writes each finding's fix: the edits over all findings must grow
    # as the table does (500 repeats once made a 107 MB JSON report).
    total = []
    for n in (100, 400):
        rows = [row(i, "The ferry stopped running in March.") for i in range(1, n + 1)]
        text = report(" ".join(f"The ferry stopped {marker(i)}." for i in range(1, n + 1)), rows)
        total.append(sum(len(f.fix.edits) for f in lint_text(text, "r.md") if f.fix is not None))
    assert total[0] > 100 and total[1] / total[0] < 6  # linear: about 4; n squared: 16


def test_a_fix_whose_result_another_rule_reports_is_not_applied() -> None:
    # The fix would add a summary sentence without a marker: CIT105 would report it.
    @rule("CIT975", "add-sentence", "info", "Test rule.", fix="safe")
    def add(ctx: RuleContext) -> Iterator[Hit]:
        s = ctx.doc.summary
        if s is not None and s.text is not None and "Nobody knows more today" not in s.text.raw:
            yield Hit(s.text.span, "a", fix=Fix((Edit(s.text.end, s.text.end, " Nobody knows more today."),), "a"))

    text = report(f"The ferry stopped running in March {marker(1)}.", [row(1, "The ferry stopped running in March.")])
    out = fix_text(text, rules=_plugin_rules(add))  # type: ignore[arg-type]
    assert out.text == text
    assert any("CIT975 was not applied: it introduced CIT105" in p for p in out.problems)
