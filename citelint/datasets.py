"""Reports inside datasets: each record of a JSONL file or a Parquet table is one report.

Both are read as streams (JSONL line by line, Parquet in record batches of the two columns
needed), so a dataset of millions of rows never sits in memory. A record that cannot be
linted (not JSON, no text field, not a string) is one ``Record`` with an error; the others
are still linted. A dataset that cannot be read at all raises ``DatasetError``.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from citelint.reading import MAX_BYTES

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
DATASET_SUFFIXES = JSONL_SUFFIXES + PARQUET_SUFFIXES
# Parquet rows are read this many at a time: enough to amortise Arrow's per-batch cost,
# few enough that a batch of long reports stays a few megabytes.
PARQUET_BATCH_ROWS = 256


class DatasetError(Exception):
    """A dataset that cannot be read; str() is the one-line reason."""


class Record(NamedTuple):
    """One report of a dataset. ``number`` is its 1-based line (JSONL) or row (Parquet);
    ``id`` names it in findings: its id field, else that number ("" when the id field
    cannot be read). ``text`` is None when ``error`` says why it cannot be linted."""

    number: int
    id: str
    text: str | None
    error: str | None = None


def is_dataset(path: str) -> bool:
    return path.lower().endswith(DATASET_SUFFIXES)


def _id_of(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def make_record(row: Mapping[str, Any], number: int, text_field: str, id_field: str | None) -> Record:
    """The record of one parsed row: its id and text, or the reason it cannot be linted."""
    rid = str(number)
    if id_field is not None:
        found = _id_of(row.get(id_field))
        if found is None:
            what = "has no" if row.get(id_field) is None else "has an unusable"
            return Record(number, "", None, f"record {what} id field '{id_field}' (a string or an integer)")
        rid = found
    text = row.get(text_field)
    if text is None:
        return Record(number, rid, None, f"record has no text field '{text_field}'")
    if not isinstance(text, str):
        return Record(number, rid, None, f"text field '{text_field}' is {type(text).__name__}, not a string")
    if len(text) > MAX_BYTES:
        return Record(number, rid, None, "text is too large to be a report")
    return Record(number, rid, text)


def parse_line(raw: bytes, number: int, text_field: str, id_field: str | None) -> Record | None:
    """The record of one JSONL line, or None for a blank line."""
    import json

    if not raw.strip():
        return None
    unknown = str(number) if id_field is None else ""  # the id, when the line cannot be read
    try:
        row = json.loads(raw)
    except UnicodeDecodeError:
        return Record(number, unknown, None, "line is not valid UTF-8")
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return Record(number, unknown, None, f"line is not valid JSON: {reason}")
    if not isinstance(row, dict):
        return Record(number, unknown, None, f"line is a JSON {type(row).__name__}, not an object")
    return make_record(row, number, text_field, id_field)


def read_jsonl(path: str, text_field: str, id_field: str | None) -> Iterator[Record]:
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise DatasetError(exc.strerror or str(exc)) from None
    with fh:
        for number, raw in enumerate(fh, start=1):
            if len(raw) > MAX_BYTES:
                yield Record(number, str(number) if id_field is None else "", None, "line is too large to be a report")
                continue
            record = parse_line(raw, number, text_field, id_field)
            if record is not None:
                yield record


def _parquet_file(path: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError("reading Parquet needs pyarrow: pip install 'citelint-reports[parquet]'") from None
    try:
        return pq.ParquetFile(path)
    except OSError as exc:
        raise DatasetError(f"cannot read as Parquet: {exc}") from None
    except Exception as exc:  # pyarrow's own errors for a damaged file
        raise DatasetError(f"cannot read as Parquet: {exc}") from None


def _columns(pf: Any, text_field: str, id_field: str | None) -> list[str]:
    names = set(pf.schema_arrow.names)
    wanted = [text_field] + ([id_field] if id_field is not None and id_field != text_field else [])
    for name in wanted:
        if name not in names:
            raise DatasetError(f"no column '{name}' (columns: {', '.join(sorted(names))})")
    return wanted


def read_parquet(
    path: str, text_field: str, id_field: str | None, row_groups: list[int] | None = None, first_row: int = 1
) -> Iterator[Record]:
    """Records of a Parquet file (of ``row_groups`` only, numbered from ``first_row``)."""
    pf = _parquet_file(path)
    columns = _columns(pf, text_field, id_field)
    number = first_row
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns, row_groups=row_groups):
            for row in batch.to_pylist():
                yield make_record(row, number, text_field, id_field)
                number += 1
    except OSError as exc:
        raise DatasetError(f"cannot read as Parquet: {exc}") from None


def parquet_row_groups(path: str) -> list[tuple[int, int]]:
    """(row group, its first row number) of each row group: how a distributed run splits a table."""
    pf = _parquet_file(path)
    out, first = [], 1
    for i in range(pf.num_row_groups):
        out.append((i, first))
        first += pf.metadata.row_group(i).num_rows
    return out


def count(path: str) -> int | None:
    """How many records a dataset has, when that is known without reading it (Parquet)."""
    if path.lower().endswith(PARQUET_SUFFIXES):
        try:
            return int(_parquet_file(path).metadata.num_rows)
        except DatasetError:
            return None
    return None


def read(path: str, text_field: str, id_field: str | None) -> Iterator[Record]:
    """The records of a dataset, in order."""
    if os.path.isdir(path):
        raise DatasetError("is a directory")
    if path.lower().endswith(PARQUET_SUFFIXES):
        return read_parquet(path, text_field, id_field)
    return read_jsonl(path, text_field, id_field)
