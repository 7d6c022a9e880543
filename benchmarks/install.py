"""What installing citelint costs, and what an empty or unwritable cache costs a run.

    python benchmarks/install.py [--runs N] [--wheel PATH] [--keep DIR]

1. Builds a wheel from a temporary copy of this checkout (or takes --wheel), makes a fresh
   virtual environment (`python -m venv`), and measures how much its site-packages grows
   when `pip install <wheel>` installs citelint and its dependencies (target <= 35 MB).
2. With that environment's `citelint`, times one report (examples/report.md): a first run
   with an empty cache directory (a new one every run), a first run whose cache cannot be
   written (CITELINT_CACHE_DIR under a regular file), and a warm run (target: both first
   runs within 1.5x of the warm run).
3. Times 40 reports (the first 40 of ../shared/corpus/smartbook, else 40 copies of the
   example) at `-j 8` with an empty cache against `-j 1` warm (target: within 1.5x), and
   samples the memory of the whole process tree every 10 ms (target: peak < 200 MB
   together). "Together" is the sum of PSS (proportional set size: a page shared by k
   processes, such as the memory-mapped lexicon or what forked workers share with their
   parent, counts 1/k in each), which is what the processes cost the machine; the sum of
   RSS, which counts shared pages once per process, is printed beside it.

Every run passes --no-cache, which turns off the result cache (a warm run would otherwise
replay the findings of the last run instead of linting): these targets measure what the
compiled data and the caches of entry points and configuration cost a first run. What the
result cache saves is measured by benchmarks/scale.py.

Figures are medians of N runs. Linux only (reads /proc).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
SITE_TARGET_MB = 35.0
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 200.0


def du(path: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def build_wheel(tmp: Path) -> Path:
    source = tmp / "src"
    shutil.copytree(
        ROOT, source,
        ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache", ".coverage*"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(source)], check=True
    )
    (wheel,) = (tmp / "dist").glob("*.whl")
    return wheel


def fresh_venv(where: Path, wheel: Path) -> tuple[Path, int, int]:
    """(the venv's citelint, site-packages bytes before, after installing the wheel)."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )
    before = du(site)
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return where / "bin" / "citelint", before, du(site)


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) or proc.stderr:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of a process in bytes, or zeros once it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return pss, rss


def run_sampled(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    # Timing figures come from timed(): this one shares the CPU with its sampler.
    """(wall time, peak summed PSS, peak summed RSS) of the process tree of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            totals = [0, 0]
            for pid in _tree(proc.pid):
                pss, rss = _memory(pid)
                totals[0] += pss
                totals[1] += rss
            peak[0] = max(peak[0], totals[0])
            peak[1] = max(peak[1], totals[1])
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1) or err:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()}")
    return elapsed, peak[0], peak[1]


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--wheel", type=Path, help="the wheel to install (default: build one from this checkout)")
    ap.add_argument("--keep", type=Path, help="make the virtual environment here and keep it")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "CITELINT_CACHE_DIR")}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        wheel = args.wheel or build_wheel(tmp)
        venv = args.keep or tmp / "venv"
        exe, before, after = fresh_venv(venv, wheel)
        added = (after - before) / MB
        print(f"wheel: {wheel.name} ({wheel.stat().st_size / MB:.1f} MB)")
        print(
            f"site-packages added by pip install: {added:.1f} MB (fresh venv {before / MB:.1f} MB -> "
            f"{after / MB:.1f} MB)  target <= {SITE_TARGET_MB:.0f} MB  {verdict(added <= SITE_TARGET_MB)}"
        )

        one = ROOT / "examples" / "report.md"
        blocker = tmp / "not-a-directory"
        blocker.write_text("")
        warm_dir = tmp / "warm-cache"
        warm_env = {**env, "CITELINT_CACHE_DIR": str(warm_dir)}
        timed([str(exe), "-q", "--no-cache", str(one)], warm_env)  # warm-up: the cache, the page cache
        # Interleaved, so that a slow moment of a shared machine hits every kind alike.
        warm, empty, unwritable = [], [], []
        for i in range(args.runs):
            warm.append(timed([str(exe), "-q", "--no-cache", str(one)], warm_env))
            empty.append(timed([str(exe), "-q", "--no-cache", str(one)], {**env, "CITELINT_CACHE_DIR": str(tmp / f"empty-{i}")}))
            unwritable.append(timed([str(exe), "-q", "--no-cache", str(one)], {**env, "CITELINT_CACHE_DIR": str(blocker / "cache")}))
        base = statistics.median(warm)
        print(f"one report, warm cache:          median {base:.3f} s  (min {min(warm):.3f}, max {max(warm):.3f})")
        for name, times in (("empty cache", empty), ("unwritable cache", unwritable)):
            ratio = statistics.median(times) / base
            print(
                f"one report, first run, {name + ':':17} median {statistics.median(times):.3f} s  = {ratio:.2f}x warm  "
                f"target <= {RATIO_TARGET}x  {verdict(ratio <= RATIO_TARGET)}"
            )

        corpus = tmp / "forty"
        corpus.mkdir()
        shared = ROOT.parent / "shared" / "corpus" / "smartbook"
        sources = sorted(shared.glob("*.md"))[:40] if shared.is_dir() else []
        if len(sources) < 40:
            sources = [one] * 40
        for i, src in enumerate(sources):
            shutil.copy(src, corpus / f"report-{i:02d}.md")
        print(f"40 reports from {'../shared/corpus/smartbook' if sources[0] != one else 'examples/report.md'}:")
        timed([str(exe), "-q", "--no-cache", "-j", "1", str(corpus)], warm_env)
        serial, parallel, pss_peaks, rss_peaks = [], [], [], []
        for i in range(args.runs):
            serial.append(timed([str(exe), "-q", "--no-cache", "-j", "1", str(corpus)], warm_env))
            parallel.append(
                timed([str(exe), "-q", "--no-cache", "-j", "8", str(corpus)], {**env, "CITELINT_CACHE_DIR": str(tmp / f"empty-j8-{i}")})
            )
        # Memory apart: sampling /proc takes CPU the timed runs should not lose.
        for i in range(args.runs):
            _, pss, rss = run_sampled(
                [str(exe), "-q", "--no-cache", "-j", "8", str(corpus)], {**env, "CITELINT_CACHE_DIR": str(tmp / f"empty-mem-{i}")}
            )
            pss_peaks.append(pss)
            rss_peaks.append(rss)
        ratio = statistics.median(parallel) / statistics.median(serial)
        peak = max(pss_peaks) / MB
        print(f"  -j 1, warm cache:   median {statistics.median(serial):.3f} s")
        print(
            f"  -j 8, empty cache:  median {statistics.median(parallel):.3f} s  = {ratio:.2f}x  "
            f"target <= {RATIO_TARGET}x  {verdict(ratio <= RATIO_TARGET)}"
        )
        print(
            f"  -j 8, empty cache:  peak memory of all processes together {peak:.0f} MB PSS "
            f"(max of {args.runs} runs; summed RSS {max(rss_peaks) / MB:.0f} MB)  "
            f"target < {MEMORY_TARGET_MB:.0f} MB  {verdict(peak < MEMORY_TARGET_MB)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
