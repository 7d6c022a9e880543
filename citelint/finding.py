"""Findings: small immutable values that rules produce and reporters print."""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

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

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.col, self.code)
