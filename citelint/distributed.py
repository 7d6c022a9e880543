"""Linting a corpus on an existing distributed engine (Dask here; Spark and Ray Data in the
README), rather than an engine of our own.

Everything an engine runs is a pure function of the report text and the settings
(``lint_rows`` / ``lint_batch``), and both pickle cleanly (a Rule pickles by reference, so
each worker uses the rules it loaded itself). Findings come out as the dictionaries of
``--format jsonl``, with ``record`` naming the record, so a distributed run and a plain
``citelint --format jsonl`` run give the same lines.

Dask is optional (``pip install 'citelint-reports[dask]'``) and imported only here.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citelint.config import Settings

_RULES: dict[str, Any] = {}  # per process: rule infos for finding dictionaries (document-independent)


def default_settings(path: str = "-") -> Settings:
    """The settings that apply to ``path`` from its closest configuration file."""
    from citelint.config import Resolver
    from citelint.registry import load_rules

    return Resolver(load_rules()).settings_for(path)


def _rule_infos() -> dict[str, Any]:
    if not _RULES:
        from citelint.registry import load_rules
        from citelint.streaming import _rule_infos as infos

        _RULES.update(infos(load_rules()))
    return _RULES


def lint_report(
    text: str, settings: Settings, path: str, record: str | None = None, file: bool = False
) -> list[dict[str, Any]]:
    """The findings of one report as ``--format jsonl`` dictionaries; a ``file`` that is
    not a report (a README) has none, as on the command line."""
    from citelint.formats import finding_dict
    from citelint.registry import load_rules
    from citelint.streaming import lint_source

    found = lint_source(text, path, settings, load_rules(), record, skip_non_report=file)
    rules = _rule_infos()
    return [finding_dict(f, rules) for f in found]


def lint_rows(
    rows: Iterable[Mapping[str, Any]],
    settings: Settings,
    path: str,
    text_field: str,
    id_field: str | None = None,
    first: int = 1,
) -> Iterator[dict[str, Any]]:
    """Findings of each row (a mapping with the text field) as jsonl dictionaries; a row
    that cannot be linted gives one ``error`` dictionary. Rows are numbered from ``first``
    when there is no id field. For Spark's ``mapPartitions``."""
    from citelint.datasets import make_record

    for number, row in enumerate(rows, start=first):
        rec = make_record(row, number, text_field, id_field)
        if rec.error is not None or rec.text is None:
            yield {"path": path, "record": rec.id or None, "error": f"record {number}: {rec.error}"}
            continue
        yield from lint_report(rec.text, settings, path, rec.id)


def lint_batch(
    batch: Mapping[str, Sequence[Any]], settings: Settings, path: str, text_field: str, id_field: str | None = None
) -> dict[str, list[Any]]:
    """A columnar batch (column name to values, as Ray Data's ``map_batches`` passes it) to
    a columnar batch of findings: one column per key of a jsonl finding, related as JSON."""
    import json

    columns = list(batch)
    size = len(batch[columns[0]]) if columns else 0
    rows = ({c: _plain(batch[c][i]) for c in columns} for i in range(size))
    keys = ("path", "record", "line", "column", "code", "severity", "message", "related")
    out: dict[str, list[Any]] = {k: [] for k in (*keys, "error")}
    for found in lint_rows(rows, settings, path, text_field, id_field):
        for k in keys:
            value = found.get(k)
            out[k].append(json.dumps(value, ensure_ascii=False) if k == "related" else value)
        out["error"].append(found.get("error"))
    return out


def _plain(value: Any) -> Any:
    # numpy scalars (Ray and pandas batches) to Python values.
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, (str, bytes)) else value


# Dask


def _lint_files(paths: Iterable[str], settings: Settings | None) -> list[dict[str, Any]]:
    from citelint import reading
    from citelint.config import Resolver
    from citelint.registry import load_rules

    resolver = Resolver(load_rules()) if settings is None else None
    out: list[dict[str, Any]] = []
    for path in paths:
        try:
            text = reading.read(path)
        except reading.ReadError as exc:
            out.append({"path": path, "record": None, "error": str(exc)})
            continue
        if settings is not None:
            out.extend(lint_report(text, settings, path, file=True))
        elif resolver is not None:
            out.extend(lint_report(text, resolver.settings_for(path), path, file=True))
    return out


