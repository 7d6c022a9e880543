"""Corpus scale: time per report and peak memory from 1,000 to 100,000 reports, the result
cache's warm re-run, and a Dask run against the plain command line.

    python benchmarks/scale.py [--sizes 1000,10000] [--jobs 2] [--dask 10000]
                               [--kinds files,jsonl] [--skip-cache] [--workdir DIR]

The corpus is ../shared/corpus/smartbook (250 real reports; else examples/report.md)
repeated with variations (each copy's title numbered, every fourth copy with a comma glued
to the next word, every fifth with two words glued), written once as files (folders of
1,000) and as one JSONL file under --workdir (default /tmp/citelint-scale). Each size is
linted by `citelint -j JOBS --no-cache --format jsonl` in a new process, output to
/dev/null. Peak memory is sampled every 50 ms over the whole process tree (the command and
its workers): the sum of RSS (counts pages the forked workers share with the parent once
per process, so it overstates) and the sum of PSS (shares them out; the honest figure).

The cache figures use the 250-report corpus: the cold run (empty cache directory) against
the median of warm runs, and, after changing one report, how many reports were linted again
(each linted report writes one cache entry; a cache hit writes none).

The largest sizes take minutes on a 2-core machine: the default is 1,000 and 10,000; add
100000 to --sizes for the full target and run it once.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "smartbook"
MEMORY_TARGET_MB = 150.0
WARM_TARGET = 0.25
FOLDER = 1000


def citelint() -> str:
    found = Path(sysconfig.get_path("scripts")) / "citelint"
    return str(found) if found.exists() else (shutil.which("citelint") or sys.exit("pip install -e . first"))


def base_reports() -> list[tuple[str, str]]:
    if SHARED.is_dir():
        files = sorted(SHARED.glob("*.md"))
        return [(p.stem, p.read_text(encoding="utf-8")) for p in files]
    return [("report", (ROOT / "examples" / "report.md").read_text(encoding="utf-8"))]


def vary(text: str, copy: int) -> str:
    """A variant of a report: a numbered title, and in some copies a typical defect."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            lines[i] = f"{line} (variant {copy})"
            break
    out = "\n".join(lines)
    if copy % 4 == 1:
        out = out.replace(", ", ",", 1)
    if copy % 5 == 2:
        out = out.replace(" the ", " the", 1)
    return out


