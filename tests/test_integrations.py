"""The integrations run for real: the README's snippets, Vim, Emacs, VS Code's problem
matcher, CI commands and pre-commit."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import checkout_env, citelint_command
from tests.test_catalogue import CLEAN
from tests.test_formats import REPORT

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A file name that needs quoting, with a non-ASCII letter: the editors must still find it.
NAME = "broken ü.md"


def snippet(name: str) -> str:
    m = re.search(rf"<!-- snippet: {re.escape(name)} -->\n```\w*\n(.*?)^```$", README, re.S | re.M)
    assert m, f"README has no snippet '{name}'"
    return m.group(1)


def citelint_lines(cwd: Path, *args: str) -> list[tuple[str, int, int]]:
    """(file, line, col) of each finding, from citelint's own text output."""
    proc = subprocess.run(citelint_command("-q", *args), cwd=cwd, env=checkout_env(), capture_output=True, text=True)
    out = []
    for line in proc.stdout.splitlines():
        path, ln, col, _ = line.split(":", 3)
        out.append((os.path.basename(path), int(ln), int(col)))
    return out


def expected_jumps(cwd: Path) -> list[str]:
    """'file|line|the 7 characters at the finding's column', as an editor should land."""
    lines = (cwd / NAME).read_text(encoding="utf-8").split("\n")
    return [f"{f}|{ln}|{lines[ln - 1][col - 1 : col + 6]}" for f, ln, col in citelint_lines(cwd, NAME)]


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    (tmp_path / NAME).write_text(REPORT, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_vim_quickfix_lands_on_each_finding(reports: Path) -> None:
    vim = shutil.which("vim")
    if vim is None:
        pytest.skip("vim is not installed (.ci/run installs it)")
    (reports / "ftplugin.vim").write_text(snippet("vim"), encoding="utf-8")
    (reports / "check.vim").write_text(
        "\n".join(
            [
                "source ftplugin.vim",
                "silent make",
                "let out = []",
                "for i in range(1, len(getqflist()))",
                "  execute 'silent cc ' . i",
                "  call add(out, bufname('%') . '|' . line('.') . '|' . strcharpart(getline('.'), charcol('.') - 1, 7))",
                "endfor",
                "call writefile(out, 'quickfix.txt')",
                "qa!",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    subprocess.run([vim, "-Nu", "NONE", "-i", "NONE", "-es", "-S", "check.vim", NAME], cwd=reports, timeout=60, capture_output=True)
    got = (reports / "quickfix.txt").read_text(encoding="utf-8").splitlines()
    assert got == expected_jumps(reports)
    assert len(got) >= 5 and any("andmore" in g for g in got)


def test_emacs_next_error_lands_on_each_finding(reports: Path) -> None:
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("emacs is not installed (.ci/run installs emacs-nox)")
    (reports / "citelint.el").write_text(snippet("emacs"), encoding="utf-8")
    (reports / "check.el").write_text(
        """(setq compilation-ask-about-save nil)
(load-file "citelint.el")
(find-file (car command-line-args-left))
(citelint-buffer)
(let ((buf (get-buffer "*compilation*")))
  (while (get-buffer-process buf) (accept-process-output nil 0.1)))
(let (out)
  (condition-case nil
      (while t
        (next-error)
        (push (format "%s|%d|%s" (file-name-nondirectory (buffer-file-name)) (line-number-at-pos)
                      (buffer-substring-no-properties (point) (min (point-max) (+ (point) 7))))
              out))
    (error nil))
  (with-temp-file "next-error.txt" (insert (mapconcat #'identity (nreverse out) "\\n") "\\n")))
""",
        encoding="utf-8",
    )
    subprocess.run([emacs, "-Q", "--batch", "-l", "check.el", NAME], cwd=reports, timeout=120, capture_output=True)
    got = (reports / "next-error.txt").read_text(encoding="utf-8").splitlines()
    assert got == expected_jumps(reports)


def test_vscode_problem_matcher_reads_the_output(reports: Path) -> None:
    task = json.loads(snippet("vscode"))["tasks"][0]
    matcher = task["problemMatcher"]["pattern"]
    pattern = re.compile(matcher["regexp"])  # this JavaScript pattern is valid Python too
    command = task["command"].replace("${file}", shlex.quote(str(reports / NAME)))
    proc = subprocess.run(command, shell=True, cwd=reports, capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    assert lines and proc.returncode == 1
    for line in lines:
        m = pattern.match(line)
        assert m, line
        assert m.group(matcher["file"]) == str(reports / NAME)
        assert m.group(matcher["code"]).startswith("CIT")
        assert int(m.group(matcher["line"])) >= 1 and int(m.group(matcher["column"])) >= 1
        assert m.group(matcher["message"]) and not m.group(matcher["message"]).startswith("CIT")


def _commands(yaml_text: str, key: str) -> list[str]:
    """The shell commands of a CI snippet ('- run: ...' or '- ...' under script:)."""
    return [m.group(1) for m in re.finditer(rf"^\s*-\s*{key}(citelint .*)$", yaml_text, re.M)]


def test_github_actions_command(reports: Path) -> None:
    (command,) = _commands(snippet("github-actions"), "run: ")
    (reports / "reports").mkdir()
    shutil.copy(reports / NAME, reports / "reports" / NAME)
    proc = subprocess.run(command, shell=True, cwd=reports, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.startswith("::") and "file=reports/broken ü.md,line=" in proc.stdout


def test_gitlab_command_writes_a_junit_report(reports: Path) -> None:
    (command,) = _commands(snippet("gitlab-ci"), "")
    (reports / "reports").mkdir()
    shutil.copy(reports / NAME, reports / "reports" / NAME)
    shutil.copy(reports / "clean.md", reports / "reports" / "clean.md")
    proc = subprocess.run(command, shell=True, cwd=reports, capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    cases = ET.parse(reports / "citelint.xml").getroot().findall("./testsuite/testcase")
    assert sorted((c.get("name"), bool(c.findall("failure"))) for c in cases) == [
        ("reports/broken ü.md", True),
        ("reports/clean.md", False),
    ]


def test_python_api_snippet() -> None:
    # Run as a user runs it: a script of its own, with this checkout's citelint.
    code = snippet("python-api") + "\nprint(len(findings))\n"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=checkout_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "examples/report.md 4 " in proc.stdout
    assert int(proc.stdout.splitlines()[-1]) > 0


@pytest.mark.slow
def test_pre_commit_hook_end_to_end(tmp_path: Path) -> None:
    """The real pre-commit, with `try-repo` against this checkout: the hook fails on a
    broken report with our findings and passes on a clean one, and lints only the files
    pre-commit names."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    hook = snippet("pre-commit")
    assert "id: citelint" in hook
    repo = tmp_path / "reports-repo"
    repo.mkdir()
    (repo / "broken.md").write_text(REPORT, encoding="utf-8")
    (repo / "clean.md").write_text(CLEAN, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "citelint", "--color", "never", "--files", *files],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )

    broken = try_repo("broken.md", "clean.md")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "broken.md:4:" in broken.stdout and "CIT101" in broken.stdout and "CIT401" in broken.stdout
    assert "clean.md:" not in broken.stdout
    clean = try_repo("clean.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
