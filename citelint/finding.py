"""Findings: small immutable values that rules produce and reporters print, and the fixes
they may carry (a list of edits plus how safe it is to apply them, as ruff has it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum

from citelint.model import Span


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Applicability(Enum):
    """How safe a fix is: ``safe`` keeps the meaning (``--fix`` applies it), ``unsafe`` may
    not (only with ``--unsafe-fixes``), ``display`` is a suggestion never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY = "display"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` with ``text``. Offsets index ``Document.source`` (the
    text after the byte-order mark is dropped and CRLF is read as LF); the fixer maps them
    back onto the file's own bytes."""

    start: int
    end: int
    text: str
    # Where the replaced text stands, as lines and columns (the engine fills it in, for
    # reporters and editors).
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Fix:
    """The repair of one finding: edits that are applied together or not at all."""

    edits: tuple[Edit, ...]
    description: str
    applicability: Applicability = Applicability.SAFE

    @property
    def start(self) -> int:
        """Where the first edit starts (0 for a suggestion that edits nothing)."""
        return min((e.start for e in self.edits), default=0)

    @property
    def end(self) -> int:
        return max((e.end for e in self.edits), default=0)


@dataclass(frozen=True)
class Related:
    """A second place a finding concerns: the row a marker cites, the original of a duplicate."""

    span: Span
    message: str


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the engine adds path, code, name and severity."""

    span: Span
    message: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None


@dataclass(frozen=True)
class Finding:
    """One problem in one file, as every reporter prints it."""

    path: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    # The record of a dataset (JSONL, Parquet) the finding is in: its id, or its line/row
    # number when the dataset has no id field. None for a report file.
    record: str | None = None

    @property
    def where(self) -> str:
        """The path, or ``path#record`` for a report inside a dataset."""
        return self.path if self.record is None else f"{self.path}#{self.record}"

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.col, self.code)