def corpus(n: int) -> list[tuple[str, str]]:
    base = base_reports()
    return [(f"{base[i % len(base)][0]}-{i // len(base):04d}", vary(base[i % len(base)][1], i // len(base))) for i in range(n)]


def build(workdir: Path, n: int) -> tuple[list[str], Path]:
    """Folders of files for the first n reports, and a JSONL of them (made once)."""
    files = workdir / "files"
    jsonl = workdir / f"data-{n}.jsonl"
    stamp = workdir / f"files-{n}.done"
    folders = [str(files / f"{i // FOLDER:04d}") for i in range(0, n, FOLDER)]
    if not stamp.exists() or not jsonl.exists():
        reports = corpus(n)
        with open(jsonl, "w", encoding="utf-8") as out:
            for i, (name, text) in enumerate(reports):
                folder = files / f"{i // FOLDER:04d}"
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / f"{name}.md"
                if not target.exists():
                    target.write_text(text, encoding="utf-8")
                out.write(json.dumps({"id": name, "report": text}, ensure_ascii=False) + "\n")
        stamp.touch()
    if n % FOLDER:
        sys.exit("sizes must be multiples of 1000")
    return folders, jsonl


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _memory(pids: list[int]) -> tuple[int, int]:
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def measured(cmd: list[str], env: dict[str, str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, float, float, bytes]:
    """Wall time, peak RSS and peak PSS (MB, summed over the process tree), stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE if stdout is None else stdout, stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _memory(_tree(proc.pid))
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, peak[0] / 1024, peak[1] / 1024, out or b""


def scaling(args: argparse.Namespace, exe: str, env: dict[str, str], workdir: Path) -> bool:
    sizes = [int(s) for s in args.sizes.split(",")]
    ok = True
    print(f"time per report and peak memory: citelint -j {args.jobs} --no-cache --format jsonl")
    print(f"{'input':6} {'reports':>8} {'wall s':>8} {'ms/report':>10} {'RSS MB':>8} {'PSS MB':>8}")
    for kind in args.kinds.split(","):
        per: list[float] = []
        for n in sizes:
            folders, jsonl = build(workdir, n)
            paths = folders if kind == "files" else [str(jsonl), "--text-field", "report", "--id-field", "id"]
            cmd = [exe, "-j", str(args.jobs), "--no-cache", "--format", "jsonl", "--isolated", *paths]
            wall, rss, pss, _ = measured(cmd, env)
            per.append(wall / n)
            ok = ok and pss < MEMORY_TARGET_MB
            print(f"{kind:6} {n:>8} {wall:>8.1f} {1000 * wall / n:>10.2f} {rss:>8.1f} {pss:>8.1f}", flush=True)
        if len(per) > 1:
            print(f"{kind:6} time per report, largest / smallest size: {per[-1] / per[0]:.2f}")
    print(f"peak memory target: PSS under {MEMORY_TARGET_MB:.0f} MB: {'met' if ok else 'MISSED'}")
    return ok


def _entries(cache: Path) -> set[str]:
    return {p.name for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".")}


def cache_runs(args: argparse.Namespace, exe: str, env: dict[str, str], workdir: Path) -> bool:
    source = SHARED if SHARED.is_dir() else None
    tree = workdir / "cache-corpus"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    for name, text in base_reports() if source else corpus(250):
        (tree / f"{name}.md").write_text(text, encoding="utf-8")
    cache = workdir / "result-cache"
    cmd = [exe, "--isolated", "--format", "jsonl", "--cache-dir", str(cache), str(tree)]
    colds, outputs = [], set()
    for _ in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        wall, _, _, out = measured(cmd, env, stdout=None)
        colds.append(wall)
        outputs.add(out)
    warms = []
    for _ in range(7):
        wall, _, _, out = measured(cmd, env, stdout=None)
        warms.append(wall)
        outputs.add(out)
    cold, warm = statistics.median(colds), statistics.median(warms)
    n = len(list(tree.glob("*.md")))
    print(f"\nresult cache on {n} reports ({' '.join(cmd[:-3])} ... DIR)")
    print(f"cold (empty cache), median of 3: {cold:.3f} s; warm, median of 7: {warm:.3f} s; warm/cold = {warm / cold:.2f} (target <= {WARM_TARGET})")
    print(f"same output cold and warm: {len(outputs) == 1}")
    before = _entries(cache)
    victim = sorted(tree.glob("*.md"))[n // 2]
    victim.write_text(victim.read_text(encoding="utf-8").replace(" the ", " the  ", 1) + "\n", encoding="utf-8")
    measured(cmd, env, stdout=None)
    relinted = len(_entries(cache) - before)
    print(f"after changing one report: {relinted} report(s) linted again (new cache entries)")
    return warm / cold <= WARM_TARGET and relinted == 1 and len(outputs) == 1


def dask_run(args: argparse.Namespace, exe: str, env: dict[str, str], workdir: Path) -> bool:
    try:
        import dask
    except ImportError:
        print("\ndask is not installed (pip install '.[dask]'): Dask run skipped")
        return True
    from citelint.distributed import findings_bag, write_jsonl

    n = args.dask
    _, jsonl = build(workdir, n)
    cmd = [exe, "-j", str(args.jobs), "--no-cache", "--isolated", "--format", "jsonl", str(jsonl), "--text-field", "report", "--id-field", "id"]
    wall_cli, _, _, out = measured(cmd, env, stdout=None)
    expected = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    os.environ["CITELINT_CACHE_DIR"] = env["CITELINT_CACHE_DIR"]
    target = workdir / "dask-out"
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    from citelint.config import Resolver
    from citelint.registry import load_rules

    settings = Resolver(load_rules(), isolated=True).settings_for(str(jsonl))
    bag = findings_bag(str(jsonl), "report", "id", settings=settings, partition_size=1000)
    with dask.config.set(scheduler=args.dask_scheduler):
        write_jsonl(bag, str(target))
    wall_dask = time.perf_counter() - start
    found, errors = [], 0
    for part in sorted(target.glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if "error" in d:
                errors += 1
            else:
                found.append(d)
    same = found == expected
    print(f"\nDask ({args.dask_scheduler} scheduler, {bag.npartitions} partitions) on {n} records: {wall_dask:.1f} s; "
          f"plain CLI -j {args.jobs}: {wall_cli:.1f} s")
    print(f"findings: Dask {len(found)}, CLI {len(expected)}, record errors {errors}; identical: {same}")
    return same


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated report counts (multiples of 1000)")
    ap.add_argument("--kinds", default="files,jsonl", help="inputs to time: files, jsonl or both")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dask", type=int, default=10000, help="records in the Dask run (0: skip)")
    ap.add_argument("--dask-scheduler", default="threads", choices=("sync", "threads", "processes"))
    ap.add_argument("--skip-cache", action="store_true")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "citelint-scale"))
    args = ap.parse_args()
    exe = citelint()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("CITELINT_CACHE_DIR", str(workdir / "user-cache"))
    env.pop("CI", None)
    subprocess.run([exe, "--isolated", "--no-cache", str(ROOT / "examples" / "report.md")], env=env, stdout=subprocess.DEVNULL)
    ok = True
    if not args.skip_scaling:
        ok = scaling(args, exe, env, workdir) and ok
    if not args.skip_cache:
        ok = cache_runs(args, exe, env, workdir) and ok
    if args.dask:
        ok = dask_run(args, exe, env, workdir) and ok
    print(f"\nall targets met: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
