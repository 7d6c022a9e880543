"""Corpus-scale runs: reports inside datasets, streamed output, the result cache, progress,
shards and pickling for distributed engines."""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from citelint import api, cli, resultcache, streaming
from citelint.config import Resolver
from citelint.finding import Finding
from citelint.registry import load_rules
from tests.reports import marker, report, row

PACKAGE = Path(__file__).resolve().parent.parent / "citelint"

# Our own reports: a dangling marker (CIT101) and a glued word (CIT401), or none.
BROKEN = report(f"Crews andmore volunteers rebuilt the bridge {marker(1)}, and trains ran {marker(4)}.", [
    row(1, "Crews and more volunteers rebuilt the bridge.", "Crews and more volunteers rebuilt the bridge. It took weeks."),
])
CLEAN = report(f"Crews rebuilt the bridge {marker(1)}.", [
    row(1, "Crews rebuilt the bridge.", "Crews rebuilt the bridge. It took weeks."),
])


def codes(text: str) -> list[str]:
    return sorted(line.split(" ")[1] for line in text.splitlines() if ": CIT" in line)


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["--isolated", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def write_jsonl(path: Path, rows: list[object]) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")


# datasets


def test_jsonl_records_are_linted_and_named(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(work / "data.jsonl", [{"id": "r1", "report": BROKEN}, {"id": "r2", "report": CLEAN}, {"id": 7, "report": BROKEN}])
    code, out, err = run(capsys, "--no-cache", "data.jsonl", "--text-field", "report", "--id-field", "id")
    lines = out.splitlines()
    assert code == 1 and err == ""
    assert [line.split(":")[0] for line in lines[:-1]] == ["data.jsonl#r1"] * 2 + ["data.jsonl#7"] * 2
    assert lines[0].startswith("data.jsonl#r1:4:") and "CIT" in lines[0]
    assert lines[-1] == "4 findings (2 errors, 2 warnings) in 3 reports (this run)."


def test_records_without_an_id_field_are_named_by_line(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(work / "data.jsonl", [{"report": CLEAN}, "", {"report": BROKEN}])
    code, out, _ = run(capsys, "--no-cache", "-q", "data.jsonl", "--text-field", "report")
    assert code == 1 and {line.split(":")[0] for line in out.splitlines()} == {"data.jsonl#3"}


def test_a_bad_record_gets_one_error_and_the_others_are_linted(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(work / "data.jsonl", [
        {"id": "a", "report": BROKEN},
        '{"id": "b", "report": ',  # cut off
        {"id": "c", "text": BROKEN},  # no report field
        {"id": "d", "report": 42},
        {"id": "e", "report": BROKEN},
    ])
    code, out, err = run(capsys, "--no-cache", "-q", "data.jsonl", "--text-field", "report", "--id-field", "id")
    assert code == 2
    assert {line.split(":")[0] for line in out.splitlines()} == {"data.jsonl#a", "data.jsonl#e"}
    errors = err.splitlines()
    assert len(errors) == 3 and all(e.startswith("citelint: error: data.jsonl") for e in errors)
    assert "line 2: line is not valid JSON" in errors[0]
    assert errors[1] == "citelint: error: data.jsonl#c: line 3: record has no text field 'report'"
    assert "data.jsonl#d: line 4: text field 'report' is int, not a string" in errors[2]
    assert "Traceback" not in err


def test_the_configuration_names_the_fields(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(work / "data.jsonl", [{"key": "x", "body": BROKEN}])
    (work / "citelint.toml").write_text('text-field = "body"\nid-field = "key"\n', encoding="utf-8")
    code = cli.main(["--no-cache", "-q", "data.jsonl"])
    assert code == 1 and capsys.readouterr().out.startswith("data.jsonl#x:")


def test_a_dataset_without_a_text_field_is_one_clear_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(work / "data.jsonl", [{"report": BROKEN}])
    code, out, err = run(capsys, "data.jsonl")
    assert code == 2 and out.startswith("No findings") and "--text-field" in err and len(err.splitlines()) == 1


def test_json_and_sarif_carry_the_record(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    write_jsonl(work / "data.jsonl", [{"id": "r1", "report": BROKEN}])
    (work / "plain.md").write_text(BROKEN, encoding="utf-8")
    args = ["--no-cache", "data.jsonl", "plain.md", "--text-field", "report", "--id-field", "id"]
    code, out, _ = run(capsys, "--format", "json", *args)
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads((PACKAGE / "output_schema.json").read_text()))
    assert {f.get("record") for f in doc["findings"]} == {"r1", None}
    assert all(f["path"] in ("data.jsonl", "plain.md") for f in doc["findings"])
    _, out, _ = run(capsys, "--format", "jsonl", *args)
    assert [json.loads(line).get("record") for line in out.splitlines()] == ["r1", "r1", None, None]
    _, out, _ = run(capsys, "--format", "sarif", *args)
    results = json.loads(out)["runs"][0]["results"]
    assert [r.get("properties", {}).get("record") for r in results] == ["r1", "r1", None, None]


def test_parquet_gives_the_findings_of_jsonl(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [{"id": f"r{i}", "report": BROKEN if i % 3 else CLEAN} for i in range(600)]
    rows[5]["report"] = None
    write_jsonl(work / "data.jsonl", rows)
    pq.write_table(pa.Table.from_pylist(rows), work / "data.parquet", row_group_size=100)
    args = ["--no-cache", "-q", "--text-field", "report", "--id-field", "id"]
    code_j, out_j, err_j = run(capsys, *args, "data.jsonl")
    code_p, out_p, err_p = run(capsys, *args, "data.parquet")
    assert code_j == code_p == 2
    assert out_p.replace("data.parquet", "data.jsonl") == out_j and len(out_j.splitlines()) == 2 * 399
    assert "data.parquet#r5: row 6: record has no text field 'report'" in err_p
    _, _, err = run(capsys, "-q", "--text-field", "body", "data.parquet")
    assert "no column 'body'" in err and len(err.splitlines()) == 1


# streaming


def test_findings_are_written_as_each_report_finishes(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("b.md", "a.md", "c.md"):
        (work / name).write_text(BROKEN, encoding="utf-8")
    real = streaming.outcomes
    written = io.StringIO()
    seen: list[int] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        for i, outcome in enumerate(real(*args, **kwargs)):
            # Before the next report is linted, the previous one is already written.
            seen.append(written.getvalue().count("\n"))
            yield outcome

    monkeypatch.setattr(streaming, "outcomes", watched)
    args = cli._parser().parse_args(["--isolated", "--no-cache", "--format", "jsonl", "b.md", "a.md", "c.md"])
    streaming.write_streamed(args, cli._resolver(args), written.write, False)
    assert seen == [0, 2, 4]
    paths = [json.loads(line)["path"] for line in written.getvalue().splitlines()]
    assert paths == ["b.md", "b.md", "a.md", "a.md", "c.md", "c.md"]  # input order


def test_workers_stream_the_same_findings_in_order(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = [f"r{i:02d}.md" for i in range(40)]
    for i, name in enumerate(names):
        (work / name).write_text(BROKEN if i % 2 else CLEAN, encoding="utf-8")
    one = run(capsys, "--no-cache", "-j", "1", *reversed(names))
    two = run(capsys, "--no-cache", "-j", "2", *reversed(names))
    assert one == two and one[1].splitlines()[0].startswith("r39.md:")


_REAL_LINT_CHUNK = streaming._lint_chunk


def _dying(chunk: list[streaming.Unit], cache_dir: str | None) -> list[streaming.Outcome]:
    if any(u.shown == "r21.md" for u in chunk):
        os._exit(3)  # a worker killed mid-run (out of memory, a signal)
    return _REAL_LINT_CHUNK(chunk, cache_dir)


def test_a_worker_that_dies_loses_no_report(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"r{i:02d}.md" for i in range(40)]
    for i, name in enumerate(names):
        (work / name).write_text(BROKEN if i % 2 else CLEAN, encoding="utf-8")
    alone = run(capsys, "--no-cache", "-j", "1", *names)
    # Module-level, so the pool sends it by name; forked workers inherit the patch.
    monkeypatch.setattr(streaming, "_lint_chunk", _dying)
    assert run(capsys, "--no-cache", "-j", "2", *names) == alone


def test_work_that_cannot_be_sent_to_a_worker_is_linted_here(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"r{i:02d}.md" for i in range(40)]
    for i, name in enumerate(names):
        (work / name).write_text(BROKEN if i % 2 else CLEAN, encoding="utf-8")
    alone = run(capsys, "--no-cache", "-j", "1", *names)

    def local(chunk: list[streaming.Unit], cache_dir: str | None) -> list[streaming.Outcome]:
        raise AssertionError("never runs: a local function cannot be pickled")

    monkeypatch.setattr(streaming, "_lint_chunk", local)
    assert run(capsys, "--no-cache", "-j", "2", *names) == alone


def test_bounded_in_flight_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker path pulls units from its input only as results are taken out."""
    settings = Resolver(load_rules(), isolated=True).settings_for("x.md")
    pulled = 0

    def source() -> Any:
        nonlocal pulled
        for i in range(2000):
            pulled += 1
            yield streaming.Unit("x.md", "x.md", settings, f"r{i}", CLEAN)

    it = streaming.outcomes(source(), load_rules(), jobs=2)
    first = [next(it) for _ in range(5)]
    assert [o.record for o in first] == ["r0", "r1", "r2", "r3", "r4"]
    assert pulled <= 2 * streaming.IN_FLIGHT_PER_JOB * streaming.CHUNK + streaming.PARALLEL_MIN_FILES + streaming.CHUNK
    assert sum(1 for _ in it) == 1995


# result cache


@pytest.fixture()
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "rc"


def count_lints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    linted: list[str] = []
    real = streaming.lint_source

    def counting(text: str, shown: str, *args: Any, **kwargs: Any) -> list[Finding]:
        linted.append(shown)
        return real(text, shown, *args, **kwargs)

    monkeypatch.setattr(streaming, "lint_source", counting)
    # A report file is linted (or fixed) by citelint.api once read.
    real_read = api.lint_read

    def counting_read(path: str, name: str, *args: Any, **kwargs: Any) -> Any:
        linted.append(name)
        return real_read(path, name, *args, **kwargs)

    monkeypatch.setattr(api, "lint_read", counting_read)
    return linted


def test_cache_skips_unchanged_files_and_relints_changed_ones(
    work: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.md", "b.md"):
        (work / name).write_text(BROKEN, encoding="utf-8")
    linted = count_lints(monkeypatch)
    args = ("-j", "1", "--cache-dir", str(cache_dir), "a.md", "b.md")
    first = run(capsys, *args)
    assert linted == ["a.md", "b.md"]
    second = run(capsys, *args)
    assert second == first and linted == ["a.md", "b.md"]  # nothing linted again
    (work / "b.md").write_text(BROKEN.replace("trains ran", "buses ran"), encoding="utf-8")
    run(capsys, *args)
    assert linted[2:] == ["b.md"]
    # The cached findings are those of the file as it is now.
    (work / "b.md").write_text(CLEAN, encoding="utf-8")
    code, out, _ = run(capsys, "-q", *args)
    assert linted[3:] == ["b.md"] and all(line.startswith("a.md:") for line in out.splitlines())
    run(capsys, "--no-cache", *args[:-2], "a.md")
    assert linted[4:] == ["a.md"]


def test_changed_settings_relint(
    work: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "a.md").write_text(BROKEN, encoding="utf-8")
    linted = count_lints(monkeypatch)
    base = ("-q", "-j", "1", "--cache-dir", str(cache_dir), "a.md")
    assert codes(run(capsys, *base)[1]) == ["CIT101", "CIT401"]
    assert codes(run(capsys, "--ignore", "CIT401", *base)[1]) == ["CIT101"]
    (work / "citelint.toml").write_text('[severity]\nCIT401 = "info"\n', encoding="utf-8")
    code = cli.main(["--cache-dir", str(cache_dir), "-j", "1", "a.md"])
    assert "1 info" in capsys.readouterr().out and code == 1
    (work / "citelint.toml").write_text('[options.merged-words]\nallow = ["andmore"]\n', encoding="utf-8")
    cli.main(["-q", "--cache-dir", str(cache_dir), "-j", "1", "a.md"])
    assert codes(capsys.readouterr().out) == ["CIT101"]
    assert len(linted) == 4
    cli.main(["-q", "--cache-dir", str(cache_dir), "-j", "1", "a.md"])
    assert len(linted) == 4 and codes(capsys.readouterr().out) == ["CIT101"]


def test_fixing_with_workers_neither_uses_nor_poisons_the_cache(
    work: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"r{i:02d}.md" for i in range(20)]  # enough for worker processes
    for name in names:
        (work / name).write_text(BROKEN, encoding="utf-8")
    cache = ("--cache-dir", str(cache_dir))
    code, out, _ = run(capsys, *cache, "-j", "2", *names)  # every file's findings cached
    assert code == 1 and codes(out) == ["CIT101"] * 20 + ["CIT401"] * 20
    # Fixing is never answered from the cache: each file is fixed, in the workers.
    code, out, err = run(capsys, *cache, "-j", "2", "--fix", *names)
    assert code == 1 and err == "" and codes(out) == ["CIT101"] * 20
    assert "Fixed 20 findings (CIT401 20) in 20 files." in out.splitlines()
    assert all("andmore" not in (work / n).read_text(encoding="utf-8") for n in names)
    # The fixed files' findings were not stored under their old bytes: the next run lints
    # them afresh, then the one after that is answered from the cache.
    linted = count_lints(monkeypatch)
    code, out, _ = run(capsys, *cache, "-j", "1", *names)
    assert codes(out) == ["CIT101"] * 20 and sorted(linted) == names
    assert run(capsys, *cache, "-j", "1", *names)[1] == out and len(linted) == 20
    assert run(capsys, "--no-cache", "-j", "1", *names)[1] == out


def test_a_file_that_is_not_a_report_stays_one_with_the_cache(
    work: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "a.md").write_text(BROKEN, encoding="utf-8")
    (work / "README.md").write_text("# Tools\n\nHow to run them.\n", encoding="utf-8")
    cache = ("--cache-dir", str(cache_dir))
    cold = run(capsys, *cache, ".")
    assert cold[1].splitlines()[-2].endswith("in 1 file (this run); 1 file was not a report.")
    assert run(capsys, *cache, ".") == cold
    # With require-report, the README is linted as a report: not answered by the cache.
    (work / "citelint.toml").write_text("require-report = true\n", encoding="utf-8")
    code, out, _ = cli.main(["--cache-dir", str(cache_dir), "."]), *capsys.readouterr()
    assert "README.md:1:3: CIT001" in out and "not a report" not in out


def test_a_damaged_entry_is_never_used(
    work: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "a.md").write_text(BROKEN, encoding="utf-8")
    linted = count_lints(monkeypatch)
    args = ("-j", "1", "--cache-dir", str(cache_dir), "a.md")
    first = run(capsys, *args)
    (entry,) = [p for p in cache_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    data = entry.read_bytes()
    damaged = [
        data[:-1] + bytes([data[-1] ^ 1]),  # a flipped bit
        data[: len(data) // 2],  # cut short
        b"",
        data.replace(resultcache._MAGIC, b"CITLRC9\n", 1),  # another format
    ]
    for n, bad in enumerate(damaged, start=2):
        entry.write_bytes(bad)
        assert run(capsys, *args) == first
        assert len(linted) == n  # linted again, not read from the damaged entry
    # An intact entry under another file's key is not used either.
    other = resultcache.key(b"x", "a.md", "s", "e")
    (cache_dir / other[:2]).mkdir(exist_ok=True)
    (cache_dir / other[:2] / other).write_bytes(entry.read_bytes())
    assert resultcache.load(str(cache_dir), other, "a.md") is None


def _writer(directory: str, worker: int, findings: list[Finding]) -> None:
    for i in range(200):
        # Half the keys are written by every worker at once, half by this one only.
        k = resultcache.key(str(i % 20 if i % 2 else f"{worker}-{i}").encode(), "p.md", "s", "e")
        resultcache.store(directory, k, findings[: 1 + i % len(findings)])
        resultcache.load(directory, k, "p.md")


def test_parallel_writers_do_not_corrupt_the_cache(cache_dir: Path) -> None:
    from citelint.api import lint_text

    findings = lint_text(BROKEN, "p.md")
    assert findings
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(cache_dir), w, findings)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    entries = [p for p in cache_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(entries) == 4 * 100 + 10
    assert not list(cache_dir.rglob("*.tmp"))
    for entry in entries:
        loaded = resultcache.load(str(cache_dir), entry.name, "p.md")
        assert loaded is not None and loaded == findings[: len(loaded)]


def test_the_cache_is_bounded(cache_dir: Path) -> None:
    from citelint.api import lint_text

    findings = lint_text(BROKEN, "p.md")
    keys = [resultcache.key(str(i).encode(), "p.md", "s", "e") for i in range(100)]
    for i, k in enumerate(keys):
        resultcache.store(str(cache_dir), k, findings)
        os.utime(resultcache._entry(str(cache_dir), k), ns=(i * 10**9, i * 10**9))
    _, size = resultcache.size(str(cache_dir))
    resultcache.load(str(cache_dir), keys[0], "p.md")  # used: the oldest is now the newest
    deleted = resultcache.prune(str(cache_dir), max_bytes=size // 2, force=True)
    assert deleted > 0 and resultcache.size(str(cache_dir))[1] <= size // 2
    assert resultcache.load(str(cache_dir), keys[0], "p.md") is not None
    assert resultcache.load(str(cache_dir), keys[1], "p.md") is None  # oldest went first
    assert resultcache.load(str(cache_dir), keys[-1], "p.md") is not None


def test_cache_dir_setting(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "a.md").write_text(BROKEN, encoding="utf-8")
    (work / "citelint.toml").write_text('cache-dir = ".lintcache"\n', encoding="utf-8")
    assert cli.main(["-q", "-j", "1", "a.md"]) == 1
    assert resultcache.size(str(work / ".lintcache"))[0] == 1


# progress


def test_no_progress_in_pipes(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(20):
        (work / f"r{i}.md").write_text(BROKEN, encoding="utf-8")
    _, _, err = run(capsys, "--no-cache", "-q", ".")
    assert err == ""


def test_progress_when_asked_goes_to_stderr_and_is_erased(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from citelint import progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    for i in range(5):
        (work / f"r{i}.md").write_text(BROKEN, encoding="utf-8")
    code, out, err = run(capsys, "--no-cache", "--progress", "-j", "1", ".")
    assert "/5 reports" in err and "findings" in err and err.endswith("\r\033[K")
    assert "\033" not in out and "reports ·" not in out


def test_progress_line_text() -> None:
    from citelint.progress import describe

    assert describe(250, 1000, 40, 5.0) == "citelint: 250/1000 reports · 40 findings · 50/s · 15s left"
    assert describe(3, None, 0, 2.0) == "citelint: 3 reports · 0 findings · 1.5/s"


def test_progress_only_on_a_terminal_and_never_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint.progress import wanted

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)  # the test session runs with TERM=dumb
    assert wanted(None, Tty()) and not wanted(None, io.StringIO())
    assert wanted(True, io.StringIO()) and not wanted(False, Tty())
    monkeypatch.setenv("CI", "true")
    assert not wanted(None, Tty())


# shards


def test_shards_are_disjoint_and_cover_the_run(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(30):
        (work / f"r{i:02d}.md").write_text(BROKEN, encoding="utf-8")
    write_jsonl(work / "data.jsonl", [{"id": f"x{i}", "report": BROKEN} for i in range(30)])
    args = ["--no-cache", "-q", "--format", "jsonl", ".", "data.jsonl", "--text-field", "report", "--id-field", "id"]
    whole = run(capsys, *args)[1].splitlines()
    parts = [run(capsys, *args, "--shard", f"{i}/3")[1].splitlines() for i in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(whole)
    assert all(parts) and sum(len(p) for p in parts) == len(whole)
    reports = [{(json.loads(x)["path"], json.loads(x).get("record")) for x in p} for p in parts]
    assert not (reports[0] & reports[1]) and not (reports[1] & reports[2]) and not (reports[0] & reports[2])
    # The slices depend on names only, not on the order the inputs come in.
    reordered = run(capsys, *args[:4], "data.jsonl", ".", *args[6:], "--shard", "2/3")[1].splitlines()
    assert sorted(reordered) == sorted(parts[1])


def test_shard_must_be_i_of_n(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        assert cli.main(["--shard", bad, "."]) == 2
        assert "I/N" in capsys.readouterr().err


# pickling, for distributed engines


def test_settings_and_findings_pickle() -> None:
    from citelint.api import lint_text

    settings = Resolver(load_rules(), isolated=True).settings_for("x.md")
    again = pickle.loads(pickle.dumps(settings))
    assert again == settings and again.rules[0] is settings.rules[0]
    findings = lint_text(BROKEN, "x.md", settings=settings)
    assert pickle.loads(pickle.dumps(findings)) == findings
