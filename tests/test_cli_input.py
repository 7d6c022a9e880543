"""Hostile invocations: each gives one clean line and exit 2 (or lints), never a traceback,
a hang, or a lost or half-written file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from citelint import cli
from citelint.reading import MAX_BYTES
from tests.conftest import shared
from tests.reports import marker, report, row

CLEAN = report(f"Prices rose {marker(1)}.", [row(1, "Prices rose.")])
BROKEN = report(f"Prices rose {marker(1)} and fell {marker(2)}.", [row(1, "Prices rose and fell.")])
FORMATS = ["text", "json", "jsonl", "sarif", "github", "junit", "gitlab"]


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    # FORCE_COLOR (set by some CI systems) would color the text these tests read.
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str, *words: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("citelint: error: "), err
    for word in words:
        assert word in lines[0], err


def subprocess_run(args: list[str | bytes], cwd: Path, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[bytes]:
    environ = {**os.environ, "NO_COLOR": "1", **env}
    return subprocess.run([sys.executable, "-m", "citelint", *args], cwd=cwd, capture_output=True, timeout=timeout, env=environ)


# -o never overwrites an input


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"# T\n\n## Summary\nbad \xff byte\n", id="invalid-utf8"),
        pytest.param(b"\x00\x01binary", id="binary"),
        pytest.param(CLEAN.encode(), id="readable"),
    ],
)
def test_output_file_never_overwrites_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    target = tmp_path / "r.md"
    target.write_bytes(content)
    code, out, err = run(capsys, "-o", str(target), str(target))
    assert code == 2 and target.read_bytes() == content
    one_error(err, "not overwriting")


def test_output_file_never_overwrites_an_oversized_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "big.md"
    with open(target, "wb") as fh:
        fh.truncate(MAX_BYTES + 10)
    code, _, err = run(capsys, "-o", str(target), str(target))
    assert code == 2 and os.path.getsize(target) == MAX_BYTES + 10
    one_error(err, "not overwriting")


@pytest.mark.parametrize("how", ["symlink", "hardlink", "found-in-directory", "relative-spelling"])
def test_output_file_guard_sees_through_other_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    original = tmp_path / "d" / "r.md"
    original.write_bytes(b"bad \xff\n")
    if how == "symlink":
        os.symlink(original, tmp_path / "link.md")
        args = ["-o", "link.md", "d/r.md"]
    elif how == "hardlink":
        os.link(original, tmp_path / "hard.md")
        args = ["-o", "hard.md", "d/r.md"]
    elif how == "found-in-directory":
        args = ["-o", "d/r.md", "d"]
    else:
        args = ["-o", "./d/../d/r.md", "d/r.md"]
    code, _, err = run(capsys, *args)
    assert code == 2 and original.read_bytes() == b"bad \xff\n"
    one_error(err, "not overwriting")


@pytest.mark.parametrize("how", [["--extend-exclude", "r.md", "."], ["*.md"], ["--exclude", "r.md", "--force-exclude", "r.md"]])
def test_output_file_guard_covers_excluded_and_glob_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.md").write_text(BROKEN, encoding="utf-8")
    code, _, err = run(capsys, "-o", "r.md", *how)
    assert code == 2 and (tmp_path / "r.md").read_text(encoding="utf-8") == BROKEN
    one_error(err, "not overwriting")


def test_output_file_is_not_the_stdin_filename(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    buffer = tmp_path / "buffer.md"
    buffer.write_text(CLEAN, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.encode())))
    code, _, err = run(capsys, "-", "--stdin-filename", str(buffer), "-o", str(buffer))
    assert code == 2 and buffer.read_text(encoding="utf-8") == CLEAN
    one_error(err, "not overwriting")


# -o that cannot be written


def _no_temp_files(folder: Path, expected: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == expected


def test_output_file_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.md"
    source.write_text(CLEAN, encoding="utf-8")
    (tmp_path / "out").mkdir()
    code, _, err = run(capsys, "-o", str(tmp_path / "out"), str(source))
    assert code == 2
    one_error(err, "is a directory")
    _no_temp_files(tmp_path / "out", set())


def test_output_file_in_a_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.md"
    source.write_text(CLEAN, encoding="utf-8")
    code, _, err = run(capsys, "-o", str(tmp_path / "missing" / "out.txt"), str(source))
    assert code == 2
    one_error(err, "no such directory")


def test_output_file_read_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.md"
    source.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("keep me\n")
    os.chmod(out, 0o444)
    code, _, err = run(capsys, "-o", str(out), str(source))
    assert code == 2 and out.read_text() == "keep me\n"
    one_error(err, "read-only")
    _no_temp_files(tmp_path, {"r.md", "out.txt"})


def test_output_file_device_full(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    source = tmp_path / "r.md"
    source.write_text(BROKEN, encoding="utf-8")
    code, _, err = run(capsys, "-o", "/dev/full", str(source))
    assert code == 2
    one_error(err, "/dev/full")


def test_output_file_replaces_whole_and_keeps_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.md"
    source.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("old content that is longer than the new one\n" * 100)
    os.chmod(out, 0o640)
    assert run(capsys, "-q", "-o", str(out), str(source))[0] == 1
    assert out.read_text().count("CIT101") == 1 and "old content" not in out.read_text()
    assert os.stat(out).st_mode & 0o777 == 0o640
    _no_temp_files(tmp_path, {"r.md", "out.txt"})


def test_output_file_writes_to_dev_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.md"
    source.write_text(BROKEN, encoding="utf-8")
    assert run(capsys, "-o", os.devnull, str(source))[0] == 1


# FIFOs and other files that are not regular files


def test_fifo_named_directly_is_skipped_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "r.md").write_text(BROKEN, encoding="utf-8")
    proc = subprocess_run(["pipe.md", "r.md"], tmp_path, timeout=30)
    assert proc.returncode == 2 and b"CIT101" in proc.stdout
    assert proc.stderr.decode() == "citelint: error: pipe.md: not a regular file (a FIFO); skipped\n"


def test_fifo_found_in_a_directory_is_skipped_not_opened(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "pipe.md")
    (tmp_path / "d" / "r.md").write_text(BROKEN, encoding="utf-8")
    proc = subprocess_run(["d"], tmp_path, timeout=30)
    assert b"CIT101" in proc.stdout and b"in 1 file" in proc.stdout
    assert proc.stderr.decode().splitlines() == [f"citelint: error: {os.path.join('d', 'pipe.md')}: not a regular file (a FIFO); skipped"]


def test_device_named_directly(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, os.devnull)
    assert code == 2
    one_error(err, "not a regular file (a character device)")


# names that are not valid UTF-8, or hold control characters


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("where", ["stdout", "output-file", "ascii-stdout"])
def test_undecodable_file_name(tmp_path: Path, fmt: str, where: str) -> None:
    name = b"r\xff.md"
    (tmp_path / os.fsdecode(name)).write_text(BROKEN, encoding="utf-8")
    (tmp_path / "bad\xff.md".encode("latin-1").decode("utf-8", "surrogateescape")).write_bytes(b"\xff")
    args: list[str | bytes] = ["--format", fmt, name, b"bad\xff.md"]
    env = {"PYTHONIOENCODING": "ascii"} if where == "ascii-stdout" else {}
    if where == "output-file":
        args += ["-o", "out"]
    proc = subprocess_run(args, tmp_path, **env)
    assert b"Traceback" not in proc.stderr and proc.returncode == 2, proc.stderr
    # The unreadable file: one line, its name escaped.
    assert proc.stderr.decode("ascii").splitlines() == ["citelint: error: bad\\xff.md: not valid UTF-8: byte 0xff at line 1, column 1"]
    data = (tmp_path / "out").read_bytes() if where == "output-file" else proc.stdout
    assert b"CIT101" in data
    if fmt in ("json", "sarif", "gitlab"):
        doc = json.loads(data.decode("utf-8"))
        if fmt == "sarif":
            _validate_sarif(doc)
            uris = {a["location"]["uri"] for a in doc["runs"][0]["artifacts"]}
            assert uris == {"r%FF.md"}
        elif fmt == "json":
            assert os.fsencode(doc["findings"][0]["path"]) == name
        else:
            assert os.fsencode(doc[0]["location"]["path"]) == name
    elif fmt == "jsonl":
        assert os.fsencode(json.loads(data.decode("utf-8"))["path"]) == name
    elif fmt == "junit":
        ET.fromstring(data)
    elif fmt == "text":
        # Written back with the bytes of the name, so that an editor opens that file.
        assert data.startswith(name + b":4:")
    elif fmt == "github":
        assert data.decode("utf-8").startswith("::error file=r\\xff.md,")


def test_newline_in_a_file_name_does_not_split_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "two\nlines.md"
    bad.write_bytes(b"\xff")
    good = tmp_path / "also\nbroken.md"
    good.write_text(BROKEN, encoding="utf-8")
    code, out, err = run(capsys, str(bad), str(good))
    assert code == 2
    one_error(err, "two\\nlines.md: not valid UTF-8")
    assert len(out.splitlines()) == 2 and "also\\nbroken.md:4:" in out


# files and folders that cannot be walked


def test_symlink_loop_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(tmp_path / "a.md", tmp_path / "b.md")
    os.symlink(tmp_path / "b.md", tmp_path / "a.md")
    code, _, err = run(capsys, str(tmp_path / "a.md"))
    assert code == 2
    one_error(err, "symbolic link loop")
    os.symlink(tmp_path / "nowhere.md", tmp_path / "dangling.md")
    code, _, err = run(capsys, str(tmp_path / "dangling.md"))
    one_error(err, "broken symbolic link")


def test_unreadable_directory_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "r.md").write_text(CLEAN, encoding="utf-8")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str) -> object:  # root lists every folder: refuse as the kernel would
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run(capsys, locked)
    assert code == 2
    one_error(err, "cannot list directory: Permission denied")
    assert "no Markdown" not in err


def test_unreadable_subdirectory_is_reported_and_the_rest_linted(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.md").write_text(BROKEN, encoding="utf-8")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str) -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run(capsys, str(tmp_path))
    assert code == 2 and "CIT101" in out
    one_error(err, "locked: cannot list directory")


# configuration files that are hostile


@pytest.mark.parametrize("nested", ["array", "table"])
def test_deeply_nested_config_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], nested: str) -> None:
    depth = 4000
    value = "[" * depth + "]" * depth if nested == "array" else "{a=" * depth + "1" + "}" * depth
    (tmp_path / "citelint.toml").write_text(f"select = {value}\n")
    (tmp_path / "r.md").write_text(CLEAN, encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path / "r.md"))
    assert code == 2
    one_error(err, "citelint.toml", "nested too deeply")


@pytest.mark.parametrize("depth", [150, 300])
def test_moderately_nested_option_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int) -> None:
    (tmp_path / "citelint.toml").write_text(f"extend-select = {'[' * depth + ']' * depth}\n")
    (tmp_path / "r.md").write_text(CLEAN, encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path / "r.md"))
    assert code == 2
    one_error(err, "citelint.toml", "extend-select")
    assert len(err) < 400


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("inf", "inf is not a number from 0 to 1"),
        ("-inf", "-inf is not a number from 0 to 1"),
        ("nan", "nan is not a number from 0 to 1"),
        ("1e308", "1e+308 is not a number from 0 to 1"),
        (str(2**64), f"{2**64} is not a number from 0 to 1"),
        (str(-(2**70)), f"{-(2**70)} is not a number from 0 to 1"),
    ],
)
def test_absurd_numbers_in_options_are_configuration_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, expected: str
) -> None:
    (tmp_path / "citelint.toml").write_text(f"[options.unsupported-summary]\nmin-coverage = {value}\n")
    (tmp_path / "r.md").write_text(CLEAN, encoding="utf-8")
    code, out, err = run(capsys, str(tmp_path / "r.md"))
    assert code == 2 and out == ""
    one_error(err, "options.unsupported-summary.min-coverage", expected)


@pytest.mark.parametrize("value", ["inf", "nan", str(2**64), str(2**63)])
def test_absurd_integers_in_options_are_configuration_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    (tmp_path / "citelint.toml").write_text(f"[options.unsupported-summary]\nmin-terms = {value}\n")
    (tmp_path / "r.md").write_text(CLEAN, encoding="utf-8")
    code, out, err = run(capsys, str(tmp_path / "r.md"))
    assert code == 2 and out == ""
    one_error(err, "options.unsupported-summary.min-terms", "is not an integer of at least 1")


def test_ordinary_numbers_in_options_still_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "citelint.toml").write_text("[options.unsupported-summary]\nmin-coverage = 0.3\nmin-terms = 4\n")
    (tmp_path / "r.md").write_text(CLEAN, encoding="utf-8")
    assert run(capsys, str(tmp_path / "r.md"))[0] == 0


# SARIF locations


def _validate_sarif(doc: object) -> None:
    import jsonschema

    try:
        schema = json.loads(shared("schemas", "sarif-schema-2.1.0.json").read_text())
    except pytest.skip.Exception:
        return
    jsonschema.validate(doc, schema)
    # SARIF1004: a uri given with a uriBaseId is relative.
    for run_ in doc["runs"]:  # type: ignore[index]
        for location in _artifact_locations(run_):
            if "uriBaseId" in location:
                assert "://" not in location["uri"] and not location["uri"].startswith(("/", "../")), location


def _artifact_locations(node: object) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("artifactLocation",) or (key == "location" and isinstance(value, dict) and "uri" in value):
                found.append(value)
            found.extend(_artifact_locations(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_artifact_locations(item))
    return found


def test_sarif_for_paths_outside_and_inside_the_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "out side.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "work" / "in.md").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    code, out, _ = run(capsys, "--isolated", "--format", "sarif", "../out side.md", "../work/in.md", str(tmp_path / "work" / "in.md"))
    doc = json.loads(out)
    _validate_sarif(doc)
    locations = {json.dumps(loc, sort_keys=True) for loc in _artifact_locations(doc)}
    assert json.dumps({"uri": (tmp_path / "out side.md").as_uri()}, sort_keys=True) in locations
    assert json.dumps({"uri": "in.md", "uriBaseId": "%SRCROOT%"}, sort_keys=True) in locations
    assert not any("../" in loc or "file://" in loc and "uriBaseId" in loc for loc in locations)
