from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from citelint import cli, lint_paths, lint_text
from citelint.config import resolve
from citelint.engine import INTERNAL_ERROR, check_document
from citelint.finding import Hit, Severity
from citelint.parser import parse
from citelint.registry import Rule, RuleLoadError, load_rules, rule
from tests.reports import marker, report, row

TEXT = report(f"Prices rose {marker(1)} and fell {marker(2)}.", [row(1, "Prices rose and fell.")])


@rule("CIT990", "always-breaks", "error", "A rule with a bug.")
def broken(doc, options):  # type: ignore[no-untyped-def]
    raise KeyError("oops")


def test_a_rule_that_raises_becomes_one_internal_error_and_others_run() -> None:
    findings = check_document(parse(TEXT, "r.md"), [broken, *load_rules()])
    internal = [f for f in findings if f.code == INTERNAL_ERROR]
    assert len(internal) == 1
    assert "CIT990" in internal[0].message and "always-breaks" in internal[0].message
    assert internal[0].path == "r.md"
    assert any(f.code == "CIT101" for f in findings)


def test_internal_error_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import citelint.registry

    monkeypatch.setattr(citelint.registry, "load_rules", lambda: (broken,))
    path = tmp_path / "r.md"
    path.write_text(TEXT)
    assert cli.main([str(path)]) == 2
    assert "CIT000 rule CIT990" in capsys.readouterr().out


def test_rule_metadata_is_validated() -> None:
    with pytest.raises(ValueError):
        Rule("X1", "name", Severity.ERROR, "s", lambda d, o: [])
    with pytest.raises(ValueError):
        Rule("CIT123", "Not Kebab", Severity.ERROR, "s", lambda d, o: [])


def test_built_in_rules_come_from_entry_points() -> None:
    from tests.test_cli import ALL_CODES

    assert [r.code for r in load_rules()] == ALL_CODES


def _install_plugin(tmp_path: Path, body: str, entry: str) -> None:
    (tmp_path / "citelint_test_plugin.py").write_text(textwrap.dedent(body))
    info = tmp_path / "citelint_test_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: citelint-test-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[citelint.rules]\n{entry}\n")


def test_a_third_party_plugin_is_found_and_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_plugin(
        tmp_path,
        """
        from citelint.finding import Hit
        from citelint.registry import rule

        @rule("CIT950", "no-question-mark", "info", "The title should be a question.")
        def check(ctx):
            doc = ctx.doc
            if doc.title is not None and not doc.title.raw.endswith("?"):
                # A plugin reads another rule's configuration through the context.
                allow = ctx.options_of("merged-words")["allow"] if ctx.enabled("CIT401") else ()
                yield Hit(doc.title.span, f"the title is not a question (allowed merges: {len(allow)})")
        """,
        "CIT950 = citelint_test_plugin:check",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "CIT950" in [r.code for r in load_rules()]
    findings = lint_text(report("A [1].", [row(1, "a")], title="Not a question"))
    assert [f.message for f in findings if f.code == "CIT950"] == ["the title is not a question (allowed merges: 0)"]
    settings = resolve({"options": {"merged-words": {"allow": ["andmore", "ofthe"]}}}, None, load_rules())
    findings = lint_text(report("A [1].", [row(1, "a")], title="Not a question"), settings=settings)
    assert [f.message for f in findings if f.code == "CIT950"] == ["the title is not a question (allowed merges: 2)"]
    settings = resolve({"ignore": ["CIT401"]}, None, load_rules())
    findings = lint_text(report("A [1].", [row(1, "a")], title="Not a question"), settings=settings)
    assert [f.message for f in findings if f.code == "CIT950"] == ["the title is not a question (allowed merges: 0)"]


def test_a_broken_plugin_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _install_plugin(tmp_path, "x = 1\n", "CIT951 = citelint_test_plugin:missing")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RuleLoadError, match="CIT951"):
        load_rules()
    assert cli.main(["-"]) == 2
    assert "cannot load rule plugin 'CIT951'" in capsys.readouterr().err


def test_lint_paths_reports_unreadable_files_as_findings(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text(TEXT)
    findings = lint_paths([tmp_path / "r.md", tmp_path / "missing.md"])
    assert sorted(f.code for f in findings) == ["CIT101", "CIT999"]
    assert any(f.code == "CIT999" and "no such file" in f.message for f in findings)


def test_findings_are_immutable() -> None:
    f = lint_text(TEXT)[0]
    with pytest.raises(AttributeError):
        f.code = "X"  # type: ignore[misc]


def test_the_engines_findings_are_findings_as_their_class_makes_them() -> None:
    import dataclasses

    from citelint import engine
    from citelint.finding import Finding

    assert tuple(f.name for f in dataclasses.fields(Finding)) == engine.FINDING_FIELDS
    doc = parse("# T\n\n## Summary\n\nA claim [1].\n", "r.md")
    found = engine.check_document(doc, load_rules())
    assert found and all(f == Finding(*(getattr(f, n) for n in engine.FINDING_FIELDS)) for f in found)


@pytest.mark.parametrize("comments", [3, 300])  # (a few inserted in place; many sorted with the rest)
def test_the_after_rules_findings_stand_in_order_among_the_others(comments: int) -> None:
    # Unused suppression comments (CIT900, found after the other rules) between rows that
    # have findings of their own: every finding in the order of its place and code.
    from citelint.engine import _ORDER

    rows = [row(i, f"Claim {i}.") if i % 2 else row(i, "") for i in range(1, comments + 1)]
    text = report(f"Prices rose {marker(1)}.", rows)
    lines = text.split("\n")
    at = [i for i, line in enumerate(lines) if line.startswith("|") and "[" in line]
    for i in reversed(at):
        lines.insert(i, "<!-- citelint-disable-next-line CIT104 -->")
    found = check_document(parse("\n".join(lines), "r.md"), load_rules())
    codes = {f.code for f in found}
    assert "CIT900" in codes and len(codes) > 1
    assert found == sorted(found, key=_ORDER)
