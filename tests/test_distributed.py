"""The Dask integration, on Dask's local schedulers: the same findings as the command line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from citelint import cli
from tests.test_scale import BROKEN, CLEAN, write_jsonl

dask = pytest.importorskip("dask")
pytest.importorskip("dask.bag")


def cli_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    cli.main(["--isolated", "--no-cache", "--format", "jsonl", *args])
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def bag_lines(directory: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    found, errors = [], []
    for part in sorted(directory.glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            (errors if "error" in d else found).append(d)
    return found, errors


@pytest.fixture()
def rows() -> list[object]:
    out: list[object] = [{"id": f"r{i}", "report": BROKEN if i % 3 else CLEAN} for i in range(150)]
    out[7] = '{"id": "r7", "report": '  # not JSON
    out[11] = {"id": "r11"}  # no text
    return out


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_dask_jsonl_gives_the_findings_of_the_cli(
    scheduler: str, rows: list[object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from citelint.distributed import default_settings, findings_bag, write_jsonl as write

    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "data.jsonl", rows)
    expected = cli_lines(capsys, "data.jsonl", "--text-field", "report", "--id-field", "id")
    settings = default_settings("data.jsonl")
    bag = findings_bag("data.jsonl", "report", "id", settings=settings, partition_size=40)
    assert bag.npartitions == 4
    with dask.config.set(scheduler=scheduler):
        files = write(bag, str(tmp_path / "out"))
    assert len(files) == 4
    found, errors = bag_lines(tmp_path / "out")
    assert found == expected and len(found) == 2 * 98
    assert [e["record"] for e in errors] == [None, "r11"] and errors[0]["error"].startswith("line 8: line is not valid JSON")


def test_dask_over_files_and_parquet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from citelint.distributed import findings_bag, write_jsonl as write

    monkeypatch.chdir(tmp_path)
    names = [f"r{i:02d}.md" for i in range(25)]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(BROKEN if i % 2 else CLEAN, encoding="utf-8")
    with dask.config.set(scheduler="sync"):
        write(findings_bag(names, partition_size=50), str(tmp_path / "files"))
    assert bag_lines(tmp_path / "files") == (cli_lines(capsys, *names), [])

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = [{"report": BROKEN if i % 2 else CLEAN} for i in range(120)]
    pq.write_table(pa.Table.from_pylist(table), tmp_path / "data.parquet", row_group_size=50)
    bag = findings_bag("data.parquet", "report")
    assert bag.npartitions == 3
    with dask.config.set(scheduler="sync"):
        write(bag, str(tmp_path / "pq"))
    found, errors = bag_lines(tmp_path / "pq")
    assert found == cli_lines(capsys, "data.parquet", "--text-field", "report") and not errors
    assert found[0]["record"] == "2"  # rows are numbered from 1, across row groups
    assert found[-1]["record"] == "120"


def test_the_row_functions_for_spark_and_ray() -> None:
    from citelint.distributed import default_settings, lint_batch, lint_rows

    settings = default_settings("x.jsonl")
    rows = [{"id": "a", "report": BROKEN}, {"id": "b", "report": CLEAN}, {"id": "c"}]
    found = list(lint_rows(rows, settings, "x.jsonl", "report", "id"))
    assert [d.get("record") for d in found] == ["a", "a", "c"] and "error" in found[-1]
    batch = lint_batch({"id": ["a", "b"], "report": [BROKEN, CLEAN]}, settings, "x.jsonl", "report", "id")
    assert batch["record"] == ["a", "a"] and batch["code"] == [d["code"] for d in found[:2]]


def test_readme_dask_snippet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_integrations import snippet

    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "reports.jsonl", [{"id": f"q{i}", "report": BROKEN} for i in range(5)])
    exec(compile(snippet("dask"), "README dask", "exec"), {})
    found, errors = bag_lines(tmp_path / "findings")
    assert found == cli_lines(capsys, "reports.jsonl", "--text-field", "report", "--id-field", "id") and not errors
    assert {d["record"] for d in found} == {f"q{i}" for i in range(5)}
