"""How quickly the language server publishes the exact diagnostics after a change in a
4,000-row report.

    python benchmarks/lsp.py [ROWS] [EDITS_PER_KIND]

Runs ``citelint server`` as a subprocess and drives it over JSON-RPC as an editor does
(range edits, the debounce set to 0 so that only the server's own work is timed; editors
add the default 250 ms pause). Opens a synthetic report (benchmarks/scaling.py) of ROWS
rows (default 4000), then makes edits of several kinds at places spread over the report
(EDITS_PER_KIND of each, default 6): a word in a claim, a word in a context, a word in a
summary sentence, a row's marker, a row added, a row deleted. After each edit it waits for
the publication of that version and checks it against a fresh command-line run of the same
text, in a process of its own (every 10th edit, and the last: a full run takes seconds).

Prints the milliseconds from sending the change to receiving its diagnostics, per kind and
over all edits (median and worst), with the load average of the machine (the figures are
wall-clock times on a shared machine); then, in this process, what the server's steps
cost for one edit of each kind: the parse followed through the edit, the rules, the
publication, and its size (the whole set of diagnostics, which the client reads and decodes
after every change, and the CPU time a Python client takes to decode it: json.loads, as
the benchmark's own client does, in this process).
"""
from __future__ import annotations

import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scaling import report  # noqa: E402
from tests.lspclient import Client  # noqa: E402

TARGET_MS = 100

# An edit: (first line, lines removed, lines inserted), 0-based, on the current lines.
Edit = tuple[int, int, list[str]]


def _row_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith("|<font")]


def _word_in(line: str, after: int, rng: random.Random) -> tuple[int, int]:
    """A word of ``line`` past offset ``after``: (start, end)."""
    starts = [i for i in range(after, len(line) - 4) if line[i] == " " and line[i + 1].isalpha()]
    start = rng.choice(starts) + 1
    end = start
    while end < len(line) and line[end].isalpha():
        end += 1
    return start, end


def claim_word(lines: list[str], i: int, rng: random.Random) -> str:
    line = lines[i]
    start, end = _word_in(line[: line.index("<a ")], line.index("</font>") + 7, rng)
    return line[:start] + line[start:end] + "s" + line[end:]


def context_word(lines: list[str], i: int, rng: random.Random) -> str:
    line = lines[i]
    start, end = _word_in(line, line.index("</a>|") + 5, rng)
    return line[:start] + "the " + line[start:]


def marker(lines: list[str], i: int, rng: random.Random) -> str:
    line = lines[i]
    open_, close = line.index("[") + 1, line.index("]")
    return line[:open_] + str(int(line[open_:close]) + 1) + line[close:]


def change(client: Client, uri: str, version: int, lines: list[str], edit: Edit) -> float:
    """Send the edit as an editor does (one range edit, of the characters that differ
    when one line is replaced) and apply it to ``lines``. The report is ASCII: columns
    are UTF-16 units."""
    first, removed, inserted = edit
    if removed == 1 and len(inserted) == 1:
        old, new = lines[first], inserted[0]
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
            tail += 1
        start = {"line": first, "character": head}
        end = {"line": first, "character": len(old) - tail}
        text = new[head : len(new) - tail]
    else:
        start = {"line": first, "character": 0}
        end = {"line": first + removed, "character": 0}
        text = "".join(line + "\n" for line in inserted)
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": start, "end": end}, "text": text}]},
    )
    sent = time.perf_counter()
    lines[first : first + removed] = inserted
    return sent


def kinds(rng: random.Random) -> dict[str, Callable[[list[str], int], Edit]]:
    def in_summary(lines: list[str], _: int) -> Edit:
        at = lines.index("## Summary") + 1
        line = lines[at]
        start, end = _word_in(line, rng.randrange(len(line) - 200), rng)
        return at, 1, [line[:start] + "new " + line[start:]]

    return {
        "a word in a claim": lambda lines, i: (i, 1, [claim_word(lines, i, rng)]),
        "a word in a context": lambda lines, i: (i, 1, [context_word(lines, i, rng)]),
        "a word in the summary": in_summary,
        "a row's marker": lambda lines, i: (i, 1, [marker(lines, i, rng)]),
        "a row added": lambda lines, i: (i, 0, [lines[rng.choice(_row_lines(lines))]]),
        "a row deleted": lambda lines, i: (i, 1, []),
    }


