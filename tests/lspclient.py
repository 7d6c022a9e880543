"""A small Language Server Protocol client: runs ``citelint server`` as a subprocess and
speaks JSON-RPC to it over its standard input and output, as an editor does."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

Message = dict[str, Any]
ROOT = Path(__file__).resolve().parent.parent


class ServerError(Exception):
    def __init__(self, error: Message) -> None:
        super().__init__(error.get("message", ""))
        self.code = error.get("code")


class Client:
    def __init__(self, cwd: Path | None = None, command: list[str] | None = None) -> None:
        # This checkout's citelint, whatever the folder the server starts in.
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen(
            command or [sys.executable, "-m", "citelint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.messages: queue.Queue[Message | None] = queue.Queue()
        self.notifications: list[Message] = []
        self.server_requests: list[Message] = []
        self._next = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(out.read(length)))

    def send(self, message: Message) -> None:
        body = json.dumps(message).encode("utf-8")
        stdin = self.proc.stdin
        assert stdin is not None
        with self._lock:
            stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _pump(self, timeout: float) -> Message:
        msg = self.messages.get(timeout=timeout)
        if msg is None:
            err = self.proc.stderr.read().decode() if self.proc.stderr else ""
            raise RuntimeError(f"the server exited: {err[-2000:]}")
        if "method" in msg and "id" in msg:  # a request from the server: say yes
            self.server_requests.append(msg)
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        elif "method" in msg:
            self.notifications.append(msg)
        return msg

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self._next += 1
        ident = self._next
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            msg = self._pump(max(0.01, deadline - time.monotonic()))
            if msg.get("id") == ident and "method" not in msg:
                if "error" in msg:
                    raise ServerError(msg["error"])
                return msg.get("result")

    def wait_for(self, method: str, where: Callable[[Message], bool] = lambda m: True, timeout: float = 60) -> Message:
        """The first notification ``method`` (already received or to come) that ``where`` accepts;
        it is taken off the list."""
        deadline = time.monotonic() + timeout
        while True:
            for i, msg in enumerate(self.notifications):
                if msg["method"] == method and where(msg):
                    return self.notifications.pop(i)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {method} within {timeout} s")
            try:
                self._pump(remaining)
            except queue.Empty:
                pass

    def diagnostics(self, uri: str, timeout: float = 60) -> list[Message]:
        msg = self.wait_for("textDocument/publishDiagnostics", lambda m: m["params"]["uri"] == uri, timeout)
        return list(msg["params"]["diagnostics"])

    def initialize(
        self, root: Path, encodings: list[str] | None = None, resolve: bool = False, **options: Any
    ) -> Message:
        capabilities: Message = {
            "workspace": {
                "workspaceEdit": {"documentChanges": True},
                "didChangeWatchedFiles": {"dynamicRegistration": True},
            },
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True, "codeDescriptionSupport": True},
                "rename": {"prepareSupport": True},
            },
        }
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        if resolve:  # code actions come without their edit, asked for when chosen
            capabilities["textDocument"]["codeAction"] = {"resolveSupport": {"properties": ["edit"]}}
        result: Message = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": capabilities,
                "initializationOptions": options,
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}
        )

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
