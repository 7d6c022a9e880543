"""The ``citelint`` command."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from citelint import __version__
from citelint.formats import FORMATS

if TYPE_CHECKING:
    from citelint import api, formats
    from citelint.config import Resolver

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="citelint",
        description="Lint cited research reports. Subcommands: 'citelint rules' lists the rules, "
        "'citelint rule CODE' explains one, 'citelint inspect FILE' shows what the reader saw, 'citelint server' runs the language server.",
    )
    ap.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="report files, directories or glob patterns ('reports/**/*.md'); '-' reads stdin; default: .",
    )
    ap.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary line")
    out = ap.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS, default="text")
    out.add_argument("-o", "--output-file", metavar="PATH", help="write the report to PATH instead of standard output")
    out.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="color the text output: auto (default) colors on a terminal, or when FORCE_COLOR is set, never when NO_COLOR is",
    )
    out.add_argument(
        "--statistics", action="store_true", help="print one line per rule (count, code, name), most frequent first, instead of the findings"
    )
    out.add_argument(
        "--stdin-filename", metavar="PATH",
        help="lint standard input ('-') as if it were PATH: its name in findings, its configuration",
    )
    fixing = ap.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply safe fixes, then report what is left")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too")
    fixing.add_argument(
        "--diff", action="store_true", help="write nothing: print the fixes as a unified diff (exit 1 if any)"
    )
    ap.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help="worker processes for many files (default: one per CPU; 1 lints in this process)",
    )
    cfg = ap.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="PATH", help="use this configuration file for every path")
    cfg.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    cfg.add_argument("--select", type=_comma_list, metavar="RULES", help="rules to run, comma-separated (replaces select)")
    cfg.add_argument("--extend-select", type=_comma_list, default=(), metavar="RULES", help="rules to run as well")
    cfg.add_argument("--ignore", type=_comma_list, default=(), metavar="RULES", help="rules not to run")
    cfg.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="least severity that fails the run (default: warning)"
    )
    cfg.add_argument("--exit-zero", action="store_true", help="exit 0 despite findings (2 still means an error)")
    cfg.add_argument("--force-exclude", action="store_true", default=None, help="apply exclude to files named here too")
    cfg.add_argument(
        "--exclude", type=_comma_list, metavar="PATTERNS",
        help="glob patterns (comma-separated) of files and folders not to lint, replacing the configuration's exclude",
    )
    cfg.add_argument("--extend-exclude", type=_comma_list, default=(), metavar="PATTERNS", help="more patterns to exclude")
    cfg.add_argument(
        "--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
        help="leave out what .gitignore and .ignore files ignore when walking folders (default: on)",
    )
    cfg.add_argument(
        "--input-format",
        choices=("auto", "smartbook", "endnotes", "footnotes", "storm", "inline-links"),
        help="read every file as this report format (default: the format key, else auto-detected per file)",
    )
    cfg.add_argument("--show-settings", metavar="PATH", help="print the settings that apply to PATH, and exit")
    ap.add_argument("-V", "--version", action="version", version=f"citelint {__version__}")
    # Datasets, result cache, shards and progress: declared and run in citelint/streaming.py.
    from citelint.streaming import add_arguments

    add_arguments(ap)
    return ap


def _comma_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _error(message: str) -> None:
    print(f"citelint: error: {message}", file=sys.stderr)


def _file_error(path: str, message: str) -> None:
    from citelint.formats import escape_name

    _error(f"{escape_name(path)}: {message}")


def _list_rules() -> int:
    from citelint.registry import load_rules

    for r in load_rules():
        print(f"{r.code}  {r.name:32} {str(r.severity):8} {r.summary}")
    return EXIT_CLEAN


def _show_rule(args: list[str]) -> int:
    from citelint.docs import find_rule, page, suggest
    from citelint.registry import load_rules

    if len(args) != 1:
        _error("usage: citelint rule CODE-or-name")
        return EXIT_ERROR
    rules = load_rules()
    found = find_rule(rules, args[0])
    if found is None:
        hint = suggest(rules, args[0])
        _error(f"unknown rule '{args[0]}'" + (f", did you mean '{hint}'?" if hint else "; see 'citelint rules'"))
        return EXIT_ERROR
    text = page(found.code)
    if text is None:  # a plugin's rule: it has no page here
        text = f"# {found.code} {found.name}\n\n**Severity:** {found.severity}. {found.summary}\n"
    sys.stdout.write(text)
    return EXIT_CLEAN


def _server(args: list[str]) -> int:
    """The language server; pygls comes with the ``lsp`` extra, imported only here."""
    try:
        from citelint import server
    except ImportError as exc:
        _error(f"the language server needs the lsp extra: pip install 'citelint-reports[lsp]' ({exc})")
        return EXIT_ERROR
    return server.main(args)


def _resolver(args: argparse.Namespace) -> Resolver:
    from citelint.config import Overrides, Resolver
    from citelint.registry import load_rules

    overrides = Overrides(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        fail_on=args.fail_on,
        force_exclude=args.force_exclude,
        exclude=args.exclude,
        extend_exclude=args.extend_exclude,
        respect_gitignore=args.respect_gitignore,
        input_format=args.input_format,
    )
    return Resolver(load_rules(), config=args.config, isolated=args.isolated, overrides=overrides)


def _show_settings(args: argparse.Namespace) -> int:
    import json

    resolver = _resolver(args)
    settings = resolver.settings_for(args.show_settings)
    described = settings.describe()
    described["path"] = args.show_settings
    described["rules-for-path"] = [r.code for r in settings.rules_for(args.show_settings)]
    described["excluded"] = settings.excludes(args.show_settings)
    print(json.dumps(described, indent=2))
    return EXIT_CLEAN


def _report(result: api.Result) -> formats.Report:
    from citelint.docs import page
    from citelint.formats import Report, RuleInfo
    from citelint.registry import load_rules

    rules = {r.code: RuleInfo(r.code, r.name, r.severity, r.summary, page(r.code)) for r in load_rules()}
    return Report(result.findings, result.paths, rules, [(e.path, e.message) for e in result.errors])


def _lint(args: argparse.Namespace) -> int:
    # Not citelint.api (the parser and mistune) unless fixing: a run the result cache
    # answers needs neither.
    from citelint import formats
    from citelint.engine import INTERNAL_ERROR

    if args.jobs is not None and args.jobs < 1:
        _error("--jobs must be 1 or more")
        return EXIT_ERROR
    if args.statistics and args.format != "text":
        _error("--statistics goes with the text format")
        return EXIT_ERROR
    paths = args.paths or ["."]
    if args.stdin_filename and "-" not in paths:
        _error("--stdin-filename names the buffer read from '-'; give '-' as the path")
        return EXIT_ERROR
    fix = None
    if args.fix or args.diff:
        from citelint.api import FixMode

        fix = FixMode(diff=args.diff, unsafe=args.unsafe_fixes)
    fixing_stdin = fix is not None and "-" in paths
    # Corpus scale (citelint/streaming.py): text and jsonl are written report by report as
    # the run goes; the other formats, --diff and fixing standard input need the whole run,
    # collected here.
    from citelint import streaming

    resolver = _resolver(args)
    if args.format in streaming.STREAMED_FORMATS and not args.diff and not fixing_stdin:
        return streaming.lint_streamed(args, resolver, fix)
    result = streaming.collect(args, resolver, fix)
    for path, note in result.fix_problems:
        print(f"citelint: warning: {formats.escape_name(path)}: {note}", file=sys.stderr)
    if args.diff:
        _write_stdout("".join(result.diffs), utf8=True)
        for error in result.errors:
            _file_error(error.path, error.message)
        if result.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if result.diffs else EXIT_CLEAN
    if fixing_stdin and result.stdin_fixed is not None:
        # The fixed text is standard output, as a formatter's is; the findings left go to
        # standard error (or -o).
        _write_stdout(result.stdin_fixed, utf8=True)
    target = args.output_file
    # Checked against every input named or found, read or not: a file that could not be
    # linted is still the user's file.
    if target and is_input(target, result.inputs):
        _error(f"{formats.escape_name(target)}: the output file is one of the files being linted; not overwriting it")
        return EXIT_ERROR
    if args.format == "text":
        report = formats.Report(result.findings, result.paths, {}, [])
        # An output file is colored only when asked for by name (--color always).
        shown_on = sys.stderr if fixing_stdin else sys.stdout
        color = args.color == "always" if target else formats.use_color(shown_on, args.color)
        text = formats.format_text(
            report,
            color,
            summary=not args.quiet,
            stats=args.statistics,
            not_reports=len(result.not_reports),
            is_fixable=streaming.fixable,
            notes=_fix_notes(result, fix) if not (args.quiet or args.statistics) else (),
        )
    else:
        text = formats.FORMATTERS[args.format](_report(result))
    if target:
        problem = write_file(target, formats.encode(text))
        if problem:
            _error(f"{formats.escape_name(target)}: {problem}")
            return EXIT_ERROR
    elif fixing_stdin:
        sys.stderr.write(text)
    else:
        _write_stdout(text, utf8=args.format in formats.BINARY_SAFE)
    for error in result.errors:
        _file_error(error.path, error.message)
    if result.errors or any(f.code == INTERNAL_ERROR for f in result.findings):
        return EXIT_ERROR
    return EXIT_FINDINGS if result.failed and not args.exit_zero else EXIT_CLEAN


def _fix_notes(result: api.Result, fix: api.FixMode | None) -> list[str]:
    """What the fixes did, or could do, in a line or two after the summary."""
    from citelint.finding import Applicability

    # A dataset's records are not rewritten by --fix: their fixes are not counted.
    fixable = [f for f in result.findings if f.fix is not None and f.fix.edits and f.record is None]
    safe = sum(1 for f in fixable if f.fix is not None and f.fix.applicability is Applicability.SAFE)
    unsafe = sum(1 for f in fixable if f.fix is not None and f.fix.applicability is Applicability.UNSAFE)
    return fix_notes(result.fixed, len(result.changed), safe, unsafe, fix is not None)


def fix_notes(fixed: Mapping[str, int], changed: int, safe: int, unsafe: int, fixing: bool) -> list[str]:
    """The notes from counts (a streamed run keeps no findings): fixes applied per rule,
    files changed, and the findings left that --fix (--unsafe-fixes) could repair."""
    notes = []
    if fixing and fixed:
        total = sum(fixed.values())
        per_rule = ", ".join(f"{code} {n}" for code, n in sorted(fixed.items()))
        notes.append(f"Fixed {total} finding{'s' if total != 1 else ''} ({per_rule}) in {changed} file{'s' if changed != 1 else ''}.")
    if safe or unsafe:
        parts = []
        if safe:
            parts.append(f"{safe} fixable with --fix")
        if unsafe:
            parts.append(f"{unsafe} more with --fix --unsafe-fixes" if safe else f"{unsafe} fixable with --fix --unsafe-fixes")
        notes.append("[*] " + "; ".join(parts) + ".")
    return notes


def _write_stdout(text: str, utf8: bool) -> None:
    """Text in the terminal's encoding (what it cannot hold escaped, never a crash); the
    formats for programs always in UTF-8."""
    from citelint.formats import encode

    if sys.stdout is None:  # started with standard output closed: nowhere to write
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream replaced by a text-only one (an embedding program)
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(encode(text, "utf-8" if utf8 else (sys.stdout.encoding or "utf-8")))
    buffer.flush()


def is_input(target: str, inputs: list[str]) -> bool:
    """Whether ``target`` is one of ``inputs``: the same path once symlinks and '..' are
    resolved, or the same file under another name (a hard link)."""
    import os

    try:
        st = os.stat(target)
        ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        ident = None
    real = os.path.realpath(target)
    for path in inputs:
        if path == "-":
            continue
        if os.path.realpath(path) == real:
            return True
        if ident is not None:
            try:
                other = os.stat(path)
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == ident:
                return True
    return False


def write_file(target: str, data: bytes) -> str | None:
    """Write ``data`` to ``target`` whole or not at all: into a temporary file beside it,
    then renamed over it. None, or the one-line reason it could not be written."""
    import os
    import stat

    from citelint import atomic

    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        from citelint.discovery import stat_problem

        return f"cannot write the output file: {stat_problem(target, exc)}"
    if st is not None and stat.S_ISDIR(st.st_mode):
        return "cannot write the output file: is a directory"
    if st is not None and not stat.S_ISREG(st.st_mode):
        # A device or a pipe (/dev/null, /dev/stdout): written in place, there is nothing
        # to replace.
        try:
            with open(target, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            return f"cannot write the output file: {exc.strerror or exc}"
        return None
    real = os.path.realpath(target)  # a symlink keeps pointing at the file it names
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        return "cannot write the output file: no such directory"
    if st is not None and (not st.st_mode & 0o222 or not os.access(real, os.W_OK)):
        return "cannot write the output file: it is read-only; not replacing it"
    try:
        atomic.replace(real, data, stat.S_IMODE(st.st_mode) if st is not None else None)
    except OSError as exc:
        return f"cannot write the output file: {exc.strerror or exc}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    from citelint.config import ConfigError
    from citelint.registry import RuleLoadError

    try:
        if args_list[:1] == ["rules"]:
            return _list_rules()
        if args_list[:1] == ["rule"]:
            return _show_rule(args_list[1:])
        if args_list[:1] == ["server"]:
            return _server(args_list[1:])
        if args_list[:1] == ["inspect"]:
            from citelint import inspect

            return inspect.main(args_list[1:])
        args = _parser().parse_args(args_list)
        if args.show_settings:
            return _show_settings(args)
        return _lint(args)
    except (RuleLoadError, ConfigError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    except SystemExit as exc:  # argparse: usage errors exit 2, --help and --version 0
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_ERROR
    except BrokenPipeError:  # `citelint ... | head` closed the pipe: not our error
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
