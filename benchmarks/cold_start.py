"""Wall and CPU time of cold `citelint` runs: a new process each time, as pre-commit starts it.

    python benchmarks/cold_start.py [--runs N] [--citelint PATH]

Times the installed console script (or PATH: for a figure as pre-commit sees it, install
the project into a fresh virtual environment, `python -m venv v && v/bin/pip install .`,
and pass v/bin/citelint) on one report and on a whole corpus
(../shared/corpus/smartbook when present, else 250 copies of examples/report.md). Each
figure is the median of N runs; a first run with an empty cache directory is shown apart
(the lexicon ships compiled, so it only writes the small cache; benchmarks/install.py
measures it properly). Bytecode is written by the warm-up
run (PYTHONDONTWRITEBYTECODE is cleared), as it is in any pip-installed environment.

Each one-report figure is also given with ``--no-cache``: the run a pre-commit hook makes
after the report changed, which parses it and scores its clauses. Besides wall time, each
line gives the CPU time (user + system) of the child process: on a machine shared with
other work, wall time measures the neighbours as much as citelint, CPU time much less so,
and a few milliseconds of start-up cost show in it.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"one report": 0.25, "corpus": 1.0}


def script() -> str:
    found = Path(sysconfig.get_path("scripts")) / "citelint"
    if found.exists():
        return str(found)
    which = shutil.which("citelint")
    if which is None:
        sys.exit("citelint is not installed: pip install -e .")
    return which


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the child) of one run of ``cmd``."""
    cpu = _child_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed, _child_cpu() - cpu


def timed(cmd: list[str], env: dict[str, str]) -> float:
    return timed_cpu(cmd, env)[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--citelint", help="the citelint executable to time (default: this environment's)")
    args = ap.parse_args()
    exe = args.citelint or script()
    python = str(Path(exe).with_name("python")) if args.citelint else sys.executable
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        env["CITELINT_CACHE_DIR"] = str(Path(tmp) / "cache")
        one = ROOT / "examples" / "report.md"
        reference = ROOT.parent / "shared" / "examples" / "iran-missiles.md"
        shared_corpus = ROOT.parent / "shared" / "corpus" / "smartbook"
        if shared_corpus.is_dir():
            corpus = shared_corpus
        else:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            for i in range(250):
                shutil.copy(one, corpus / f"report-{i:03d}.md")
        n_files = len(list(corpus.glob("*.md")))
        first = timed([exe, "-q", str(one)], env)
        print(f"citelint: {exe}")
        print(f"first run, empty cache: {first:.3f} s")
        reports = [one] + ([reference] if reference.exists() else [])
        targets = [("one report", r, opts) for r in reports for opts in ([], ["--no-cache"])]
        targets.append(("corpus", corpus, []))
        for name, target, opts in targets:
            cmd = [exe, "-q", *opts, str(target)]
            timed(cmd, env)  # warm-up: bytecode and caches
            runs = [timed_cpu(cmd, env) for _ in range(args.runs)]
            times, cpu = [w for w, _ in runs], [c for _, c in runs]
            label = f"{name} ({n_files} files)" if name == "corpus" else f"{name} ({target.name}{', ' + ' '.join(opts) if opts else ''})"
            label = label[:44]
            goal = TARGETS[name]
            verdict = "ok" if statistics.median(times) <= goal else "OVER TARGET"
            print(
                f"{label:44} median {statistics.median(times):.3f} s  min {min(times):.3f} s  "
                f"max {max(times):.3f} s  CPU median {statistics.median(cpu) * 1000:.1f} ms min {min(cpu) * 1000:.1f} ms  "
                f"target <= {goal} s  {verdict}"
            )
        base = [timed_cpu([python, "-c", "pass"], env) for _ in range(args.runs)]
        print(
            f"{'bare python start-up':44} median {statistics.median(w for w, _ in base):.3f} s  "
            f"CPU median {statistics.median(c for _, c in base) * 1000:.1f} ms (for scale)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
