"""Time the CLI on every input family of issue 8 at size n and 4n.

    python benchmarks/complexity.py [--timeout SECONDS] [--scale F] [--only NAME[,NAME]]

Each family (tests/families.py) is written to a file and linted by a fresh
``python -m citelint -q FILE`` process: the figures are what a user or a pre-commit hook
sees, start-up included. For each run it prints the wall time and the peak memory (RSS) of
that process; a run past the timeout prints "timeout" (the family is still quadratic or
worse). The ratio is the 4n time over the n time: about 4 for linear work, 16 for quadratic.
``--scale`` multiplies every n (0.25 runs the families at a quarter of issue 8's sizes).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.families import FAMILIES, Family, summary_commas  # noqa: E402

# Issue 8's memory family: 'ab,' x 30,000 took 2.6 GB; x 100,000 (300 KB) ran out of memory.
MEMORY = Family("memory-ab,", summary_commas, 30_000, "'ab,' in the summary (peak memory)")


def run(path: Path, timeout: float, cache: str) -> tuple[float | None, float | None, str]:
    """Wall time (None on timeout), peak RSS in MB and the last line of stderr of one run."""
    env = {**os.environ, "CITELINT_CACHE_DIR": cache}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "citelint", "-q", "--isolated", "-j", "1", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            start_new_session=True,
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                elapsed = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return None, None, ""
            time.sleep(0.02)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    # ru_maxrss is in kilobytes on Linux.
    return elapsed, usage.ru_maxrss / 1024, (lines[-1][:60] if lines and proc.returncode == 2 else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per run (default 30)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n (default 1)")
    parser.add_argument("--only", default="", help="comma-separated family names")
    args = parser.parse_args()
    wanted = {n for n in args.only.split(",") if n}
    families = [f for f in (*FAMILIES, MEMORY) if not wanted or f.name in wanted]
    print(f"{'family':22} {'n':>9} {'t(n) s':>8} {'t(4n) s':>8} {'ratio':>6} {'MB(n)':>7} {'MB(4n)':>7}  unit")
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "cache")
        warm = Path(tmp, "warm-up.md")
        warm.write_text(FAMILIES[0].build(1), encoding="utf-8")
        run(warm, args.timeout, cache)  # fills the cache of installed rules: not timed
        for family in families:
            n = max(1, int(family.n * args.scale))
            times: list[float | None] = []
            memory: list[float | None] = []
            note = ""
            for size in (n, 4 * n):
                path = Path(tmp, f"{family.name}-{size}.md")
                path.write_text(family.build(size), encoding="utf-8")
                elapsed, rss, error = run(path, args.timeout, cache)
                path.unlink()
                times.append(elapsed)
                memory.append(rss)
                note = note or error
                if elapsed is None:
                    break  # 4n would time out too
            while len(times) < 2:
                times.append(None)
                memory.append(None)
            shown = [f"{t:8.2f}" if t is not None else " timeout" for t in times]
            t1, t4 = times
            ratio = f"{t4 / t1:6.1f}" if t1 and t4 else "     -"
            mb = [f"{m:7.0f}" if m is not None else "      -" for m in memory]
            print(f"{family.name:22} {n:9d} {shown[0]} {shown[1]} {ratio} {mb[0]} {mb[1]}  {family.unit}{'; exit 2: ' + note if note else ''}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
