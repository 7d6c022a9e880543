"""Runs at corpus scale: the inputs of a run as a stream of units (report files, stdin, and
the records of datasets), linted in order by this process or by worker processes with a
bounded amount of work in flight, each result written as soon as it and every unit before
it are done. Memory stays flat however many reports a run has.

The command line's options for this (datasets, the result cache, shards, progress) are
declared here too, in one block, so that cli.py only hands over to this module.
"""
from __future__ import annotations

import itertools
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import argparse

    from citelint.api import FixMode, Result
    from citelint.config import Resolver, Settings
    from citelint.finding import Finding
    from citelint.registry import Rule

# Formats written report by report as the run goes; the others need the whole run.
STREAMED_FORMATS = ("text", "jsonl")
# Below this many units a worker pool costs more than it saves (as in citelint.api).
PARALLEL_MIN_FILES = 16
# Units sent to a worker at once, and chunks in flight per worker: enough to keep the
# workers busy, few enough that memory does not grow with the corpus.
CHUNK = 8
IN_FLIGHT_PER_JOB = 4
# Known outcomes (cache hits) and units held back at most, waiting for earlier work.
LOOKAHEAD = 512


class Unit(NamedTuple):
    """One report to lint: a file (``-``: stdin) or a record of a dataset (``text`` set).
    ``error`` is set for an input known not to be lintable (a missing path, a bad record)."""

    path: str  # the file to read, or the dataset the record is in
    shown: str  # the path findings name
    settings: Settings | None
    record: str | None = None
    text: str | None = None
    error: str | None = None
    data: bytes | None = None  # a file's bytes, once read to look it up in the cache
    key: str | None = None  # its result cache key


class FileError(NamedTuple):
    """A report that could not be linted (the same fields as ``citelint.api.FileError``,
    without importing the API and the parser on a run that the cache answers)."""

    path: str
    message: str


class Outcome(NamedTuple):
    """What linting a unit gave. ``cached``: the findings came from the result cache;
    ``stored``: they were written to it."""

    shown: str
    record: str | None
    findings: list[Finding]
    error: FileError | None
    failed: bool = False
    cached: bool = False
    stored: bool = False
    report: bool = True  # False: a Markdown file that is not a report, skipped
    # With fixing on (citelint.api.FileOutcome's fields): fixes applied per rule, the
    # unified diff (--diff), fixes not applied, standard input's fixed text.
    fixed: Counter[str] = Counter()
    diff: str | None = None
    problems: tuple[str, ...] = ()
    fixed_text: str | None = None


# options


def add_arguments(ap: argparse.ArgumentParser) -> None:
    """The options of corpus-scale runs (datasets, result cache, shards, progress)."""
    import argparse

    data = ap.add_argument_group("datasets (*.jsonl, *.ndjson, *.parquet named as paths)")
    data.add_argument("--text-field", metavar="FIELD", help="the field holding each record's report text")
    data.add_argument("--id-field", metavar="FIELD", help="the field naming each record (default: its line or row number)")
    run = ap.add_argument_group("large runs")
    run.add_argument("--no-cache", action="store_true", help="lint every file, neither reading nor writing the result cache")
    run.add_argument("--cache-dir", metavar="DIR", help="where the result cache lives")
    run.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="show a progress line on standard error (default: on a terminal, not in CI)",
    )
    run.add_argument("--shard", type=parse_shard, metavar="I/N", help="lint only the I-th (1..N) of N slices of the inputs")


def parse_shard(text: str) -> tuple[int, int]:
    import argparse

    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i = n = 0
    if not sep or n < 1 or not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"'{text}' is not I/N with 1 <= I <= N")
    return i, n


