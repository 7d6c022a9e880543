from __future__ import annotations

import io
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from citelint import cli
from citelint.reading import MAX_BYTES
from tests.conftest import checkout_env, citelint_command
from tests.reports import marker, report, row

ALL_CODES = [
    "CIT001", "CIT002", "CIT003", "CIT004", "CIT101", "CIT102", "CIT103", "CIT104", "CIT105", "CIT106",
    "CIT201", "CIT202", "CIT203", "CIT301", "CIT302", "CIT303", "CIT401", "CIT402", "CIT403", "CIT404",
    "CIT501", "CIT502", "CIT503", "CIT504", "CIT505", "CIT506", "CIT507", "CIT508", "CIT509", "CIT510", "CIT900",
]
CLEAN = report(f"Prices rose {marker(1)}.", [row(1, "Prices rose.")])
# Cites row 1 and a row 2 that does not exist: exactly one finding (CIT101).
BROKEN = report(f"Prices rose {marker(1)} and fell {marker(2)}.", [row(1, "Prices rose and fell.")])
BROKEN_COL = len("Prices rose ") + len(marker(1)) + len(" and fell ") + 1


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    # FORCE_COLOR (set by some CI systems) would color the text these tests read.
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, write(tmp_path, "ok.md", CLEAN))
    assert code == 0 and out == "No findings in 1 file (this run).\n" and err == ""


def test_findings_exit_1_in_editor_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.md", BROKEN)
    code, out, _ = run(capsys, path)
    assert code == 1
    first, summary = out.splitlines()
    assert first == f"{path}:4:{BROKEN_COL}: CIT101 marker cites row [2], which the claims table lacks (rows are 1..1)"
    assert summary == "1 finding (1 error) in 1 file (this run)."


def test_quiet_drops_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "-q", write(tmp_path, "bad.md", BROKEN))
    assert len(out.splitlines()) == 1


def test_output_is_sorted_by_path_line_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "b.md", BROKEN)
    write(tmp_path, "a.md", report(f"X {marker(5)} andmore {marker(6)}.", [row(1, "x")]))
    _, out, _ = run(capsys, "-q", str(tmp_path))
    keys = []
    for line in out.splitlines():
        path, ln, col, _ = line.split(":", 3)
        keys.append((path, int(ln), int(col)))
    assert keys == sorted(keys) and len(keys) >= 4
    assert {k[0] for k in keys} == {str(tmp_path / "a.md"), str(tmp_path / "b.md")}


def test_directory_recursion_only_takes_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "deep/er/r.md", BROKEN)
    write(tmp_path, "notes.txt", BROKEN)
    write(tmp_path, ".hidden/h.md", BROKEN)
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 1 and "in 1 file (this run)." in out and "r.md" in out


def test_symlink_loop_is_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "r/a.md", CLEAN)
    os.symlink(tmp_path / "r", tmp_path / "r" / "loop")
    code, out, _ = run(capsys, str(tmp_path / "r"))
    assert code == 0 and "1 file" in out


def test_missing_path_is_one_line_and_others_still_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "bad.md", BROKEN)
    code, out, err = run(capsys, str(tmp_path / "nope.md"), good)
    assert code == 2
    assert err == f"citelint: error: {tmp_path / 'nope.md'}: no such file or directory\n"
    assert "CIT101" in out


def test_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "contains no Markdown reports" in err


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# T\n\n## Summary\nbad \xff byte\n", "not valid UTF-8: byte 0xff at line 4, column 5"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("# T\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_bad_bytes_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    code, _, err = run(capsys, write(tmp_path, "x.md", data))
    assert code == 2 and message in err and len(err.splitlines()) == 1


def test_huge_file_is_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.md"
    with open(path, "wb") as fh:
        fh.truncate(MAX_BYTES * 5)
    code, _, err = run(capsys, str(path))
    assert code == 2 and "too large" in err


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = write(tmp_path, "locked.md", CLEAN)
    os.chmod(path, 0)
    code, _, err = run(capsys, path)
    assert code == 2 and "permission denied" in err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.encode())))
    code, out, _ = run(capsys, "-")
    assert code == 1 and out.startswith(f"-:4:{BROKEN_COL}: CIT101")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--no-such-flag")
    assert code == 2 and "usage" in err


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ALL_CODES


