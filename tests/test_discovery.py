"""Which files a run lints: glob patterns, .gitignore and .ignore, --exclude."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from citelint import cli
from citelint.gitignore import Ignorer, compile_line
from tests.reports import marker, report, row

BROKEN = report(f"Prices rose {marker(1)} and fell {marker(2)}.", [row(1, "Prices rose and fell.")])


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    # FORCE_COLOR (set by some CI systems) would color the text these tests read.
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def linted(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["-q", "--isolated", "--select", "CIT101", *args])
    out, err = capsys.readouterr()
    return code, sorted(line.split(":")[0].replace(os.sep, "/") for line in out.splitlines()), err


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# glob patterns


def test_quoted_glob_patterns_are_expanded(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work, {"reports/a.md": BROKEN, "reports/2024/b.md": BROKEN, "reports/notes.txt": BROKEN, "other/c.md": BROKEN})
    assert linted(capsys, "reports/**/*.md")[:2] == (1, ["reports/2024/b.md", "reports/a.md"])
    assert linted(capsys, "reports/*.md")[:2] == (1, ["reports/a.md"])
    assert linted(capsys, "*/a.m?")[:2] == (1, ["reports/a.md"])


def test_a_glob_that_matches_nothing_is_one_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work, {"reports/a.md": BROKEN})
    code, files, err = linted(capsys, "drafts/**/*.md", "reports/a.md")
    assert code == 2 and files == ["reports/a.md"]
    assert err == "citelint: error: drafts/**/*.md: no such file, and no Markdown reports match it as a glob pattern\n"


def test_a_file_whose_name_looks_like_a_glob_is_linted_as_named(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work, {"r[1].md": BROKEN, "r1.md": BROKEN})
    assert linted(capsys, "r[1].md")[:2] == (1, ["r[1].md"])


def test_glob_matches_obey_exclude_and_gitignore(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / ".git").mkdir()
    tree(work, {"r/a.md": BROKEN, "r/draft-b.md": BROKEN, "r/old/c.md": BROKEN, ".gitignore": "old/\n"})
    assert linted(capsys, "--extend-exclude", "draft-*", "r/**/*.md")[1] == ["r/a.md"]
    # A folder the pattern matches is walked, unless it is ignored.
    (work / "r" / "new").mkdir()
    (work / "r" / "new" / "d.md").write_text(BROKEN, encoding="utf-8")
    assert linted(capsys, "r/*")[1] == ["r/a.md", "r/draft-b.md", "r/new/d.md"]
    assert len(linted(capsys, "--no-respect-gitignore", "r/*")[1]) == 4


# .gitignore and .ignore


def test_walk_respects_gitignore_files(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / ".git").mkdir()
    tree(
        work,
        {
            ".gitignore": "build/\n*.draft.md\n/top.md\n!keep.draft.md\n",
            "top.md": BROKEN,
            "sub/top.md": BROKEN,
            "build/x.md": BROKEN,
            "a.draft.md": BROKEN,
            "keep.draft.md": BROKEN,
            "sub/.gitignore": "local.md\n!/again.draft.md\n",
            "sub/local.md": BROKEN,
            "sub/again.draft.md": BROKEN,
            "sub/deeper/local.md": BROKEN,
            "docs/.ignore": "*.md\n",
            "docs/r.md": BROKEN,
        },
    )
    code, files, _ = linted(capsys, ".")
    assert files == ["./keep.draft.md", "./sub/again.draft.md", "./sub/top.md"]
    # Files named are linted whatever the ignore files say.
    assert linted(capsys, "build/x.md", "a.draft.md")[1] == ["a.draft.md", "build/x.md"]
    # Off by flag, and by the configuration key.
    assert len(linted(capsys, "--no-respect-gitignore", ".")[1]) == 9
    (work / "citelint.toml").write_text("respect-gitignore = false\n")
    code = cli.main(["-q", "--select", "CIT101", "."])
    assert code == 1 and len(capsys.readouterr().out.splitlines()) == 9
    code = cli.main(["-q", "--select", "CIT101", "--respect-gitignore", "."])
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_gitignore_counts_only_in_a_git_repository(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work, {".gitignore": "a.md\n", ".ignore": "b.md\n", "a.md": BROKEN, "b.md": BROKEN})
    assert linted(capsys, ".")[1] == ["./a.md"]


def test_gitignore_above_the_folder_walked_applies(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / ".git").mkdir()
    tree(work, {".gitignore": "reports/old/\n*.tmp.md\n", "reports/old/a.md": BROKEN, "reports/b.tmp.md": BROKEN, "reports/c.md": BROKEN})
    assert linted(capsys, "reports")[1] == ["reports/c.md"]


PATTERNS = [
    "*.md", "/a.md", "a/", "doc/*.md", "doc/**/x.md", "**/deep", "a/**", "!a/b.md", "x?.md", "[ab].md",
    "[!a].md", "\\#hash.md", "trailing.md   ", "b/**/c/", "**", "*.MD", "d/*", "**/doc/", "a*/", "!*.md",
    "*a*", "x*a*d", "b/**/**/z.md", "**/sub/**", "d*/e*", "!**/z.md", "*.m*d", "[a-c]*/",
]
PATHS = [
    "a.md", "b.md", "c.md", "xa.md", "#hash.md", "trailing.md", "a/b.md", "a/c.md", "doc/y.md", "doc/sub/y.md",
    "doc/x.md", "doc/sub/x.md", "e/deep/z.md", "b/q/c/z.md", "b/c/z.md", "d/e.md", "d/e/f.md", "ab/z.md",
    "e/doc/z.md",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("seed", range(24))
def test_matcher_agrees_with_git(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    top = rng.sample(PATTERNS, 5)
    nested = rng.sample(PATTERNS, 3)
    (root / ".gitignore").write_text("\n".join(top) + "\n")
    (root / "doc").mkdir()
    (root / "doc" / ".gitignore").write_text("\n".join(nested) + "\n")
    for p in PATHS:
        (root / p).parent.mkdir(parents=True, exist_ok=True)
        if not (root / p).is_dir():
            (root / p).write_text("x")
    files = [p for p in PATHS if (root / p).is_file()]
    proc = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "--no-index", "--stdin"], input="\n".join(files) + "\n",
        capture_output=True, text=True,
    )
    by_git = set(proc.stdout.split("\n")) - {""}
    ignorer = Ignorer(str(root))
    ours = {p for p in files if ignorer.ignored(str(root / p), str(root))}
    assert ours == by_git, (top, nested)


def test_pattern_details() -> None:
    def hit(pattern: str, path: str) -> bool:
        compiled = compile_line(pattern)
        return compiled is not None and compiled.match(path)

    assert compile_line("# comment") is None and compile_line("") is None and compile_line("   ") is None
    assert hit("\\!important.md", "!important.md")
    assert hit("a/**/b", "a/b") and hit("a/**/b", "a/x/y/b") and not hit("a/**/b", "xa/b")
    assert hit("*.md", "deep/er/x.md") and not hit("/x.md", "deep/x.md")
    assert not hit("a?c", "a/c") and not hit("a*c", "a/c")


# --exclude and --extend-exclude


def test_exclude_on_the_command_line(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work, {"r/a.md": BROKEN, "r/drafts/b.md": BROKEN, "r/old/c.md": BROKEN})
    assert linted(capsys, "--exclude", "drafts", ".")[1] == ["./r/a.md", "./r/old/c.md"]
    assert linted(capsys, "--extend-exclude", "drafts,r/old", ".")[1] == ["./r/a.md"]
    # Named files are linted unless --force-exclude.
    assert linted(capsys, "--exclude", "drafts", "r/drafts/b.md")[1] == ["r/drafts/b.md"]
    assert linted(capsys, "--exclude", "drafts", "--force-exclude", "r/drafts/b.md")[:2] == (0, [])


def test_exclude_on_the_command_line_replaces_the_configuration(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(work, {"citelint.toml": 'select = ["CIT101"]\nexclude = ["drafts"]\n', "drafts/a.md": BROKEN, "old/b.md": BROKEN})
    cli.main(["-q", "."])
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == [os.path.join(".", "old", "b.md")]
    cli.main(["-q", "--exclude", "old", "."])
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == [os.path.join(".", "drafts", "a.md")]
    cli.main(["-q", "--extend-exclude", "old", "."])
    assert capsys.readouterr().out == ""


# cold start


def test_linting_one_file_loads_no_walking_machinery(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(BROKEN, encoding="utf-8")
    code = (
        "import sys; from citelint import cli; code = cli.main(['-q', sys.argv[1]]);"
        "print(sorted(m for m in ('citelint.gitignore', 'glob') if m in sys.modules))"
    )
    # The second run: the first may fill the cache of rule entry points, which reads the
    # installed packages' metadata (importlib.metadata imports glob), not our folder walk.
    # Coverage, measuring subprocesses when the suite runs with --cov, imports glob itself.
    env = {k: v for k, v in os.environ.items() if "COV" not in k}
    env.update(NO_COLOR="1", CITELINT_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env)
    assert proc.stdout.splitlines()[-1] == "[]"


def test_hostile_patterns_match_in_linear_time() -> None:
    import time

    # Several '**' over a deep path, several '*' over a long name: one backtracking regex
    # takes polynomial (or exponential) time on these; the matcher grows linearly.
    deep = compile_line("**/a/**/a/**/a/**/a/**/a/**/b")
    stars = compile_line("*a*a*a*a*a*a*a*a*a*a*a*b")
    assert deep is not None and stars is not None

    def cost(n: int) -> float:
        path, name = "/".join(["a"] * n) + "/c", "a" * n
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            assert not deep.match(path) and not stars.match(name)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = cost(250), cost(1000)
    assert large / small < 10, (small, large)  # 4x the input; quadratic would be 16x
