"""A progress line on standard error for long runs: reports done (of how many, when that is
known), findings so far, rate and time left. It is drawn only on a terminal and never in CI
(unless asked with --progress), appears only once a run has lasted a moment (short runs
never flicker), is redrawn at most a few times a second, and is erased when the run ends,
so that nothing of it stays in the terminal or reaches standard output."""
from __future__ import annotations

import os
import time
from typing import TextIO

# A run shorter than this shows no progress at all.
DELAY = 0.5
INTERVAL = 0.1
_CLEAR = "\r\033[K"


def wanted(asked: bool | None, stream: TextIO) -> bool:
    """--progress (True) forces it, --no-progress (False) forbids it; otherwise only on a
    terminal that is not dumb, and not in CI (whose logs may be terminals)."""
    if asked is not None:
        return asked
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def describe(done: int, total: int | None, findings: int, elapsed: float) -> str:
    """The progress line's text."""
    rate = done / elapsed if elapsed > 0 else 0.0
    parts = [f"{done}/{total} reports" if total else f"{done} reports", f"{findings} findings"]
    parts.append(f"{rate:.0f}/s" if rate >= 10 else f"{rate:.1f}/s")
    if total and rate > 0 and done < total:
        parts.append(f"{_duration((total - done) / rate)} left")
    return "citelint: " + " · ".join(parts)


class Progress:
    """The line's state (a class: it is the one mutable thing a run keeps about its display)."""

    def __init__(self, stream: TextIO, enabled: bool, total: int | None = None) -> None:
        self.stream = stream
        self.enabled = enabled
        self.total = total
        self.start = time.monotonic()
        self.drawn = False
        self.last = 0.0
        self.done = 0
        self.findings = 0

    def update(self, done: int, findings: int) -> None:
        self.done, self.findings = done, findings
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < DELAY or now - self.last < INTERVAL:
            return
        self.last = now
        line = describe(done, self.total, findings, now - self.start)
        width = _width(self.stream)
        self.stream.write(_CLEAR + line[: width - 1])
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        """Erase the line (before anything else is written to the terminal); the next
        update draws it again."""
        if self.drawn:
            self.stream.write(_CLEAR)
            self.stream.flush()
            self.drawn = False
            self.last = 0.0

    def close(self) -> None:
        self.clear()


def _width(stream: TextIO) -> int:
    import shutil

    return max(20, shutil.get_terminal_size((80, 24)).columns)
