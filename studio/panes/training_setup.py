"""The Train pane's first-run box: what the chosen run config needs, and a button for each missing piece.

Model, warm start (SFT), subject recogniser, pool references, judge key: each row says whether it is
there; a missing one that Brushwork can make has a button that runs it as a background job (listed in
the status bar, cancellable) with its progress and an ETA under the row. `ready` is True once nothing
required is missing; the pane enables *Start run* from `changed`.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from studio.bus import Job, Jobs
from studio.ops import first_run, run_in_thread, start_job
from studio.ops.first_run import Need
from studio.widgets.wheel_guard import guard_wheel

if TYPE_CHECKING:
    from core.store import Store

JOB_TITLES = {"model": "Building the tiny model", "sft": "Warm-starting the model (SFT)",
              "subject": "Training the subject recogniser", "pool": "Building the demo pool"}
BUTTONS = {"model": "Build", "sft": "Run SFT", "subject": "Train recogniser", "pool": "Build demo pool"}
POLL_S = 0.5


class JobRow:
    """The widgets of one need: mark, label, detail, button, and a progress line while its job runs."""

    def __init__(self, grid: QGridLayout, row: int, parent: QWidget):
        self.mark, self.label, self.detail = QLabel(), QLabel(), QLabel()
        self.detail.setWordWrap(True)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QPushButton(parent)
        self.bar = QProgressBar()
        self.bar.setMaximumHeight(12)
        self.bar.setTextVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.mark, 2 * row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.label, 2 * row, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.detail, 2 * row, 2)
        grid.addWidget(self.button, 2 * row, 3, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.bar, 2 * row + 1, 1)
        grid.addWidget(self.status, 2 * row + 1, 2)
        self.show_progress(False)

    def show_progress(self, on: bool) -> None:
        self.bar.setVisible(on)
        self.status.setVisible(on or bool(self.status.text()))

    def widgets(self) -> list[QWidget]:
        return [self.mark, self.label, self.detail, self.button, self.bar, self.status]


class SetupBox(QGroupBox):
    """Checks a run config's needs (`check(config)`) and runs the jobs that fill them."""

    changed = Signal()

    def __init__(self, store: Store, jobs: Jobs, parent: QWidget | None = None):
        super().__init__("What this run needs", parent)
        self.store, self.jobs = store, jobs
        self.needs: list[Need] = []
        self.config: Any = None
        self.running: dict[str, asyncio.Task] = {}   # job kind -> its task
        self.outcomes: dict[str, str] = {}          # job kind -> its last result, kept under its row
        # `brushwork subject train` options for the recogniser job ({} = its defaults; tests train a small one)
        self.subject_settings: dict[str, int] = {}
        self.rows: dict[str, JobRow] = {}
        self.old_rows: list[JobRow] = []   # rows without a job (their widgets go on the next check)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 4, 8, 4)
        self.grid.setColumnStretch(2, 1)
        self.sft_steps = QSpinBox(minimum=1, maximum=5000, value=first_run.SFT_DEFAULT_STEPS)
        self.sft_steps.setPrefix("at most ")
        self.sft_steps.setSuffix(" steps")
        self.sft_steps.setToolTip(f"SFT stops earlier once {first_run.sft_target()} of its samples render; fewer steps = a quicker, "
                                  "weaker start (a few steps are enough to try the studio out)")
        guard_wheel(self.sft_steps)
        self.summary = QLabel("Checking…")
        self.summary.setWordWrap(True)
        self.grid.addWidget(self.summary, 0, 0, 1, 4)
        self._checking: asyncio.Task | None = None

    @property
    def ready(self) -> bool:
        """Nothing required is missing and no job is running."""
        return bool(self.needs) and all(n.ok or not n.required for n in self.needs) and not self.running

    def check(self, config: Any) -> asyncio.Task:
        """Re-check the needs of `config` off the GUI thread; the rows update when it is done."""
        self.config = config
        if self._checking is not None and not self._checking.done():
            self._checking.cancel()
        self._checking = asyncio.ensure_future(self._check(config))
        return self._checking

    async def _check(self, config: Any) -> list[Need]:
        needs = await run_in_thread(first_run.run_needs, config, self.store)
        if config is self.config:
            self._show(needs)
        return needs

    def _show(self, needs: list[Need]) -> None:
        self.needs = needs
        for row in self.old_rows + list(self.rows.values()):
            for w in row.widgets():  # out of the grid now: deleteLater alone left them painted till later
                self.grid.removeWidget(w)
                w.hide()
                w.deleteLater()
        self.old_rows = []
        self.rows.clear()
        self.grid.removeWidget(self.sft_steps)
        self.sft_steps.hide()
        missing = [n for n in needs if not n.ok and n.required]
        if missing:
            self.summary.setText("<b>Before the first run:</b> " + ", ".join(n.label.lower() for n in missing)
                                 + ". Each button below makes one, as a background job.")
        else:
            self.summary.setText("Everything this run needs is here." if all(n.ok for n in needs)
                                 else "Ready to start; the optional items below improve the reward.")
        for i, need in enumerate(needs, start=1):
            row = JobRow(self.grid, i, self)
            row.mark.setText("✓" if need.ok else ("✗" if need.required else "·"))
            row.mark.setStyleSheet("color: #2e7d32;" if need.ok else ("color: #c0392b;" if need.required else ""))
            row.label.setText(f"<b>{need.label}</b>")
            row.detail.setText(need.detail)
            outcome = self.outcomes.get(need.job or "", "")
            if need.ok and outcome.startswith(("Failed", "Could not")):
                outcome = ""  # met since (e.g. made from a terminal): an older failure is no longer news
            row.status.setText(outcome)
            job = need.job
            row.button.setVisible(job is not None and (not need.ok or job == "sft"))
            if job is None:
                self.old_rows.append(row)  # no job: kept only to be removed on the next check
            else:
                row.button.setText(BUTTONS[job] if not need.ok else "Run SFT again")
                row.button.setEnabled(job not in self.running and self._prerequisites_met(job))
                row.button.clicked.connect(lambda _=False, k=job: self.run(k))
                self.rows[job] = row
            if job == "sft":
                self.grid.addWidget(self.sft_steps, 2 * i + 1, 3)
                self.sft_steps.show()
            row.show_progress(job in self.running)
        self.changed.emit()

    def _prerequisites_met(self, job: str) -> bool:
        return job != "sft" or next((n.ok for n in self.needs if n.key == "model"), False)

    # -- jobs -----------------------------------------------------------------------------------
    def run(self, kind: str) -> asyncio.Task:
        """Start the job that makes `kind` ("model", "sft", "subject", "pool"), listed in the status bar."""
        if kind in self.running:
            return self.running[kind]
        self.outcomes.pop(kind, None)
        task = start_job(self.jobs, JOB_TITLES[kind], lambda job: self._run(kind, job))
        self.running[kind] = task
        row = self.rows.get(kind)
        if row is not None:
            row.button.setEnabled(False)
            row.show_progress(True)
        self.changed.emit()
        return task

    async def _run(self, kind: str, bar_job: Job) -> str:
        job, outcome = None, "Stopped."
        try:
            job = await run_in_thread(first_run.launch_job, kind, sft_steps=self.sft_steps.value(),
                                      subject=self.subject_settings)
            while job.proc.poll() is None:
                progress = await run_in_thread(job.progress)
                self._show_progress(kind, progress, bar_job)
                await asyncio.sleep(POLL_S)
            progress = await run_in_thread(job.progress)
            outcome = await run_in_thread(self._outcome, kind, job, progress)
        except asyncio.CancelledError:
            outcome = "Cancelled." + (" The model saved at its last evaluation is kept." if kind == "sft" else "")
            raise
        except Exception as e:  # said under the row: the pane keeps working
            outcome = f"Could not run it: {e}"
        finally:
            if job is not None:
                job.cancel()
            self.running.pop(kind, None)
            self.outcomes[kind] = outcome
            if self.config is not None:
                self.check(self.config)
        return outcome

    def _show_progress(self, kind: str, progress: first_run.JobProgress, bar_job: Job) -> None:
        self.jobs.progress(bar_job, progress.fraction)
        row = self.rows.get(kind)
        if row is None:
            return
        if progress.fraction is None:
            row.bar.setRange(0, 0)
        else:
            row.bar.setRange(0, 1000)
            row.bar.setValue(int(progress.fraction * 1000))
        row.status.setText(progress.text + first_run.describe_eta(progress))
        row.show_progress(True)

    @staticmethod
    def _outcome(kind: str, job: first_run.FirstRunJob, progress: first_run.JobProgress) -> str:
        """The job's result in a sentence (reads its log: call through run_in_thread)."""
        code = job.proc.returncode
        if kind == "sft" and progress.result:  # exit 1 = below the render target, but a model is saved
            target = first_run.sft_target(progress.result.get("target_nonblank"))
            return f"Done: {progress.text}." + ("" if progress.result.get("reached_target") else
                                               f" Below the {target} target: runs can start, from a weaker model.")
        if code == 0:
            return f"Done: {progress.text}." if progress.text else "Done."
        return f"Failed (exit {code}): {first_run.log_tail(job.log)} — the whole output is in {job.log}."

    def cancel_all(self) -> None:
        for task in [*self.running.values(), *([self._checking] if self._checking is not None else [])]:
            task.cancel()  # a check landing after the pane is gone would fill deleted widgets
