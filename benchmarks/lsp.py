"""How quickly the language server answers a change in a 4,000-row report.

    python benchmarks/lsp.py [ROWS]

Runs ``citelint server`` as a subprocess and drives it over JSON-RPC (as an editor does,
with the debounce set to 0 so that only the server's own work is timed; editors add the
default 250 ms pause). Opens a synthetic report (benchmarks/scaling.py) of ROWS rows
(default 4000), then makes single-character edits, waiting for the diagnostics of each:

- in a claims table row: the preview (citelint.incremental) is published first, then the
  full run's diagnostics;
- in the summary: only a full run.

Prints the milliseconds from sending the change to receiving each publication (median and
worst), and, in this process, what a full run costs: parse, rules, diagnostics.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scaling import report  # noqa: E402
from tests.lspclient import Client  # noqa: E402

EDITS = 10


def wait_version(client: Client, uri: str, version: int) -> float:
    client.wait_for(
        "textDocument/publishDiagnostics",
        lambda m: m["params"]["uri"] == uri and m["params"].get("version") == version,
        timeout=120,
    )
    return time.perf_counter()


def change(client: Client, uri: str, version: int, line: int, character: int, text: str) -> float:
    at = {"line": line, "character": character}
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": text}]},
    )
    return time.perf_counter()


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.1f} ms   worst {max(values) * 1000:7.1f} ms"


def in_process(text: str) -> None:
    from citelint import engine, parser
    from citelint.registry import load_rules
    from citelint.server import Lines, _State, diagnostic_json

    rules = load_rules()
    parser.parse(report(10))
    t0 = time.perf_counter()
    doc = parser.parse(text, "/tmp/report.md")
    t1 = time.perf_counter()
    found = engine.check_document(doc, rules)
    t2 = time.perf_counter()
    state = _State()
    lines = Lines(text, "utf-16")
    [diagnostic_json(state, "file:///tmp/report.md", lines, f) for f in found]
    t3 = time.perf_counter()
    print(f"in process: parse {1000 * (t1 - t0):.0f} ms, rules {1000 * (t2 - t1):.0f} ms, "
          f"{len(found)} diagnostics built {1000 * (t3 - t2):.0f} ms")


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    text = report(rows)
    lines = text.split("\n")
    summary_line = lines.index("## Summary") + 1
    first_row = next(i for i, line in enumerate(lines) if line.startswith("|<font"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.md"
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        client = Client(cwd=Path(tmp))
        try:
            client.initialize(Path(tmp), debounce=0)
            start = time.perf_counter()
            client.open(uri, text)
            found = client.diagnostics(uri, timeout=120)
            print(f"{rows} rows, {len(found)} diagnostics; open: {1000 * (time.perf_counter() - start):.0f} ms")
            version = 1
            preview, full = [], []
            for i in range(EDITS):
                version += 1
                line = first_row + (i * 397) % rows
                sent = change(client, uri, version, line, lines[line].index(" The ") + 1, "x")
                preview.append(wait_version(client, uri, version) - sent)
                full.append(wait_version(client, uri, version) - sent)
            print(f"edit in a row, preview:     {ms(preview)}")
            print(f"edit in a row, full run:    {ms(full)}")
            summary = []
            for i in range(3):
                version += 1
                sent = change(client, uri, version, summary_line, 3 + i, "x")
                summary.append(wait_version(client, uri, version) - sent)
            print(f"edit in the summary:        {ms(summary)}")
        finally:
            client.close()
    in_process(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
