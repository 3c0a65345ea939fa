"""Typed errors for sketches: what went wrong, where (1-based line and column)."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class SketchError(Exception):
    """A problem in sketch code: kind ("syntax", "runtime", ...), message, 1-based line and column."""

    kind: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f" at line {self.line}, column {self.column}" if self.line is not None else ""
        return f"{self.kind} error{where}: {self.message}"

    def to_dict(self) -> dict:
        """Plain dict for JSON."""
        return asdict(self)


class NodeUnavailable(RuntimeError):
    """node could not be started, so the syntax of a sketch cannot be checked."""


class UnreadableInput(ValueError):
    """A file cannot be read as a sketch; the message is the reason (the caller adds the name)."""
