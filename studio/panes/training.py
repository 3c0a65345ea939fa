"""The Training pane: start, stop and resume GRPO runs; live curves, progression gallery, rollouts.

Runs live in their own process (`brushwork train`) and write SQLite; this pane only reads. A 10 Hz
timer tails the selected run's metrics off the GUI thread and feeds pyqtgraph curves created once
(`CurveBoard`); a slower timer refreshes run statuses (a killed runner shows as `died`, with Resume),
warnings (drawn on the curves at their step) and the gallery.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.store import Store
from studio.bus import ChangeBus, Jobs
from studio.ops import training as ops
from studio.ops.training import METRIC_CHUNK, MetricTail, RunInfo
from studio.panes.library_thumbnails import TaskSet
from studio.panes.training_gallery import ProgressionGallery
from studio.panes.training_rollouts import RolloutBrowser
from studio.widgets.curve_plot import CurveBoard

STATUS_MARK = {"running": "● ", "created": "○ ", "finished": "✓ ", "stopped": "■ ", "died": "✕ ", "failed": "✕ "}
WARNING_KINDS = ("collapse", "saturated", "correlated", "warning")
# Time the 10 Hz tick may spend pushing curves to pyqtgraph; the rest waits for the next tick.
REDRAW_BUDGET_MS = 20.0


class TrainingPane(QWidget):
    """Runs list and controls on the left; curves / gallery / rollouts / new-run form on the right."""

    title = "Train"

    def __init__(self, store: Store, renderer: Any, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.bus, self.jobs = store, bus, jobs
        self.tasks = TaskSet(self._failed)
        self.runs: list[RunInfo] = []
        self.run_id: str | None = None
        self.overlay_id: str | None = None
        self.tails: dict[str, MetricTail] = {}
        self._polling: set[str] = set()  # runs ("main", "overlay") whose read is in flight
        self._slow_busy = False
        self._build()
        self.metric_timer = QTimer(self, interval=100, timeout=self._tick)
        self.slow_timer = QTimer(self, interval=1500, timeout=self._slow_tick)
        self.metric_timer.start()
        self.slow_timer.start()
        self.loaded = self.tasks.spawn(self._slow())

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.run_list = QListWidget()
        self.run_list.setMinimumWidth(150)
        self.run_list.currentRowChanged.connect(self._select_row)
        self.start_button = QPushButton("Start…")
        self.start_button.setToolTip("Configure and start a new run (the New run tab)")
        self.start_button.clicked.connect(lambda: self.tabs.setCurrentWidget(self.form_tab))
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the selected run after its current step (it can be resumed)")
        self.stop_button.clicked.connect(self.stop_selected)
        self.resume_button = QPushButton("Resume")
        self.resume_button.setToolTip("Resume the selected stopped or died run from its last checkpoint")
        self.resume_button.clicked.connect(lambda: self.tasks.spawn(self.resume_selected()))
        buttons = QHBoxLayout()
        for b in (self.start_button, self.stop_button, self.resume_button):
            buttons.addWidget(b)
        self.overlay = QComboBox()
        self.overlay.setToolTip("Draw another run's curves dashed over this one's (e.g. to compare rubrics)")
        self.overlay.currentIndexChanged.connect(self._overlay_changed)
        left = QWidget()
        left.setMaximumWidth(220)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Runs</b>"))
        left_layout.addWidget(self.run_list, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(QLabel("Compare with"))
        left_layout.addWidget(self.overlay)
        self.summary = QLabel("No run selected.")
        self.summary.setWordWrap(True)
        self.curves = CurveBoard()
        self.gallery = ProgressionGallery(self.store)
        self.rollouts = RolloutBrowser(self.store)
        self.rollouts.open_requested.connect(lambda s: self.tasks.spawn(self.open_sample(s)))
        self.form_tab = self._build_form_tab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.curves, "Curves")
        self.tabs.addTab(self.gallery, "Gallery")
        self.tabs.addTab(self.rollouts, "Rollouts")
        self.tabs.addTab(self.form_tab, "New run")
        self.tabs.currentChanged.connect(lambda _i: (self.curves.redraw(), self.tasks.spawn(self._slow())))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.tabs, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([180, 720])
        QVBoxLayout(self).addWidget(split)
        self._update_buttons()

    def _build_form_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.preset = QComboBox()
        for path in ops.list_presets():
            self.preset.addItem(path.stem, str(path))
        self.preset.currentIndexChanged.connect(self._load_preset)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form = None
        self.form_error = QLabel()
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("color: #c0392b;")
        self.launch_button = QPushButton("Start run")
        self.launch_button.clicked.connect(lambda: self.tasks.spawn(self.start_from_form()))
        top = QHBoxLayout()
        top.addWidget(QLabel("Preset"))
        top.addWidget(self.preset, 1)
        layout.addLayout(top)
        layout.addWidget(self.form_area, 1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.launch_button)
        self._load_preset()
        return tab

    def _load_preset(self) -> None:
        from studio.widgets.config_form import ConfigForm

        path = self.preset.currentData()
        try:
            config = ops.load_run_config(Path(path) if path else None)
        except Exception as e:  # the training core missing or a broken preset: say so, keep the pane
            self.form_error.setText(f"Cannot load the run config: {e}")
            self.launch_button.setEnabled(False)
            return
        self.form = ConfigForm(config)
        self.form_area.setWidget(self.form)
        self.form_error.clear()
        self.launch_button.setEnabled(True)

    # -- runs -----------------------------------------------------------------------------------
    async def start_from_form(self) -> RunInfo | None:
        """Validate the form, save it as a config file, start the runner and select the new run."""
        if self.form is None:
            return None
        try:
            values = self.form.values()
            path = await asyncio.get_running_loop().run_in_executor(
                None, ops.save_run_config, values, self.preset.currentText() or "run")
        except Exception as e:
            self.form_error.setText(f"Not started: {e}")
            return None
        self.form_error.setText("Starting…")
        try:
            run = await ops.start_run(self.store, path)
        except ops.RunStartError as e:
            self.form_error.setText(str(e))
            return None
        self.form_error.clear()
        await self._slow()
        self.select_run(run.id)
        self.tabs.setCurrentWidget(self.curves)
        self.bus.message.emit(f"Started run {run.name}.")
        return run

    def selected_run(self) -> RunInfo | None:
        return next((r for r in self.runs if r.id == self.run_id), None)

    def stop_selected(self) -> bool:
        run = self.selected_run()
        if run is None or run.status not in ("running", "created"):
            return False
        ok = ops.stop_run(run)
        self.bus.message.emit(f"Stopping {run.name} after its current step…" if ok else f"{run.name} is not running.")
        return ok

    async def resume_selected(self) -> RunInfo | None:
        run = self.selected_run()
        if run is None or not run.resumable:
            return None
        try:
            resumed = await ops.resume_run(self.store, run)
        except ops.RunStartError as e:
            self.bus.message.emit(str(e))
            QMessageBox.warning(self, "Resume failed", str(e))
            return None
        await self._slow()
        return resumed

    def select_run(self, run_id: str) -> None:
        for i, run in enumerate(self.runs):
            if run.id == run_id:
                self.run_list.setCurrentRow(i)
                return

    def _select_row(self, row: int) -> None:
        if not 0 <= row < len(self.runs):
            return
        run = self.runs[row]
        if run.id == self.run_id:
            return
        self.run_id = run.id
        self.curves.reset("main", run.name)
        self.tails["main"] = MetricTail(self.store, run.id)
        self.rollouts.set_run(run.id)
        self._update_buttons()
        self.tasks.spawn(self._slow())

    def _overlay_changed(self, _index: int) -> None:
        run_id = self.overlay.currentData()
        if run_id == self.overlay_id:
            return
        self.overlay_id = run_id
        self.tails.pop("overlay", None)
        run = next((r for r in self.runs if r.id == run_id), None)
        self.curves.reset("overlay", run.name if run else "")
        if run is not None:
            self.tails["overlay"] = MetricTail(self.store, run.id)

    def _update_buttons(self) -> None:
        run = self.selected_run()
        self.stop_button.setEnabled(bool(run and run.status in ("running", "created")))
        self.resume_button.setEnabled(bool(run and run.resumable))

    # -- polling --------------------------------------------------------------------------------
    def _tick(self) -> None:
        if not self.isVisible():
            return
        # Each run is read by its own task: an overlay's 600,000-row backlog, read in chunks, never
        # holds up the live run's newest points.
        for which in list(self.tails):
            if which not in self._polling:
                self._polling.add(which)
                self.tasks.spawn(self._poll_one(which))
        if self.curves.pending and self.curves.isVisible():
            self.curves.redraw(REDRAW_BUDGET_MS)  # what the last tick's budget left

    async def _poll_one(self, which: str) -> int:
        """Read one run's new metric rows, chunk after chunk while a backlog lasts (each chunk read in
        a worker thread; the loop paints in between); returns the rows read."""
        total = 0
        try:
            metric_tail = self.tails.get(which)
            while metric_tail is not None:
                batch = await ops.poll_metrics(metric_tail)
                if self.tails.get(which) is not metric_tail:
                    break
                # the main run's points carry their commit times: the board measures commit → screen;
                # a backlog read in chunks is drawn once its last chunk is in (more=…), not chunk by chunk
                was_loading = self.curves.is_loading(which)
                self.curves.add(batch.series, which, batch.oldest_at if which == "main" else None,
                                more=batch.rows >= METRIC_CHUNK)
                if not batch.rows:
                    if was_loading:  # the backlog was a whole number of chunks: it ends here
                        self._update_summary()
                    break
                if which == "main" and self.curves.isVisible():  # hidden curves keep their data
                    self.curves.redraw(REDRAW_BUDGET_MS)
                self._update_summary()
                total += batch.rows
                if batch.rows < METRIC_CHUNK:
                    break
            return total
        finally:
            self._polling.discard(which)

    async def poll_metrics(self) -> int:
        """Read new metric rows of the shown runs (a chunk each) and redraw; returns the rows read."""
        total = 0
        for which in list(self.tails):
            self._polling.add(which)
            total += await self._poll_one(which)
        if self.curves.isVisible():
            self.curves.redraw(REDRAW_BUDGET_MS)
        return total

    def _slow_tick(self) -> None:
        if not self._slow_busy and self.isVisible():
            self.tasks.spawn(self._slow())

    async def _slow(self) -> None:
        """Run statuses, warnings on the curves, and the gallery / rollouts of the selected run."""
        self._slow_busy = True
        try:
            runs = await ops.list_runs(self.store)
            if [(r.id, r.status, r.last_step) for r in runs] != [(r.id, r.status, r.last_step) for r in self.runs]:
                self._show_runs(runs)
            if self.run_id:
                for event in await ops.run_events(self.store, self.run_id):
                    if any(k in event.kind for k in WARNING_KINDS):
                        self.curves.mark(event.step, event.kind, event.message)
                if self.tabs.currentWidget() is self.gallery:
                    await self.gallery.refresh(self.run_id)
        finally:
            self._slow_busy = False

    def _show_runs(self, runs: list[RunInfo]) -> None:
        self.runs = runs
        self.run_list.blockSignals(True)
        self.run_list.clear()
        for run in runs:
            step = "" if run.last_step is None else f" · step {run.last_step}"
            item = QListWidgetItem(f"{STATUS_MARK.get(run.status, '')}{run.name}\n   {run.status}{step}")
            item.setToolTip(run.error or f"{run.id} ({run.status})")
            self.run_list.addItem(item)
        self.run_list.blockSignals(False)
        ids = [r.id for r in runs]
        if self.run_id in ids:
            self.run_list.setCurrentRow(ids.index(self.run_id))
        elif runs:
            self.run_list.setCurrentRow(0)
            self._select_row(0)
        self.overlay.blockSignals(True)
        self.overlay.clear()
        self.overlay.addItem("(none)", None)
        for run in runs:
            self.overlay.addItem(run.name, run.id)
        index = self.overlay.findData(self.overlay_id)
        self.overlay.setCurrentIndex(max(0, index))
        self.overlay.blockSignals(False)
        self._update_buttons()
        self._update_summary()

    def _update_summary(self) -> None:
        run = self.selected_run()
        if run is None:
            self.summary.setText("No runs yet: press Start… to configure one (tiny-cpu runs on this CPU).")
            return
        loading = self.curves.is_loading("main")
        reward = None if loading else self.curves.latest("reward")  # mid-backlog it is an old step's
        parts = [f"<b>{run.name}</b> — {run.status}", f"step {run.last_step}" if run.last_step is not None else "",
                 f"reward {reward:.3f}" if reward is not None else ""]
        if run.status == "died":
            parts.append("the runner process is gone: Resume continues from the last checkpoint")
        if loading:  # a long run's backlog is drawn once it is all read
            parts.append(f"reading its metrics… {self.curves.points('main'):,} points so far")
        self.summary.setText(" · ".join(p for p in parts if p))

    # -- rollouts → editor ----------------------------------------------------------------------
    async def open_sample(self, sample: Any) -> int:
        """Open a rollout in the editor as a model sketch carrying its run and step."""
        sketch_id = await ops.sample_to_sketch(self.store, sample, self.run_id or "")
        self.bus.emit_change("sketches", (sketch_id,))
        self.bus.open_sketch.emit(sketch_id)
        return sketch_id

    # -- lifecycle ------------------------------------------------------------------------------
    def running_runs(self) -> list[RunInfo]:
        return [r for r in self.runs if r.status == "running"]

    def ask_before_close(self) -> bool:
        """Before the studio closes: stop a running run, leave it running, or cancel closing."""
        running = self.running_runs()
        if not running:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "A training run is running",
                          f"{running[0].name} is still training. Stop it after its current step, or leave it "
                          "running in the background (the studio shows it again when you come back)?", parent=self)
        stop = box.addButton("Stop the run", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Leave it running", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is cancel:
            return False
        if box.clickedButton() is stop:
            for run in running:
                ops.stop_run(run)
        return True

    def set_dark(self, dark: bool) -> None:
        self.curves.set_dark(dark)

    def shutdown(self) -> None:
        self.metric_timer.stop()
        self.slow_timer.stop()
        self.tasks.cancel_all()

    def shortcuts(self) -> list[tuple[str, str]]:
        return []

    def _failed(self, error: BaseException) -> None:
        self.bus.message.emit(f"Training pane: {error}")
