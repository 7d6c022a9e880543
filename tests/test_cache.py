"""The user cache holds nothing that can change a finding: a damaged file is ignored and
rewritten, and a cache that cannot be written changes nothing but a few milliseconds."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citelint import cache, config, registry
from tests.conftest import ROOT, checkout_env, citelint_command

REPORT = ROOT / "examples" / "report.md"


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("CITELINT_CACHE_DIR", str(directory))
    return directory


def lint(cache_env: dict[str, str], report: Path = REPORT) -> subprocess.CompletedProcess[str]:
    """A run of this checkout's citelint on a report, as JSON lines."""
    return subprocess.run(
        citelint_command("-q", "--format", "jsonl", str(report)), env=checkout_env(**cache_env), capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> str:
    proc = lint({"CITELINT_CACHE_DIR": str(tmp_path_factory.mktemp("fresh-cache"))})
    assert proc.returncode == 1 and '"CIT401"' in proc.stdout and '"CIT101"' in proc.stdout, proc.stderr
    return proc.stdout


def test_round_trip(cache_dir: Path) -> None:
    cache.store("x.bin", (["a", 1], {"b": 2.5}))
    assert cache.load("x.bin") == (["a", 1], {"b": 2.5})
    assert (cache_dir / "x.bin").read_bytes().startswith(b"CITCACHE")


@pytest.mark.parametrize(
    "damage",
    [
        "garbage body",  # header intact, body replaced: the checksum catches it
        "flipped byte",
        "truncated",
        "extended",
        "other format version",
        "no header",  # a file of an older citelint: the bare marshalled value
        "empty",
    ],
)
def test_a_damaged_file_is_ignored(cache_dir: Path, damage: str) -> None:
    cache.store("x.bin", ["value", 42])
    good = (cache_dir / "x.bin").read_bytes()
    header = good[: cache._HEADER.size]
    body = good[cache._HEADER.size :]
    damaged = {
        "garbage body": header + bytes(len(body)),
        "flipped byte": good[:-1] + bytes([good[-1] ^ 1]),
        "truncated": good[:-3],
        "extended": good + b"\0",
        "other format version": cache.encode(body).replace(
            cache._MAGIC + (cache.FORMAT_VERSION).to_bytes(4, "little"), cache._MAGIC + (99).to_bytes(4, "little"), 1
        ),
        "no header": marshal.dumps(["value", 42]),
        "empty": b"",
    }[damage]
    assert damaged != good
    (cache_dir / "x.bin").write_bytes(damaged)
    assert cache.load("x.bin") is None
    cache.store("x.bin", ["value", 42])  # and the next store repairs it
    assert cache.load("x.bin") == ["value", 42]


def test_valid_checksum_but_foreign_content_is_not_used(cache_dir: Path) -> None:
    # Well-formed cache data of the wrong shape: the entry-point list is rebuilt.
    cache.store_bytes(registry._CACHE_NAME, b"\xff not marshal")
    assert cache.load(registry._CACHE_NAME) is None
    cache.store(registry._CACHE_NAME, ("some other key", [("CIT999", "nowhere:nothing")]))
    codes = [r.code for r in registry.load_rules()]
    assert "CIT401" in codes and "CIT999" not in codes


@pytest.mark.parametrize("damage", ["garbage body", "truncated"])
def test_damaged_cache_files_do_not_change_findings(tmp_path: Path, damage: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "report.md").write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    # A configuration, so that the validation cache is written and read too.
    (project / "citelint.toml").write_text('ignore = ["CIT106"]\nfail-on = "error"\n', encoding="utf-8")
    directory = tmp_path / "cache"
    env = {"CITELINT_CACHE_DIR": str(directory)}
    first = lint(env, project / "report.md")
    assert first.returncode == 1 and '"CIT401"' in first.stdout and '"CIT106"' not in first.stdout
    # results/ is the result cache (tested in test_scale.py).
    written = sorted(p.name for p in directory.iterdir() if p.name != "results")
    assert written == sorted([registry._CACHE_NAME, config._VALIDATED_CACHE])
    for name in written:
        path = directory / name
        data = path.read_bytes()
        path.write_bytes(data[: cache._HEADER.size] + b"\x00garbage" * 40 if damage == "garbage body" else data[: len(data) // 2])
        assert cache.decode(path.read_bytes()) is None
    again = lint(env, project / "report.md")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, "")
    # Both were rewritten, intact.
    for name in written:
        assert cache.decode((directory / name).read_bytes()) is not None, name


def test_findings_the_same_with_empty_warm_and_unwritable_cache(tmp_path: Path, expected: str) -> None:
    directory = tmp_path / "cache"
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    runs = {
        "empty": lint({"CITELINT_CACHE_DIR": str(directory)}),
        "warm": lint({"CITELINT_CACHE_DIR": str(directory)}),
        "cache dir is a file": lint({"CITELINT_CACHE_DIR": str(blocker)}),
        "cache dir under a file": lint({"CITELINT_CACHE_DIR": str(blocker / "cache")}),
    }
    for name, proc in runs.items():
        assert (proc.returncode, proc.stdout, proc.stderr) == (1, expected, ""), name
    # Nothing compiled into the cache: the lexicon ships in the package.
    # (results/ is the result cache.)
    assert sorted(p.name for p in directory.iterdir()) == sorted([registry._CACHE_NAME, "results"])
    assert blocker.read_text() == ""


def test_read_only_cache_directory(tmp_path: Path, expected: str) -> None:
    directory = tmp_path / "cache"
    directory.mkdir()
    directory.chmod(0o555)
    try:
        if os.access(directory, os.W_OK):
            pytest.skip("this user can write to a read-only directory (root)")
        proc = lint({"CITELINT_CACHE_DIR": str(directory)})
        assert (proc.returncode, proc.stdout, proc.stderr) == (1, expected, "")
        assert list(directory.iterdir()) == []
    finally:
        directory.chmod(0o755)


def test_no_home_no_cache_and_no_stray_directory(tmp_path: Path, expected: str) -> None:
    """HOME unset and no passwd entry (a CI user without a home): expanduser("~") stays
    "~", and the run must not create a folder named "~" where it runs."""
    code = (
        "import os.path, runpy, sys; os.path.expanduser = lambda p: p; "
        "sys.argv[0] = 'citelint'; runpy.run_module('citelint', run_name='__main__')"
    )
    env = checkout_env()
    for name in ("HOME", "XDG_CACHE_HOME", "CITELINT_CACHE_DIR"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-c", code, "-q", "--format", "jsonl", str(REPORT)], cwd=tmp_path, env=env,
        capture_output=True, text=True,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, expected, "")
    assert list(tmp_path.iterdir()) == []


def test_cache_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CITELINT_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.cache_dir() == str(tmp_path / "explicit")
    monkeypatch.delenv("CITELINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "citelint")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says: ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == str(tmp_path / "home" / ".cache" / "citelint")
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)
    assert cache.cache_dir() is None and cache.path("x") is None
    cache.store("x.bin", 1)  # nowhere to write: silently nothing
    assert cache.load("x.bin") is None


def test_files_of_older_versions_are_removed_on_the_next_write(cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / "lexicon-v2.bin").write_bytes(b"CITLEX02" + bytes(100))
    cache.store("x.bin", 1)
    assert sorted(p.name for p in cache_dir.iterdir()) == ["x.bin"]


def test_the_shipped_lost_letter_map_is_compiled_from_its_source() -> None:
    from citelint import lostletters

    with open(lostletters.COMPILED, "rb") as fh:
        assert fh.read() == lostletters.build(), "run python -m citelint.lostletters"
    assert lostletters.load().get("trkiye") is not None
