"""The ``citelint`` command."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
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
        "'citelint rule CODE' explains one, 'citelint inspect FILE' shows what the reader saw.",
    )
    ap.add_argument("paths", nargs="*", metavar="PATH", help="report files or directories ('-' reads stdin); default: .")
    ap.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary line")
    out = ap.add_argument_group("output")
    out.add_argument("--format", choices=FORMATS, default="text")
    out.add_argument("-o", "--output-file", metavar="PATH", help="write the report to PATH instead of standard output")
    out.add_argument(
        "--stdin-filename", metavar="PATH",
        help="lint standard input ('-') as if it were PATH: its name in findings, its configuration",
    )
    ap.add_argument(
        "-j", "--jobs", type=int, default=None, metavar="N",
        help="worker processes for many files (default: one per CPU; 1 lints in this process)",
    )
    cfg = ap.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="PATH", help="use this configuration file for every path")
    cfg.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    cfg.add_argument("--select", type=_rule_list, metavar="RULES", help="rules to run, comma-separated (replaces select)")
    cfg.add_argument("--extend-select", type=_rule_list, default=(), metavar="RULES", help="rules to run as well")
    cfg.add_argument("--ignore", type=_rule_list, default=(), metavar="RULES", help="rules not to run")
    cfg.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="least severity that fails the run (default: warning)"
    )
    cfg.add_argument("--exit-zero", action="store_true", help="exit 0 despite findings (2 still means an error)")
    cfg.add_argument("--force-exclude", action="store_true", default=None, help="apply exclude to files named here too")
    cfg.add_argument("--show-settings", metavar="PATH", help="print the settings that apply to PATH, and exit")
    ap.add_argument("--version", action="version", version=f"citelint {__version__}")
    return ap


def _rule_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _error(message: str) -> None:
    print(f"citelint: error: {message}", file=sys.stderr)


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


def _resolver(args: argparse.Namespace) -> Resolver:
    from citelint.config import Overrides, Resolver
    from citelint.registry import load_rules

    overrides = Overrides(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        fail_on=args.fail_on,
        force_exclude=args.force_exclude,
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
    import os

    from citelint import api, formats
    from citelint.engine import INTERNAL_ERROR

    if args.jobs is not None and args.jobs < 1:
        _error("--jobs must be 1 or more")
        return EXIT_ERROR
    paths = args.paths or ["."]
    if args.stdin_filename and "-" not in paths:
        _error("--stdin-filename names the buffer read from '-'; give '-' as the path")
        return EXIT_ERROR
    result = api.run(paths, jobs=args.jobs, resolver=_resolver(args), stdin_filename=args.stdin_filename)
    target = args.output_file
    if target and os.path.exists(target) and any(p != "-" and os.path.samefile(p, target) for p in result.paths):
        _error(f"{args.output_file}: the output file is one of the files being linted; not overwriting it")
        return EXIT_ERROR
    stream = open(args.output_file, "w", encoding="utf-8", newline="") if args.output_file else sys.stdout
    try:
        if args.format == "text":
            report = formats.Report(result.findings, result.paths, {}, [])
            stream.write(
                formats.format_text(report, formats.use_color(stream), not args.quiet, len(result.not_reports))
            )
        else:
            stream.write(formats.FORMATTERS[args.format](_report(result)))
    finally:
        if stream is not sys.stdout:
            stream.close()
    for error in result.errors:
        _error(f"{error.path}: {error.message}")
    if result.errors or any(f.code == INTERNAL_ERROR for f in result.findings):
        return EXIT_ERROR
    return EXIT_FINDINGS if result.failed and not args.exit_zero else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    from citelint.config import ConfigError
    from citelint.registry import RuleLoadError

    try:
        if args_list[:1] == ["rules"]:
            return _list_rules()
        if args_list[:1] == ["rule"]:
            return _show_rule(args_list[1:])
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
