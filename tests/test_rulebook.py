"""The rule book cannot drift from the code: every page's examples are run here."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from citelint import cli, fix_text, lint_text
from citelint.config import Settings, resolve, validate
from citelint.docs import page, readme_table, sync_page
from citelint.registry import load_rules
from citelint.formats import text_line

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "rules").glob("*.md"))
RULES = {r.code: r for r in load_rules()}
_FENCE_RE = re.compile(r"^```(?P<lang>\w*)\n(?P<text>.*?)^```$", re.S | re.M)


def sections(text: str) -> dict[str, str]:
    """The page's '## ' sections (a '## ' line inside a fenced example is not a heading)."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    in_fence = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            current = found.setdefault(line[3:].strip(), [])
        else:
            current.append(line)
    return {k: "".join(v) for k, v in found.items()}


def fences(body: str) -> list[tuple[str, str]]:
    return [(m.group("lang"), m.group("text")) for m in _FENCE_RE.finditer(body)]


def configured(found: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], Settings | None]:
    """An example may open with the configuration it runs under (a ``toml`` fence, as in
    ``citelint.toml``); the other fences, and the settings (None: the defaults)."""
    if not found or found[0][0] != "toml":
        return found, None
    table = tomllib.loads(found[0][1])
    validate(table, "citelint.toml", rules=load_rules())  # a configuration a user can copy
    return found[1:], resolve(table, None, load_rules(), root=".")


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    assert sorted(p.stem for p in PAGES) == sorted(RULES)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_examples_run(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rule = RULES[path.stem]
    assert text.startswith(f"# {rule.code} {rule.name}\n")
    parts = sections(text)
    for needed in ("What it checks", "Why it matters", "Example", "Fixed", "Fix", "Options"):
        assert needed in parts, f"{path.name} lacks '## {needed}'"
    example, example_settings = configured(fences(parts["Example"]))
    (bad_lang, bad), (out_lang, expected) = example
    assert (bad_lang, out_lang) == ("markdown", "text")
    found = [text_line(f) for f in lint_text(bad, "report.md", settings=example_settings) if f.code == rule.code]
    assert found == expected.splitlines(), f"{path.name}: the example's findings changed"
    ((fixed_lang, fixed),), fixed_settings = configured(fences(parts["Fixed"]))
    assert fixed_lang == "markdown"
    clean = [text_line(f) for f in lint_text(fixed, "report.md", settings=fixed_settings)]
    assert clean == [], f"{path.name}: the fixed version is not clean"
    assert text == sync_page(text, rule), f"{path.name}: header or options differ from the rule's declaration (run python -m citelint.docs)"
    fixed_by_fix = fences(parts["Fix"])
    if fixed_by_fix:
        # The page shows the example as the rule's own fix leaves it (this rule's fixes only).
        assert rule.fix in ("safe", "unsafe", "sometimes"), f"{path.name}: a rule without fixes shows a fixed example"
        ((lang, shown),) = fixed_by_fix
        settings = resolve({"fixable": [rule.code]}, None, load_rules(), root=".")
        out = fix_text(bad, "report.md", settings=settings, unsafe=True)
        assert lang == "markdown" and out.text == shown, f"{path.name}: the Fix section is not what the fix gives"
        assert out.applied[rule.code] >= 1 and rule.code not in [f.code for f in out.findings]
    elif rule.fix in ("none", "display"):
        assert not [f for f in lint_text(bad, "report.md") if f.code == rule.code and f.fix and f.fix.edits and str(f.fix.applicability) != "display"]


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table(tuple(RULES.values())) in readme, "README rule table is stale (run python -m citelint.docs)"


def test_rule_command_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rule", "CIT101"]) == 0
    by_code = capsys.readouterr().out
    assert cli.main(["rule", "dangling-marker"]) == 0
    assert capsys.readouterr().out == by_code == (ROOT / "rules" / "CIT101.md").read_text()


def test_rule_command_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rule", "merged-word"]) == 2
    assert "did you mean 'merged-words'?" in capsys.readouterr().err


@pytest.mark.slow
def test_rule_pages_ship_in_the_wheel(tmp_path: Path, wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n for n in names if n.startswith("citelint/rulebook/")) == sorted(
        f"citelint/rulebook/{p.name}" for p in PAGES
    )
    assert not [n for n in names if n.startswith("rules/")], "a top-level 'rules' package was installed"
    # Install the wheel into a folder of its own and read a page through that installation
    # alone: no site-packages (-S), so neither this checkout nor an editable install is seen.
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import citelint.docs as d; "
        "print(d.__file__); print(d.page('CIT401')[:30])"
    )
    run = subprocess.run([sys.executable, "-S", "-c", code, str(target)], cwd=tmp_path, capture_output=True, text=True)
    where, first = run.stdout.splitlines()[:2]
    assert where.startswith(str(target)) and first == "# CIT401 merged-words", run.stderr


def test_page_lookup_of_an_unknown_code() -> None:
    assert page("CIT998") is None