def test_console_script_and_module_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", BROKEN)
    # This environment's console script (not whatever `citelint` is first on PATH), and
    # the module entry of this checkout.
    script = Path(sysconfig.get_path("scripts")) / "citelint"
    if not script.exists():
        pytest.skip(f"{script} is not installed (pip install -e .)")
    for cmd in ([str(script), path], citelint_command(path)):
        proc = subprocess.run(cmd, env=checkout_env(), capture_output=True, text=True)
        assert proc.returncode == 1 and "CIT101" in proc.stdout and proc.stderr == ""


def test_never_writes_to_the_linted_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.md", BROKEN)
    before = Path(path).read_bytes(), os.stat(path).st_mtime_ns
    run(capsys, path)
    assert (Path(path).read_bytes(), os.stat(path).st_mtime_ns) == before


def _many(tmp_path: Path, n: int = 20) -> Path:
    for i in range(n):
        write(tmp_path, f"r{i:02d}.md", BROKEN if i % 3 else CLEAN)
    return tmp_path


def test_worker_processes_give_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(_many(tmp_path))
    assert cli.main(["-j", "1", folder]) == 1
    alone = capsys.readouterr().out
    assert cli.main(["-j", "2", folder]) == 1
    assert capsys.readouterr().out == alone
    assert "in 20 files (this run)." in alone


def test_no_worker_pool_falls_back_to_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert cli.main(["-j", "2", "-q", str(_many(tmp_path))]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 13


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["-j", "0", "x.md"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


def test_statistics_one_line_per_rule_by_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = report(
        f"Prices rose {marker(1)} andmore fell {marker(2)} andmore {marker(3)}, andmore.", [row(1, "Prices rose and fell.")]
    )
    code, out, _ = run(capsys, "--isolated", "--select", "CIT101,CIT401", "--statistics", write(tmp_path, "r.md", text))
    assert code == 1
    assert out.splitlines() == [
        "3  CIT401  merged-words",
        "2  CIT101  dangling-marker",
        "5 findings (2 errors, 3 warnings) in 1 file (this run).",
    ]


def test_statistics_goes_with_text_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--statistics", "--format", "json", "x.md")
    assert code == 2 and "--statistics" in err


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    from citelint import __version__

    code, out, _ = run(capsys, flag)
    assert code == 0 and out == f"citelint {__version__}\n"


@pytest.mark.parametrize(
    ("flag", "env", "colored"),
    [
        ("auto", {}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_flag_and_environment(tmp_path: Path, flag: str, env: dict[str, str], colored: bool) -> None:
    path = write(tmp_path, "bad.md", BROKEN)
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-m", "citelint", "--color", flag, path], capture_output=True, text=True,
        env={**environ, "TERM": "xterm", **env},
    )
    assert proc.returncode == 1 and ("\033[" in proc.stdout) is colored


def test_summary_says_it_counts_this_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # pre-commit runs one citelint per batch of files: each summary speaks for its batch.
    first = write(tmp_path, "a.md", BROKEN)
    second = write(tmp_path, "b.md", CLEAN)
    assert run(capsys, first)[1].splitlines()[-1] == "1 finding (1 error) in 1 file (this run)."
    assert run(capsys, second)[1].splitlines()[-1] == "No findings in 1 file (this run)."


def test_a_file_named_twice_is_linted_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "d/bad.md", BROKEN)
    code, out, _ = run(capsys, "d", "d/bad.md", "./d/bad.md")
    assert code == 1 and out.count("CIT101") == 1 and out.endswith("in 1 file (this run).\n")


def test_closed_standard_output(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", BROKEN)
    proc = subprocess.run(f'{sys.executable} -m citelint "{path}" >&-', shell=True, capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