def _lint_jsonl_block(
    lines: Iterable[str], settings: Settings, path: str, text_field: str, id_field: str | None, first: int
) -> list[dict[str, Any]]:
    from citelint.datasets import parse_line

    out: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=first):
        rec = parse_line(line.encode("utf-8", "surrogateescape"), number, text_field, id_field)
        if rec is None:
            continue
        if rec.error is not None or rec.text is None:
            out.append({"path": path, "record": rec.id or None, "error": f"line {number}: {rec.error}"})
            continue
        out.extend(lint_report(rec.text, settings, path, rec.id))
    return out


def _lint_row_group(
    group: tuple[int, int], settings: Settings, path: str, text_field: str, id_field: str | None
) -> list[dict[str, Any]]:
    from citelint.datasets import read_parquet

    index, first = group
    out: list[dict[str, Any]] = []
    for rec in read_parquet(path, text_field, id_field, row_groups=[index], first_row=first):
        if rec.error is not None or rec.text is None:
            out.append({"path": path, "record": rec.id or None, "error": f"row {rec.number}: {rec.error}"})
            continue
        out.extend(lint_report(rec.text, settings, path, rec.id))
    return out


def findings_bag(
    source: str | Sequence[str],
    text_field: str | None = None,
    id_field: str | None = None,
    settings: Settings | None = None,
    partition_size: int = 1000,
) -> Any:
    """A ``dask.bag`` of jsonl finding dictionaries (and ``error`` dictionaries for what
    could not be linted) over report files (a list of paths), or over the records of one
    JSONL or Parquet dataset (with ``text_field``). JSONL is split into partitions of
    ``partition_size`` lines, Parquet by row group; records are numbered by line or row,
    as the command line numbers them. ``settings`` default to those of the dataset's (or
    each file's) closest configuration."""
    import importlib

    db: Any = importlib.import_module("dask.bag")  # optional, and partly typed
    from citelint.datasets import PARQUET_SUFFIXES, is_dataset, parquet_row_groups

    if isinstance(source, str) and is_dataset(source):
        if text_field is None:
            raise ValueError("a dataset needs text_field")
        chosen = settings or default_settings(source)
        if source.lower().endswith(PARQUET_SUFFIXES):
            groups = parquet_row_groups(source)
            bag = db.from_sequence(groups, npartitions=max(1, len(groups)))
            return bag.map_partitions(
                lambda part: [d for g in part for d in _lint_row_group(g, chosen, source, text_field, id_field)]
            )
        starts = _jsonl_blocks(source, partition_size)
        bag = db.from_sequence(starts, npartitions=max(1, len(starts)))
        return bag.map_partitions(
            lambda part: [d for block in part for d in _read_block(block, chosen, source, text_field, id_field)]
        )
    paths = [source] if isinstance(source, str) else list(source)
    bag = db.from_sequence(paths, partition_size=max(1, partition_size // 10))
    return bag.map_partitions(lambda part: _lint_files(part, settings))


def _jsonl_blocks(path: str, lines_per_block: int) -> list[tuple[int, int, int]]:
    """(byte offset, byte length, first line number) of blocks of whole lines: one quick
    pass over the file's bytes, so each partition reads only its own block."""
    blocks = []
    with open(path, "rb") as fh:
        start = offset = 0
        first = number = 1
        for raw in fh:
            offset += len(raw)
            number += 1
            if number - first >= lines_per_block:
                blocks.append((start, offset - start, first))
                start, first = offset, number
        if offset > start:
            blocks.append((start, offset - start, first))
    return blocks


def _read_block(
    block: tuple[int, int, int], settings: Settings, path: str, text_field: str, id_field: str | None
) -> list[dict[str, Any]]:
    start, length, first = block
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(length)
    # Split at "\n" only, as the command line reads lines (splitlines would also split at
    # separators that JSON strings may hold, such as U+2028).
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return _lint_jsonl_block(lines, settings, path, text_field, id_field, first)


def write_jsonl(bag: Any, directory: str) -> list[str]:
    """Compute the bag and write its dictionaries as partitioned JSONL
    (``directory/part-0000.jsonl``...); returns the files written."""
    import json

    os.makedirs(directory, exist_ok=True)
    lines = bag.map(lambda d: json.dumps(d, ensure_ascii=False))
    names: list[str] = lines.to_textfiles(os.path.join(directory, "part-*.jsonl"), name_function=lambda i: f"{i:04d}")
    return names