def fmt(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.1f} ms   worst {max(values) * 1000:7.1f} ms"


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def cpu_seconds(pid: int) -> float | None:
    """The CPU time a process has used (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def expected(path: Path, text: str) -> list[tuple[Any, ...]]:
    """The findings of a fresh command-line run on ``text``, in a process of its own: run in
    this one, its lint (and the modules and word lists it loads) would stay in the client's
    heap, and the client's own garbage collector walking it while it decodes a later
    publication showed as 100 ms more on that edit (measured: with this process's collector
    off, those outliers went)."""
    import subprocess

    path.write_text(text, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "citelint", "--format", "json", "--no-cache", str(path)],
        cwd=str(path.parent), env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=False,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"the fresh run failed: {out.stderr.strip()}")
    return sorted((f["code"], f["line"] - 1, f["column"] - 1, f["message"]) for f in json.loads(out.stdout)["findings"])


def published(diagnostics: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"], d["message"]) for d in diagnostics)


def over_the_server(rows: int, per_kind: int) -> None:
    rng = random.Random(2026)
    text = report(rows)
    lines = text.split("\n")
    edit_kinds = kinds(rng)
    plan = [name for _ in range(per_kind) for name in edit_kinds]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.md"
        path.write_text(text, encoding="utf-8")
        check_path = Path(tmp) / "check" / "report.md"
        check_path.parent.mkdir()
        uri = path.as_uri()
        client = Client(cwd=Path(tmp))
        try:
            client.initialize(Path(tmp), debounce=0)
            start = time.perf_counter()
            client.open(uri, text)
            found = client.diagnostics(uri, timeout=300)
            print(f"{rows} rows, {len(found)} diagnostics; open (a full run): {1000 * (time.perf_counter() - start):.0f} ms")
            print(load())
            times: dict[str, list[float]] = {name: [] for name in edit_kinds}
            used: dict[str, list[float]] = {name: [] for name in edit_kinds}
            checked = 0
            for version, name in enumerate(plan, start=2):
                rows_now = _row_lines(lines)
                i = rows_now[rng.randrange(len(rows_now))]
                edit = edit_kinds[name](lines, i)
                before = cpu_seconds(client.proc.pid)
                sent = change(client, uri, version, lines, edit)
                message = client.wait_for(
                    "textDocument/publishDiagnostics",
                    lambda m: m["params"]["uri"] == uri and m["params"].get("version") == version,
                    timeout=300,
                )
                times[name].append(time.perf_counter() - sent)
                after = cpu_seconds(client.proc.pid)
                if before is not None and after is not None:
                    used[name].append(after - before)
                if version % 10 == 0 or version == len(plan) + 1:
                    current = "\n".join(lines)
                    assert published(message["params"]["diagnostics"]) == expected(check_path, current), name
                    checked += 1
            print(f"{len(plan)} edits, each published after its change; {checked} checked against a fresh run: equal")
            print("from the change to its diagnostics (wall clock), and the server's CPU time for it:")
            width = max(len(n) for n in times)
            for name, values in times.items():
                spent = f"   server CPU {fmt(used[name])}" if used[name] else ""
                print(f"  {name:<{width}}  {fmt(values)}{spent}")
            every = [v for values in times.values() for v in values]
            within = sum(1 for v in every if v * 1000 <= TARGET_MS)
            spent_all = [v for values in used.values() for v in values]
            spent = f"   server CPU {fmt(spent_all)}" if spent_all else ""
            print(f"  {'all edits':<{width}}  {fmt(every)}{spent}   ({within} of {len(every)} within {TARGET_MS} ms)")
            print(load())
        finally:
            client.close()


class _Sink:
    def write(self, data: bytes) -> None:
        self.data = data


def in_process(rows: int) -> None:
    """The server's steps for one edit of each kind, in this process (no pipe, no client)."""
    from types import SimpleNamespace

    from citelint import server as lsp_server
    from citelint.registry import load_rules

    rng = random.Random(7)
    rules = load_rules()
    state = lsp_server._State(rules=rules)
    path = "/tmp/citelint-bench/report.md"
    uri = "file://" + path
    state.open[uri] = lsp_server._Open()
    server: Any = SimpleNamespace(
        state=state, protocol=SimpleNamespace(writer=_Sink()), workspace=SimpleNamespace(position_encoding="utf-16")
    )
    text = report(rows)
    lines = text.split("\n")
    lsp_server.publish(server, uri, text, lsp_server.analyse(state, uri, text).findings, 1)
    print("in process, one edit of each kind (ms of CPU time):")
    print(f"  {'edit':<24} {'parse':>7} {'rules':>7} {'publish':>8}   {'followed':>8}   {'published':>9}   {'decoded':>8}")
    for name, make in kinds(rng).items():
        i = rng.choice(_row_lines(lines))
        first, removed, inserted = make(lines, i)
        lines[first : first + removed] = inserted
        new = "\n".join(lines)
        settings = lsp_server.settings_for(state, path)
        from citelint import engine, memo

        last = state.open[uri].parsed
        # What the server's lint thread does (lsp_server._lint), step by step: CPU time of
        # this process (the machine is shared: wall-clock time would count other work).
        gc.disable()
        t0 = time.process_time()
        with memo.session(keep=state.memo):
            doc = lsp_server.parse_cached(state, uri, new)
            t1 = time.process_time()
            found = engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, rules)
        t2 = time.process_time()
        # As the server does after a run (lsp_server._freeze): what the run left is frozen
        # out of the collector's walks before it is enabled again (else the publication's
        # first young collection walks all of it, and its time is counted here).
        gc.freeze()
        gc.enable()
        lsp_server.publish(server, uri, new, found, 2)
        t3 = time.process_time()
        gc.unfreeze()
        from citelint import incremental

        followed = last is not None and incremental.reparse(last[1], new, path) is not None
        data = server.protocol.writer.data  # what the client reads and decodes
        size = f"{len(data) / 1e6:.2f} MB"
        t4 = time.process_time()
        json.loads(data.split(b"\r\n\r\n", 1)[1])
        decoded = time.process_time() - t4
        print(
            f"  {name:<24} {1000 * (t1 - t0):7.1f} {1000 * (t2 - t1):7.1f} {1000 * (t3 - t2):8.1f}   "
            f"{'yes' if followed else 'no':>8}   {size:>9}   {1000 * decoded:8.1f}"
        )
    by_rule(state, uri, path, lines, rng)


