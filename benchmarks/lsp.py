"""How quickly the language server answers a change in a 4,000-row report.

    python benchmarks/lsp.py [ROWS]

Runs ``citelint server`` as a subprocess and drives it over JSON-RPC (as an editor does,
with the debounce set to 0 so that only the server's own work is timed; editors add the
default 250 ms pause). Opens a synthetic report (benchmarks/scaling.py) of ROWS rows
(default 4000), then makes single-character edits, waiting for the diagnostics of each:

- in a claims table row: the preview (citelint.incremental) is published first, then the
  full run's diagnostics;
- in the summary: only a full run;
- in a row again, while the full run of the previous edit is under way.

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


class _Sink:
    def write(self, data: bytes) -> None:
        self.size = len(data)


def in_process(text: str) -> None:
    """What the server's own work costs, without the pipe and the client."""
    from types import SimpleNamespace

    from citelint import engine, incremental, navigation, parser
    from citelint.config import Resolver
    from citelint.registry import load_rules
    from citelint.server import _Open, _State, publish

    rules = load_rules()
    parser.parse(report(10))
    path, uri = "/tmp/report.md", "file:///tmp/report.md"
    t0 = time.perf_counter()
    doc = parser.parse(text, path)
    t1 = time.perf_counter()
    found = engine.check_document(doc, rules)
    t2 = time.perf_counter()
    state = _State()
    state.open[uri] = _Open()
    server = SimpleNamespace(
        state=state, protocol=SimpleNamespace(writer=_Sink()), workspace=SimpleNamespace(position_encoding="utf-16")
    )
    publish(server, uri, text, found, 1)  # type: ignore[arg-type]
    t3 = time.perf_counter()
    print(f"in process, full run: parse {1000 * (t1 - t0):.0f} ms, rules {1000 * (t2 - t1):.0f} ms, "
          f"publish {len(found)} diagnostics {1000 * (t3 - t2):.0f} ms")
    settings = Resolver(rules).settings_for(path)
    layout = navigation.table_layout(doc)
    lines = text.split("\n")
    first_row = next(i for i, line in enumerate(lines) if line.startswith("|<font"))
    took, sent = [], []
    for i in range(EDITS):
        edited = list(lines)
        line = first_row + (i * 397) % len(doc.rows)
        edited[line] = edited[line].replace(" The ", " Thxe ", 1)
        new = "\n".join(edited)
        a = time.perf_counter()
        quick = incremental.preview(text, layout, found, new, path, settings, rules)
        b = time.perf_counter()
        assert quick is not None
        publish(server, uri, new, quick, 2 + i)  # type: ignore[arg-type]
        c = time.perf_counter()
        took.append(b - a)
        sent.append(c - b)
        publish(server, uri, text, found, 1)  # type: ignore[arg-type]
    print(f"in process, edit in a row: preview {ms(took)}; publish {ms(sent)}")


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
            # A keystroke while a full run is under way (it started after a pause): the
            # preview shares the interpreter with that run.
            busy = []
            for i in range(5):
                version += 1
                line = first_row + (i * 211 + 50) % rows
                change(client, uri, version, line, lines[line].index(" The ") + 1, "y")
                wait_version(client, uri, version)  # its preview
                time.sleep(1.3)  # the full run has begun
                version += 1
                sent = change(client, uri, version, line, lines[line].index(" The ") + 1, "z")
                busy.append(wait_version(client, uri, version) - sent)
                wait_version(client, uri, version)  # and its full run
            print(f"edit in a row, during a run: {ms(busy)}")
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
