"""Wall time of cold `citelint` runs: a new process each time, as pre-commit starts it.

    python benchmarks/cold_start.py [--runs N] [--citelint PATH]

Times the installed console script (or PATH: for a figure as pre-commit sees it, install
the project into a fresh virtual environment, `python -m venv v && v/bin/pip install .`,
and pass v/bin/citelint) on one report and on a whole corpus
(../shared/corpus/smartbook when present, else 250 copies of examples/report.md). Each
figure is the median of N runs; a first run with an empty cache directory is shown apart
(the lexicon ships compiled, so it only writes the small cache; benchmarks/install.py
measures it properly). Bytecode is written by the warm-up
run (PYTHONDONTWRITEBYTECODE is cleared), as it is in any pip-installed environment.
"""
from __future__ import annotations

import argparse
import os
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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed


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
        targets = [("one report", one)] + ([("one report", reference)] if reference.exists() else []) + [("corpus", corpus)]
        for name, target in targets:
            timed([exe, "-q", str(target)], env)  # warm-up: bytecode and caches
            times = [timed([exe, "-q", str(target)], env) for _ in range(args.runs)]
            label = f"{name} ({n_files} files)" if name == "corpus" else f"{name} ({target.name})"
            label = label[:40]
            goal = TARGETS[name]
            verdict = "ok" if statistics.median(times) <= goal else "OVER TARGET"
            print(
                f"{label:40} median {statistics.median(times):.3f} s  min {min(times):.3f} s  "
                f"max {max(times):.3f} s  target <= {goal} s  {verdict}"
            )
        base = [timed([python, "-c", "pass"], env) for _ in range(args.runs)]
        print(f"{'bare python start-up':40} median {statistics.median(base):.3f} s (for scale)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