def by_rule(state: Any, uri: str, path: str, lines: list[str], rng: random.Random) -> None:
    """Where the rules' time goes: each rule's CPU time (its hits, with what it is the first
    to compute for the document: the citations, the prose fields, ...) for edits of rows,
    median over EDITS edits (the engine's own work is the rest of the "rules" column)."""
    import dataclasses

    from citelint import engine, memo
    from citelint import server as lsp_server

    spent: dict[str, list[float]] = {}

    def timed(rule: Any) -> Any:
        check = rule.check

        def run(ctx: Any) -> Any:
            t = time.process_time()
            hits = list(check(ctx))
            spent.setdefault(rule.code, []).append(time.process_time() - t)
            return iter(hits)

        return dataclasses.replace(rule, check=run)

    rules = [timed(r) for r in state.rules]
    edit_kinds = kinds(rng)
    row_kinds = [k for k in edit_kinds if "summary" not in k]
    settings = lsp_server.settings_for(state, path)
    chosen = {r.code for r in settings.rules_for(path)}
    for i in range(EDITS):
        make = edit_kinds[row_kinds[i % len(row_kinds)]]
        first, removed, inserted = make(lines, rng.choice(_row_lines(lines)))
        lines[first : first + removed] = inserted
        gc.disable()
        with memo.session(keep=state.memo):
            doc = lsp_server.parse_cached(state, uri, "\n".join(lines))
            engine.check_document(doc, [r for r in rules if r.code in chosen], settings.options, settings.severity, rules)
        gc.enable()
    ranked = sorted(spent.items(), key=lambda kv: -statistics.median(kv[1]))
    shown = ", ".join(f"{code} {1000 * statistics.median(times):.1f}" for code, times in ranked[:10])
    total = sum(statistics.median(times) for times in spent.values())
    print(f"the rules on {EDITS} edits of rows, median ms of CPU time each (all rules: {1000 * total:.0f} ms): {shown}")


EDITS = 10


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    per_kind = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    over_the_server(rows, per_kind)
    in_process(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