def in_shard(identity: str, shard: tuple[int, int] | None) -> bool:
    """Whether the input named ``identity`` falls in the shard: a hash of its name, so the
    slices do not depend on the order or the number of inputs, or on the machine."""
    if shard is None:
        return True
    import hashlib

    digest = hashlib.blake2b(identity.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shard[1] == shard[0] - 1


def _identity(path: str, record: str | None = None) -> str:
    name = os.path.normpath(path).replace(os.sep, "/")
    return name if record is None else f"{name}#{record}"


# inputs


class Inputs(NamedTuple):
    """How a run finds its units."""

    paths: Sequence[str]
    resolver: Resolver
    stdin_filename: str | None = None
    text_field: str | None = None  # the command line's, winning over the configuration
    id_field: str | None = None
    shard: tuple[int, int] | None = None
    # Filled with every input named or found, linted or not: what -o must not be.
    seen_inputs: list[str] | None = None


def _expand(inputs: Inputs) -> Iterator[tuple[str, str | None, bool]]:
    from citelint.discovery import expand

    resolver = inputs.resolver

    def respect_gitignore(root: str) -> bool:
        return resolver.settings_for(os.path.join(root, "-")).respect_gitignore

    return expand(inputs.paths, respect_gitignore)


def units(inputs: Inputs) -> Iterator[Unit]:
    """Every unit of a run, in input order: files as named (a directory's in sorted order),
    a dataset's records in the dataset's order. A file named twice (``reports
    reports/a.md``, ``a.md ./a.md``) is linted once."""
    from citelint import datasets

    seen: set[str] = set()
    for path, problem, named in _expand(inputs):
        shown = inputs.stdin_filename if path == "-" and inputs.stdin_filename else path
        if inputs.seen_inputs is not None:
            inputs.seen_inputs.append(shown)
        if problem:
            yield Unit(path, path, None, error=problem)
            continue
        if path != "-":
            key = os.path.normpath(os.path.abspath(path))
            if key in seen:
                continue
            seen.add(key)
        settings = inputs.resolver.settings_for(shown)
        if (not named or settings.force_exclude) and shown != "-" and settings.excludes(shown):
            continue
        if named and path != "-" and datasets.is_dataset(path):
            yield from _records(path, settings, inputs)
        elif in_shard(_identity(shown), inputs.shard):
            yield Unit(path, shown, settings)


def _records(path: str, settings: Settings, inputs: Inputs) -> Iterator[Unit]:
    from citelint import datasets

    text_field = inputs.text_field or settings.text_field
    id_field = inputs.id_field or settings.id_field
    if text_field is None:
        if in_shard(_identity(path), inputs.shard):
            yield Unit(path, path, None, error="a dataset: name the field holding the report text with --text-field (or text-field in the configuration)")
        return
    where = "row" if path.lower().endswith(datasets.PARQUET_SUFFIXES) else "line"
    try:
        for rec in datasets.read(path, text_field, id_field):
            if not in_shard(_identity(path, rec.id or str(rec.number)), inputs.shard):
                continue
            if rec.error is not None:
                yield Unit(path, path, None, rec.id or None, error=f"{where} {rec.number}: {rec.error}")
            else:
                yield Unit(path, path, settings, rec.id, rec.text)
    except datasets.DatasetError as exc:
        yield Unit(path, path, None, error=str(exc))


def total(inputs: Inputs) -> int | None:
    """How many units a run has, when that is known without reading datasets (for the
    progress line): None when a JSONL dataset is among the inputs."""
    from citelint import datasets

    n = 0
    for path, problem, named in _expand(inputs):
        if problem:
            continue
        if named and path != "-" and datasets.is_dataset(path):
            rows = datasets.count(path)
            if rows is None:
                return None
            n += rows if inputs.shard is None else -(-rows // inputs.shard[1])
        elif in_shard(_identity(path), inputs.shard):
            settings = inputs.resolver.settings_for(path)
            n += named and not settings.force_exclude or path == "-" or not settings.excludes(path)
    return n


# linting


def lookup(unit: Unit, known: Sequence[Rule], cache_dir: str | None) -> Unit | Outcome:
    """The cache's answer for a report file (an Outcome), or the unit with its bytes and
    cache key, to be linted. Done in the main process, so that a run the cache answers
    starts no workers, and a worker need not read the file again."""
    from citelint import reading, resultcache

    if cache_dir is None or unit.text is not None or unit.error is not None or unit.settings is None:
        return unit
    try:
        data = sys.stdin.buffer.read() if unit.path == "-" else reading.read_bytes(unit.path)
    except reading.ReadError as exc:
        return Outcome(unit.shown, None, [], FileError(unit.shown, str(exc)))
    settings = unit.settings
    # require-report decides whether a file that is not a report gets findings at all.
    stamp = _settings_stamp(settings, settings.rules_for(unit.shown)) + f"|require-report={settings.require_report}"
    # The reader the settings choose, and a STORM sidecar's state: they change the findings too.
    from citelint import sidecars

    stamp += f"|format={settings.input_format}|sidecar={settings.storm_sidecar}|{sidecars.stamp(unit.path, settings.storm_sidecar)}"
    key = resultcache.key(data, unit.shown, stamp, resultcache.environment_stamp(known))
    hit = resultcache.load(cache_dir, key, unit.shown)
    if hit is not None:
        return Outcome(unit.shown, None, hit, None, _fails(hit, settings), cached=True)
    return unit._replace(data=data, key=key)


def lint_unit(
    unit: Unit, known: Sequence[Rule], cache_dir: str | None = None, fix: FixMode | None = None
) -> Outcome:
    """Lint one unit: a pure function of the unit and the installed rules (with ``fix``, a
    report file is fixed as citelint.api.lint_file fixes it; a dataset's records are only
    linted). A unit that ``lookup`` gave a cache key has its findings stored under it."""
    from citelint import api, reading

    where = unit.shown if unit.record is None else f"{unit.shown}#{unit.record}"
    if unit.error is not None or unit.settings is None:
        return Outcome(unit.shown, unit.record, [], FileError(where, unit.error or "cannot be linted"))
    settings = unit.settings
    if unit.text is not None:
        found = lint_source(unit.text, unit.shown, settings, known, unit.record)
        return Outcome(unit.shown, unit.record, found, None, _fails(found, settings))
    if unit.data is not None:
        try:
            text = reading.decode(unit.data)
        except reading.ReadError as exc:
            return Outcome(unit.shown, None, [], FileError(where, str(exc)))
        got = api.lint_read(unit.path, unit.shown, unit.data, text, settings, known, fix)
        del text
    else:
        got = api.lint_file(unit.path, settings, known, unit.shown, fix)
    if got.error is not None:
        return Outcome(unit.shown, None, [], FileError(*got.error))
    found = got.findings
    stored = False
    # Only a plain lint is cached (a fixed file's findings are those of its new content);
    # not-a-report has no findings to keep.
    if unit.key is not None and cache_dir is not None and fix is None and got.report:
        from citelint import resultcache
        from citelint.engine import INTERNAL_ERROR

        # A crashed rule is a bug to fix, not a result to keep.
        if all(f.code != INTERNAL_ERROR for f in found):
            stored = resultcache.store(cache_dir, unit.key, found)
    return Outcome(
        unit.shown, None, found, None, _fails(found, settings), stored=stored, report=got.report,
        fixed=got.fixed, diff=got.diff, problems=got.problems, fixed_text=got.fixed_text,
    )


# Per process, document-independent: a run has a handful of distinct settings.
_STAMPS: dict[tuple[int, tuple[str, ...]], tuple[Settings, str]] = {}


def _settings_stamp(settings: Settings, rules: Sequence[Rule]) -> str:
    from citelint import resultcache

    memo_key = (id(settings), tuple(r.code for r in rules))
    memo = _STAMPS.get(memo_key)
    if memo is not None and memo[0] is settings:  # the same object, not a reused id
        return memo[1]
    stamp = resultcache.settings_stamp(rules, dict(settings.options), dict(settings.severity))
    if len(_STAMPS) > 256:
        _STAMPS.clear()
    _STAMPS[memo_key] = (settings, stamp)
    return stamp


class _ParseError(Exception):
    pass


def lint_source(
    text: str,
    shown: str,
    settings: Settings,
    known: Sequence[Rule],
    record: str | None = None,
    skip_non_report: bool = False,
) -> list[Finding]:
    """Findings for one report's text under its settings, sorted by line and column; a
    record's findings name it. With ``skip_non_report`` (a Markdown file found among
    reports), a text that is not a report gets none, as the command line skips it."""
    import dataclasses

    from citelint import engine, readers

    try:
        doc = readers.read(text, shown, settings.input_format, settings.storm_sidecar, settings.limits)
    except Exception as exc:  # a parser bug or a broken STORM sidecar: one line, never a traceback
        said = str(exc) if isinstance(exc, readers.ReaderError) else f"internal error while parsing: {type(exc).__name__}: {exc}"
        if record is None:
            raise _ParseError(said) from None
        from citelint.finding import Finding, Severity
        from citelint.model import Span

        message = said
        return [Finding(shown, Span(1, 1, 1, 1), engine.INTERNAL_ERROR, "internal-error", Severity.ERROR, message, record=record)]
    if skip_non_report and not doc.is_report and not settings.require_report:
        return []
    found = engine.check_document(doc, settings.rules_for(shown), settings.options, settings.severity, known)
    if record is not None:
        found = [dataclasses.replace(f, record=record) for f in found]
    return found


def _fails(found: Iterable[Finding], settings: Settings) -> bool:
    return any(f.severity >= settings.fail_on for f in found)


_KNOWN: Sequence[Rule] = ()
_FIX: FixMode | None = None  # set with _KNOWN for the forked workers


def _lint_chunk(chunk: list[Unit], cache_dir: str | None) -> list[Outcome]:
    return [lint_unit(u, _KNOWN, cache_dir, _FIX) for u in chunk]


def outcomes(
    stream: Iterable[Unit],
    known: Sequence[Rule],
    jobs: int = 1,
    cache_dir: str | None = None,
    fix: FixMode | None = None,
) -> Iterator[Outcome]:
    """The outcome of each unit, in order. The cache answers what it can here; with
    ``jobs`` > 1 and enough reports left to lint, forked worker processes lint chunks of
    units, at most IN_FLIGHT_PER_JOB chunks per worker at a time (an ordered imap with a
    bounded window: memory does not grow with the run). A fixing run neither reads nor
    writes the cache: its files change under it."""
    if fix is not None:
        cache_dir = None
    items = (lookup(u, known, cache_dir) for u in stream)
    if jobs <= 1:
        for item in items:
            yield item if isinstance(item, Outcome) else lint_unit(item, known, cache_dir, fix)
        return
    # Look ahead for enough reports to lint to be worth a pool; cache hits pass on at
    # once, and the look-ahead is bounded.
    head: deque[Unit | Outcome] = deque()
    misses = 0
    for item in items:
        head.append(item)
        misses += isinstance(item, Unit)
        if misses >= PARALLEL_MIN_FILES:
            break
        if len(head) > LOOKAHEAD:
            first = head.popleft()
            misses -= isinstance(first, Unit)
            yield first if isinstance(first, Outcome) else lint_unit(first, known, cache_dir, fix)
        while head and isinstance(head[0], Outcome):
            known_outcome = head.popleft()
            assert isinstance(known_outcome, Outcome)
            yield known_outcome
    else:
        for item in head:
            yield item if isinstance(item, Outcome) else lint_unit(item, known, cache_dir, fix)
        return
    if not _can_fork():
        for item in itertools.chain(head, items):
            yield item if isinstance(item, Outcome) else lint_unit(item, known, cache_dir, fix)
        return

    # The first report is linted here before forking: the workers then inherit the
    # parser's compiled patterns and the lexicon pages it read, instead of each paying
    # for them on its own first report.
    for i, item in enumerate(head):
        if isinstance(item, Unit):
            head[i] = lint_unit(item, known, cache_dir, fix)
            break
    yield from _in_workers(itertools.chain(head, items), known, jobs, cache_dir, fix)


def _chunks(stream: Iterable[Unit | Outcome]) -> Iterator[list[Unit] | Outcome]:
    """Runs of units to lint, in chunks of CHUNK, and the outcomes already known between them."""
    chunk: list[Unit] = []
    for item in stream:
        if isinstance(item, Outcome) or item.path == "-":
            # stdin is this process's: it is linted here, never in a worker.
            if chunk:
                yield chunk
                chunk = []
            yield item if isinstance(item, Outcome) else [item]
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_workers(
    stream: Iterable[Unit | Outcome], known: Sequence[Rule], jobs: int, cache_dir: str | None, fix: FixMode | None = None
) -> Iterator[Outcome]:
    global _KNOWN, _FIX
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Forked workers inherit the loaded rules, the fix mode and every imported module.
    _KNOWN, _FIX = known, fix
    chunks = _chunks(stream)
    # In order: a chunk and its future (None: lint it here), or an outcome already known.
    pending: deque[tuple[list[Unit], Future[list[Outcome]] | None] | Outcome] = deque()
    in_flight = 0
    try:
        pool: ProcessPoolExecutor | None = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    except OSError:
        pool = None
    executor = pool
    try:
        while True:
            # Without a pool (it broke), read ahead no further than the next chunk.
            while in_flight < jobs * IN_FLIGHT_PER_JOB and len(pending) < (LOOKAHEAD if pool is not None else 1):
                item = next(chunks, None)
                if item is None:
                    break
                if isinstance(item, Outcome) or pool is None or item[0].path == "-":
                    pending.append(item if isinstance(item, Outcome) else (item, None))
                    continue
                try:
                    pending.append((item, pool.submit(_lint_chunk, item, cache_dir)))
                    in_flight += 1
                except (BrokenProcessPool, RuntimeError, OSError):
                    pool = None  # no more workers: the rest of the run is linted here
                    pending.append((item, None))
            if not pending:
                break
            entry = pending.popleft()
            if isinstance(entry, Outcome):
                yield entry
                continue
            chunk, future = entry
            if future is None:
                yield from _lint_chunk_here(chunk, known, cache_dir, fix)
                continue
            in_flight -= 1
            try:
                done = future.result()
            except Exception:  # noqa: BLE001 - a worker died, or the chunk could not be sent
                # Lint what it had here, and the rest of the run too: no report is lost.
                pool = None
                done = _lint_chunk_here(chunk, known, cache_dir, fix)
                pending = deque(e if isinstance(e, Outcome) else (e[0], None) for e in pending)
                in_flight = 0
            yield from done
    finally:
        if executor is not None:
            # After a failure, do not wait on the pool: CPython's executor can wait forever
            # for a work item it failed to send. Its workers are ended instead.
            clean = pool is not None
            if not clean:
                for process in list(getattr(executor, "_processes", {}).values()):
                    process.terminate()
            executor.shutdown(wait=clean, cancel_futures=True)
        _KNOWN, _FIX = (), None


def _lint_chunk_here(
    chunk: list[Unit], known: Sequence[Rule], cache_dir: str | None, fix: FixMode | None = None
) -> list[Outcome]:
    return [lint_unit(u, known, cache_dir, fix) for u in chunk]


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# the command line


class Tally(NamedTuple):
    """What a streamed run keeps: counts, never findings."""

    reports: Counter[str]  # "files", "records", "cached", "not_reports", "changed", "safe", "unsafe"
    severities: Counter[str]
    rules: Counter[tuple[str, str]]  # findings per (code, name), for --statistics
    fixed: Counter[str]  # fixes applied per rule code
    errors: int
    failed: bool
    internal: bool


def cache_dir_of(args: argparse.Namespace, resolver: Resolver) -> str | None:
    """The result cache's folder, or None when the run does not use it: --no-cache, else
    --cache-dir, else cache-dir of the configuration that applies here, else the default."""
    from citelint import resultcache

    if args.no_cache:
        return None
    if args.cache_dir:
        return str(args.cache_dir)
    configured = resolver.settings_for("-").cache_dir
    return configured or resultcache.default_dir()


def inputs_of(args: argparse.Namespace, resolver: Resolver, seen_inputs: list[str] | None = None) -> Inputs:
    return Inputs(
        args.paths or ["."], resolver, args.stdin_filename, args.text_field, args.id_field, args.shard, seen_inputs
    )


def run_units(
    args: argparse.Namespace, resolver: Resolver, fix: FixMode | None = None, seen_inputs: list[str] | None = None
) -> Iterator[Outcome]:
    """The outcomes of the run the command line asks for, in order; every input named or
    found is added to ``seen_inputs``."""
    from citelint import resultcache

    inputs = inputs_of(args, resolver, seen_inputs)
    cache_dir = cache_dir_of(args, resolver)
    # More workers than CPUs only adds forks that wait for a core.
    jobs = _default_jobs() if args.jobs is None else min(_default_jobs(), args.jobs)
    stored = False
    for outcome in outcomes(units(inputs), resolver.rules, jobs, cache_dir, fix):
        stored = stored or outcome.stored
        yield outcome
    if stored and cache_dir is not None:
        resultcache.prune(cache_dir)


def absorb(result: Result, outcome: Outcome) -> None:
    """Add one outcome to a whole run's Result (findings in the order given)."""
    from citelint import api

    if outcome.error is not None:
        result.errors.append(api.FileError(*outcome.error))
        return
    if not outcome.report:
        result.not_reports.append(outcome.shown)
        return
    result.files += 1
    if not result.paths or result.paths[-1] != outcome.shown:  # a dataset's records: one path
        result.paths.append(outcome.shown)
    result.findings.extend(outcome.findings)
    result.fix_problems.extend((outcome.shown, p) for p in outcome.problems)
    if outcome.fixed:
        result.fixed.update(outcome.fixed)
        result.changed.append(outcome.shown)
    if outcome.diff:
        result.diffs.append(outcome.diff)
    if outcome.fixed_text is not None:
        result.stdin_fixed = outcome.fixed_text
    result.failed = result.failed or outcome.failed


def collect(args: argparse.Namespace, resolver: Resolver, fix: FixMode | None = None) -> Result:
    """The whole run as one Result, for the formats that need it (JSON, SARIF, JUnit, ...)
    and for --diff and fixing standard input: findings sorted by path as before, a
    dataset's records in its order."""
    from citelint import api

    result = api.Result()
    done = 0
    with _progress_for(args, resolver) as progress:
        for outcome in run_units(args, resolver, fix, result.inputs):
            absorb(result, outcome)
            done += 1
            progress.update(done, progress.findings + len(outcome.findings))
    # By path; stable, so that each file's findings and a dataset's records keep their order.
    result.findings.sort(key=lambda f: f.path)
    return result


class _ProgressScope:
    def __init__(self, progress: Any) -> None:
        self.progress = progress

    def __enter__(self) -> Any:
        return self.progress

    def __exit__(self, *exc: object) -> None:
        self.progress.close()


def _progress_for(args: argparse.Namespace, resolver: Resolver) -> _ProgressScope:
    from citelint import progress

    enabled = progress.wanted(args.progress, sys.stderr)
    count = total(inputs_of(args, resolver)) if enabled else None
    return _ProgressScope(progress.Progress(sys.stderr, enabled, count))


def write_streamed(
    args: argparse.Namespace,
    resolver: Resolver,
    write: Callable[[str], None],
    color: bool,
    fix: FixMode | None = None,
    seen_inputs: list[str] | None = None,
    shared_terminal: bool = False,
    held_errors: list[tuple[str, str]] | None = None,
) -> Tally:
    """Lint and write each report's findings (text or JSON lines; nothing with
    --statistics) as soon as it is done; errors and fix warnings go to standard error as
    they come, or errors into ``held_errors`` when given. Returns the counts for the
    summary line."""
    from citelint import formats
    from citelint.cli import _file_error
    from citelint.engine import INTERNAL_ERROR
    from citelint.finding import Applicability

    rules = _rule_infos(resolver.rules) if args.format == "jsonl" else {}
    reports: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    per_rule: Counter[tuple[str, str]] = Counter()
    fixed: Counter[str] = Counter()
    errors = 0
    failed = internal = False
    findings = 0
    with _progress_for(args, resolver) as progress:
        for outcome in run_units(args, resolver, fix, seen_inputs):
            if outcome.error is not None:
                progress.clear()
                errors += 1
                if held_errors is not None:
                    held_errors.append((outcome.error.path, outcome.error.message))
                else:
                    _file_error(outcome.error.path, outcome.error.message)
            elif not outcome.report:
                reports["not_reports"] += 1
            else:
                reports["records" if outcome.record is not None else "files"] += 1
                reports["cached"] += outcome.cached
                for note in outcome.problems:
                    progress.clear()
                    print(f"citelint: warning: {formats.escape_name(outcome.shown)}: {note}", file=sys.stderr)
                if outcome.fixed:
                    fixed.update(outcome.fixed)
                    reports["changed"] += 1
                if outcome.findings:
                    if args.statistics:
                        per_rule.update((f.code, f.name) for f in outcome.findings)
                    else:
                        if shared_terminal:
                            progress.clear()
                        if args.format == "jsonl":
                            lines = [formats.json_line(formats.finding_dict(f, rules)) for f in outcome.findings]
                        else:
                            lines = [formats.text_line(f, color, fixable(f)) for f in outcome.findings]
                        write("".join(line + "\n" for line in lines))
                    findings += len(outcome.findings)
                    severities.update(str(f.severity) for f in outcome.findings)
                    for f in outcome.findings:
                        if f.fix is not None and f.fix.edits and f.record is None:
                            if f.fix.applicability is Applicability.SAFE:
                                reports["safe"] += 1
                            elif f.fix.applicability is Applicability.UNSAFE:
                                reports["unsafe"] += 1
                    internal = internal or any(f.code == INTERNAL_ERROR for f in outcome.findings)
                failed = failed or outcome.failed
            progress.update(reports["files"] + reports["records"] + reports["not_reports"] + errors, findings)
    return Tally(reports, severities, per_rule, fixed, errors, failed, internal)


def fixable(finding: Finding) -> bool:
    """The text output's ``[*]`` mark: a fix that --fix (or --unsafe-fixes) can apply (not
    in a dataset's record, which --fix does not rewrite)."""
    return finding.record is None and finding.fix is not None and bool(finding.fix.edits) and str(finding.fix.applicability) != "display"


def _same_terminal(a: object, b: object) -> bool:
    try:
        return bool(getattr(a, "isatty")() and getattr(b, "isatty")())
    except (AttributeError, ValueError):
        return False


def _rule_infos(rules: Sequence[Rule]) -> dict[str, Any]:
    from citelint.docs import page
    from citelint.formats import RuleInfo

    return {r.code: RuleInfo(r.code, r.name, r.severity, r.summary, page(r.code)) for r in rules}


def summary(tally: Tally) -> str:
    """The text format's summary line, from counts (as formats.summary_line words it); a run
    with dataset records counts reports."""
    from citelint import formats

    files, records = tally.reports["files"], tally.reports["records"]
    noun = "files" if not records else "reports"
    return formats.summary_from_counts(tally.severities, files + records, tally.reports["not_reports"], noun)


def lint_streamed(args: argparse.Namespace, resolver: Resolver, fix: FixMode | None = None) -> int:
    """The text and jsonl formats: findings are written as the run goes, to standard output
    or, with -o, to a temporary file that replaces the output file whole at the end (and
    only when the output file is none of the inputs)."""
    import tempfile

    from citelint import cli, formats

    target = args.output_file
    spool = tempfile.TemporaryFile() if target else None
    utf8 = args.format in formats.BINARY_SAFE

    def write(text: str) -> None:
        if spool is not None:
            spool.write(formats.encode(text))
        else:
            cli._write_stdout(text, utf8)

    seen_inputs: list[str] = []
    # With -o, errors are said after the output file is written, or not at all when it may
    # not be (as for the other formats).
    held_errors: list[tuple[str, str]] | None = [] if target else None
    try:
        # An output file is colored only when asked for by name (--color always).
        color = args.format == "text" and (args.color == "always" if target else formats.use_color(sys.stdout, args.color))
        shared = target is None and _same_terminal(sys.stdout, sys.stderr)
        tally = write_streamed(args, resolver, write, color, fix, seen_inputs, shared, held_errors)
        if args.format == "text":
            lines = []
            if args.statistics:
                lines.extend(formats.statistics_from_counts(tally.rules))
            if not args.quiet:
                lines.append(summary(tally))
            if not (args.quiet or args.statistics):
                reports = tally.reports
                lines.extend(cli.fix_notes(tally.fixed, reports["changed"], reports["safe"], reports["unsafe"], fix is not None))
            if lines:
                write("".join(line + "\n" for line in lines))
        if spool is not None and target is not None:
            # Checked against every input named or found, read or not: a file that could
            # not be linted is still the user's file.
            if cli.is_input(target, seen_inputs):
                cli._error(f"{formats.escape_name(target)}: the output file is one of the files being linted; not overwriting it")
                return cli.EXIT_ERROR
            spool.seek(0)
            problem = cli.write_file(target, spool.read())
            if problem:
                cli._error(f"{formats.escape_name(target)}: {problem}")
                return cli.EXIT_ERROR
            for path, message in held_errors or ():
                cli._file_error(path, message)
    finally:
        if spool is not None:
            spool.close()
    if tally.errors or tally.internal:
        return cli.EXIT_ERROR
    return cli.EXIT_FINDINGS if tally.failed and not args.exit_zero else cli.EXIT_CLEAN
