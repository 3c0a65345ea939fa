"""One change signal the panes listen to, and the background-job list the status bar shows.

Like Anki's operations: an op does core work off the GUI thread, then broadcasts *what changed*;
panes refresh themselves from that, instead of calling each other.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Change:
    """What an operation changed: `kind` is e.g. "sketches", "renders", "ratings", "pool"."""

    kind: str
    ids: tuple[int, ...] = ()
    detail: dict = field(default_factory=dict)


class ChangeBus(QObject):
    """App-wide signals. `changed` carries a Change; `open_sketch` asks the editor to open an id."""

    changed = Signal(object)
    open_sketch = Signal(int)
    message = Signal(str)  # a line for the status bar

    def emit_change(self, kind: str, ids: tuple[int, ...] = (), **detail) -> None:
        self.changed.emit(Change(kind, tuple(ids), detail))


@dataclass
class Job:
    id: int
    title: str
    progress: float | None = None  # 0..1, None = indeterminate
    cancelled: bool = False


class Jobs(QObject):
    """Background jobs shown in the status bar; each can report progress and be cancelled."""

    updated = Signal()
    _ids = itertools.count(1)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.active: dict[int, Job] = {}

    def start(self, title: str) -> Job:
        job = Job(next(self._ids), title)
        self.active[job.id] = job
        self.updated.emit()
        return job

    def progress(self, job: Job, fraction: float | None) -> None:
        job.progress = fraction
        self.updated.emit()

    def cancel(self, job: Job) -> None:
        job.cancelled = True
        self.updated.emit()

    def finish(self, job: Job) -> None:
        self.active.pop(job.id, None)
        self.updated.emit()
