"""The Training pane's status lines: which run, what it is doing now (with a progress bar), why it failed;
plus the names runs are listed by and the question asked before the studio closes over a running run."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from studio.ops.training import RunInfo, stop_run

PROBLEM_STYLE = "color: #c0392b;"


@dataclass
class PendingStart:
    """A run being started or resumed whose process has not yet said it is running."""

    name: str
    what: str                    # "Starting" | "Resuming"
    started: float               # time.monotonic()
    run_id: str | None = None    # the run being resumed


def run_labels(runs: list[RunInfo]) -> dict[str, str]:
    """Each run's name with its start time ("tiny-cpu · 07 Dec 14:05"); seconds where two would read alike."""
    def label(run: RunInfo, fmt: str) -> str:
        return f"{run.name} · {time.strftime(fmt, time.localtime(run.created_at))}" if run.created_at else run.name
    labels = {r.id: label(r, "%d %b %H:%M") for r in runs}
    seen: dict[str, int] = {}
    for text in labels.values():
        seen[text] = seen.get(text, 0) + 1
    return {r.id: (label(r, "%d %b %H:%M:%S") if seen[labels[r.id]] > 1 else labels[r.id]) for r in runs}


def _wrapping(name: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class RunStatus(QWidget):
    """`summary` (run, status, reward), `phase` (what it does now) over a step bar, `problem` in red."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel("No run selected.")
        self.summary.setWordWrap(True)
        self.phase = _wrapping("runPhase")
        self.step_bar = QProgressBar()
        self.step_bar.setMaximumHeight(10)
        self.step_bar.setTextVisible(False)
        self.step_bar.hide()
        self.problem = _wrapping("runProblem")
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for w in (self.summary, self.phase, self.step_bar, self.problem):
            layout.addWidget(w)

    def show_phase(self, text: str, fraction: float | None) -> None:
        self.phase.setText(text)
        self.phase.setVisible(bool(text))
        self.step_bar.setVisible(fraction is not None)
        if fraction is not None:
            self.step_bar.setRange(0, 1000)
            self.step_bar.setValue(int(fraction * 1000))

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def show_pending(self, pending: PendingStart) -> None:
        seconds = time.monotonic() - pending.started
        self.summary.setText(f"<b>{pending.name}</b> — {pending.what.lower()}")
        self.show_phase(f"{pending.what} the training process: Python, torch and the model load first "
                        f"({seconds:.0f} s)…", None)


def close_question(parent: QWidget, running: list[RunInfo], labels: dict[str, str],
                   on_stop: Callable[[RunInfo], None], answered: Callable[[bool], None]) -> QMessageBox:
    """Stop the runs, leave them running, or cancel closing: non-blocking (window-modal, no nested loop).
    `answered(True)` once the studio may close (after `on_stop` for each run when chosen), False on Cancel."""
    names = ", ".join(labels.get(r.id, r.name) for r in running)
    box = QMessageBox(QMessageBox.Icon.Question, "A training run is running",
                      f"{names} {'is' if len(running) == 1 else 'are'} still training. Stop after the current "
                      "step, or leave it running in the background (the studio shows it again when you come "
                      "back)?", parent=parent)
    box.setObjectName("runningTrainer")
    stop = box.addButton("Stop the run", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Leave it running", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)

    def done(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is stop:
            for run in running:
                on_stop(run)
        answered(clicked is not cancel and clicked is not None)
    box.finished.connect(done)
    box.open()
    return box


async def stop_then_close(runs: list[RunInfo], stop_asked: set[str], answered: Callable[[bool], None]) -> None:
    """The studio is closing and the person chose Stop: send each run its stop (in a thread), then let
    the window close (`answered(True)`); a run that was no longer alive leaves `stop_asked`."""
    try:
        for run in runs:
            if not await stop_run(run):
                stop_asked.discard(run.id)
    finally:
        answered(True)
