"""The Training pane: start, stop and resume GRPO runs; what a run is doing; live curves, gallery, rollouts.

Runs live in their own process (`brushwork train`, at a lower CPU priority) and write SQLite; this
pane only reads. A 10 Hz timer tails the selected run's metrics off the GUI thread and feeds pyqtgraph
curves created once (`CurveBoard`); a slower timer refreshes run statuses (a killed runner shows as
`died`, with Resume), the run's phase (loading, held-out, step N of M with an ETA, stopping: from the
first second), warnings on the curves, the gallery and the rollouts. The New run tab first says what
a run needs and builds the missing pieces (training_setup.py).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.bus import ChangeBus, Jobs
from studio.ops import training as ops
from studio.ops.training import METRIC_CHUNK, MetricTail, RunInfo, RunProgress, run_progress, seconds_per_step
from studio.panes import training_status
from studio.panes.tasks import TaskSet
from studio.panes.training_gallery import ProgressionGallery
from studio.panes.training_rollouts import RolloutBrowser
from studio.panes.training_setup import SetupBox
from studio.panes.training_status import PROBLEM_STYLE, PendingStart, RunStatus, close_question, run_labels
from studio.widgets.config_form import ConfigForm
from studio.widgets.curve_plot import CurveBoard
from studio.widgets.wheel_guard import guard_wheel

if TYPE_CHECKING:
    from core.store import Store

STATUS_MARK = {"running": "● ", "created": "○ ", "finished": "✓ ", "stopped": "■ ", "died": "✕ ", "failed": "✕ "}
WARNING_KINDS = ("collapse", "saturated", "correlated", "warning")
# Time the 10 Hz tick may spend pushing curves to pyqtgraph; the rest waits for the next tick.
REDRAW_BUDGET_MS = 20.0


class TrainingPane(QWidget):
    """Runs list and controls on the left; status, curves / gallery / rollouts / new-run form on the right."""

    title = "Train"

    def __init__(self, store: Store, renderer: Any, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.bus, self.jobs = store, bus, jobs
        self.tasks = TaskSet(self._failed)
        self.runs: list[RunInfo] = []
        self.labels: dict[str, str] = {}
        self.run_id: str | None = None
        self.overlay_id: str | None = None
        self.tails: dict[str, MetricTail] = {}
        self.pending: PendingStart | None = None
        self.start_problem: str | None = None  # why the last start or resume did not happen
        self.progress: RunProgress | None = None
        self.stop_asked: set[str] = set()  # runs told to stop that have not ended yet
        self._events: list = []
        self._row_ids: list[str | None] = []  # run id per list row (None: the pending start)
        self._rollouts_step: tuple[str | None, int | None] = (None, None)
        self._polling: set[str] = set()  # runs ("main", "overlay") whose read is in flight
        self._slow_busy = False
        self._first_listing = True
        self._auto_form = False   # the pane showed New run by itself (no runs yet)
        self._switching = False
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
        self.status = RunStatus()
        self.summary, self.phase, self.problem = self.status.summary, self.status.phase, self.status.problem
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
        self.tabs.currentChanged.connect(self._tab_changed)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.status)
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
        self.setup = SetupBox(self.store, self.jobs)
        self.setup.changed.connect(self._update_launch)
        self.preset = QComboBox()
        self.preset.currentIndexChanged.connect(self._load_preset)
        self._preset_generation = 0  # newest preset chosen; an older read landing late is dropped
        guard_wheel(self.preset)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form = None
        self.form_error = QLabel()
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet(PROBLEM_STYLE)
        self.form_error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.launch_button = QPushButton("Start run")
        self.launch_button.clicked.connect(lambda: self.tasks.spawn(self.start_from_form()))
        top = QHBoxLayout()
        top.addWidget(QLabel("Preset"))
        top.addWidget(self.preset, 1)
        layout.addWidget(self.setup)
        layout.addLayout(top)
        layout.addWidget(self.form_area, 1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.launch_button)
        self.presets_listed = self.tasks.spawn(self._fill_presets())
        return tab

    async def _fill_presets(self) -> None:
        """List the shipped presets (in a thread), then load the first into the form."""
        self.preset.blockSignals(True)
        for path in await ops.list_presets():
            self.preset.addItem(path.stem, str(path))
        self.preset.blockSignals(False)
        self._load_preset()

    def _load_preset(self) -> None:
        path = self.preset.currentData()
        self._preset_generation += 1
        self.form_loaded = self.tasks.spawn(self._read_preset(self._preset_generation, Path(path) if path else None))

    async def _read_preset(self, generation: int, path: Path | None) -> None:
        try:
            config = await ops.load_run_config(path)
        except Exception as e:  # the training core missing or a broken preset: say so, keep the pane
            if generation == self._preset_generation:
                self.form_error.setText(f"Cannot load the run config: {e}")
                self.launch_button.setEnabled(False)
            return
        if generation != self._preset_generation:
            return  # another preset was chosen meanwhile
        self.form = ConfigForm(config)
        for name in ("model", "rubric"):  # what the setup box checks: re-check once edited
            editor = self.form.editors.get(name, (None,))[0]
            if editor is not None and hasattr(editor, "editingFinished"):
                editor.editingFinished.connect(self.check_setup)
        self.form_area.setWidget(self.form)
        self.form_error.clear()
        self.check_setup()

    def check_setup(self) -> asyncio.Task | None:
        """Re-check what the form's run needs (the setup box above the form)."""
        try:
            config = ops.form_config(self.form.values()) if self.form is not None else None
        except Exception as e:
            self.form_error.setText(f"Not valid yet: {e}")
            self._update_launch()
            return None
        return self.setup.check(config) if config is not None else None

    def _update_launch(self) -> None:
        ready = self.form is not None and self.setup.ready
        self.launch_button.setEnabled(ready)
        self.launch_button.setToolTip("" if ready else "First make what the run needs (the box above)")

    def _switch_tab(self, tab: QWidget) -> None:
        self._auto_form = False
        self._switching = True
        try:
            self.tabs.setCurrentWidget(tab)
        finally:
            self._switching = False

    def _tab_changed(self, _index: int) -> None:
        if not self._switching:
            self._auto_form = False  # the user chose a tab: the pane no longer switches on its own
        self.curves.redraw()
        current = self.tabs.currentWidget()
        if current is self.form_tab:
            self.check_setup()
        elif current is self.rollouts:
            self._refresh_rollouts(force=True)
        self.tasks.spawn(self._slow())

    # -- runs -----------------------------------------------------------------------------------
    async def start_from_form(self) -> RunInfo | None:
        """Check the form and what it needs, save it as a config file, start the runner and follow it."""
        if self.form is None:
            return None
        try:
            values = self.form.values()
            config = ops.form_config(values)
        except Exception as e:
            self.form_error.setText(f"Not started: {e}")
            return None
        needs = await self.setup.check(config)
        missing = [n.label.lower() for n in needs if n.required and not n.ok]
        if missing:
            self.form_error.setText(f"Not started: the run needs {', '.join(missing)} first (see above).")
            return None
        try:
            path = await ops.save_run_config(values, self.preset.currentText() or "run")
        except Exception as e:
            self.form_error.setText(f"Not started: {e}")
            return None
        self.form_error.clear()
        self._begin_pending(PendingStart(config.name, "Starting", time.monotonic()))
        self._switch_tab(self.curves)
        try:
            run = await ops.start_run(self.store, path)
        except ops.RunStartError as e:
            self._end_pending(f"The run did not start: {e}")
            self.form_error.setText(str(e))
            return None
        self.pending = None  # the next listing has the new run first, and selects it
        await self._slow()
        self.select_run(run.id)
        self.bus.message.emit(f"Started run {self.labels.get(run.id, run.name)}.")
        return run

    def _begin_pending(self, pending: PendingStart) -> None:
        self.pending = pending
        self.start_problem = None
        self.problem.hide()
        if pending.run_id is None:  # a new run: nothing of the previously selected one stays on screen
            self.run_id = None
            self.tails.pop("main", None)
            self.curves.reset("main", pending.name)
            self.rollouts.set_run(None)
        self._show_runs(self.runs)

    def _end_pending(self, problem: str | None = None) -> None:
        self.pending = None
        self.start_problem = problem  # said until the next start, whichever run is shown
        self._show_runs(self.runs)

    def selected_run(self) -> RunInfo | None:
        return next((r for r in self.runs if r.id == self.run_id), None)

    def stop_selected(self) -> bool:
        """Ask the selected run to stop after its current step; the pane says so at once."""
        run = self.selected_run()
        if run is None or run.status not in ("running", "created") or run.id in self.stop_asked:
            return False
        self.stop_asked.add(run.id)  # said at once; the stop file and the signal go out on a worker
        label = self.labels.get(run.id, run.name)
        self.tasks.spawn(self._stop(run, label))
        self._update_buttons()
        self._update_summary()
        return True

    async def _stop(self, run: RunInfo, label: str) -> None:
        if await ops.stop_run(run):
            self.bus.message.emit(f"Stopping {label} after its current step…")
        else:
            self.stop_asked.discard(run.id)
            self.bus.message.emit(f"{label} is not running.")
            self._update_buttons()

    async def resume_selected(self) -> RunInfo | None:
        run = self.selected_run()
        if run is None or not run.resumable:
            return None
        self._begin_pending(PendingStart(run.name, "Resuming", time.monotonic(), run.id))
        self._update_buttons()
        try:
            resumed = await ops.resume_run(self.store, run)
        except ops.RunStartError as e:
            self._end_pending(f"Resume failed: {e}")
            self.bus.message.emit(str(e))
            return None
        self._end_pending()
        await self._slow()
        return resumed

    def select_run(self, run_id: str) -> None:
        if run_id in self._row_ids:
            self.run_list.setCurrentRow(self._row_ids.index(run_id))

    def _select_row(self, row: int) -> None:
        if not 0 <= row < len(self._row_ids) or self._row_ids[row] is None:
            return
        run = next(r for r in self.runs if r.id == self._row_ids[row])
        if run.id == self.run_id:
            return
        self.run_id = run.id
        self.curves.reset("main", self.labels.get(run.id, run.name))
        self.tails["main"] = MetricTail(self.store, run.id)
        self._events = []
        self.progress = None
        if self.overlay_id == run.id:  # a run is not compared with itself
            self.overlay_id = None
            self.tails.pop("overlay", None)
            self.curves.reset("overlay")
        self.rollouts.set_run(run.id)
        self._rollouts_step = (run.id, run.last_step)
        self._fill_overlay()
        self._update_buttons()
        self._update_summary()
        self.tasks.spawn(self._slow())

    def _fill_overlay(self) -> None:
        """Compare with: every run but the selected one."""
        self.overlay.blockSignals(True)
        self.overlay.clear()
        self.overlay.addItem("(none)", None)
        for run in self.runs:
            if run.id != self.run_id:
                self.overlay.addItem(self.labels.get(run.id, run.name), run.id)
        self.overlay.setCurrentIndex(max(0, self.overlay.findData(self.overlay_id)))
        self.overlay.blockSignals(False)

    def _overlay_changed(self, _index: int) -> None:
        run_id = self.overlay.currentData()
        if run_id == self.overlay_id:
            return
        self.overlay_id = run_id
        self.tails.pop("overlay", None)
        run = next((r for r in self.runs if r.id == run_id), None)
        self.curves.reset("overlay", self.labels.get(run.id, run.name) if run else "")
        if run is not None:
            self.tails["overlay"] = MetricTail(self.store, run.id)

    def _update_buttons(self) -> None:
        run = self.selected_run()
        live = bool(run and run.status in ("running", "created"))
        stopping = bool(run and run.id in self.stop_asked)
        resuming = bool(self.pending and run and self.pending.run_id == run.id)
        self.stop_button.setEnabled(live and not stopping)
        self.stop_button.setText("Stopping…" if live and stopping else "Stop")
        self.resume_button.setEnabled(bool(run and run.resumable) and not resuming)

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
        elif self.pending is not None:
            self._update_summary()  # the seconds of a start tick on even while a read is in flight

    async def _slow(self) -> None:
        """Run statuses and phase, warnings on the curves, and the gallery / rollouts of the selected run."""
        self._slow_busy = True
        try:
            runs = await ops.list_runs(self.store)
            self.stop_asked &= {r.id for r in runs if r.status in ("running", "created")}
            if [(r.id, r.status, r.last_step, r.error) for r in runs] != \
                    [(r.id, r.status, r.last_step, r.error) for r in self.runs] or self._first_listing:
                self._show_runs(runs)
            if self.run_id:
                run_id = self.run_id
                events = await ops.run_events(self.store, run_id)
                if run_id != self.run_id:
                    return
                self._events = events
                for event in events:
                    if any(k in event.kind for k in WARNING_KINDS):
                        self.curves.mark(event.step, event.kind, event.message)
                if self.tabs.currentWidget() is self.gallery:
                    await self.gallery.refresh(run_id)
                self._refresh_rollouts()
            self._update_summary()
        finally:
            self._slow_busy = False

    def _refresh_rollouts(self, force: bool = False) -> None:
        """Reload the rollouts when they are shown and the run has logged steps since they were read."""
        run = self.selected_run()
        if run is None or self.tabs.currentWidget() is not self.rollouts:
            return
        if force or self._rollouts_step != (run.id, run.last_step):
            self._rollouts_step = (run.id, run.last_step)
            self.rollouts.set_run(run.id, reload=True)

    def _show_runs(self, runs: list[RunInfo]) -> None:
        first = self._first_listing
        self._first_listing = False
        self.runs = runs
        self.labels = run_labels(runs)
        self.run_list.blockSignals(True)
        self.run_list.clear()
        self._row_ids = []
        if self.pending is not None and self.pending.run_id is None:
            item = QListWidgetItem(f"○ {self.pending.name}\n   starting…")
            item.setToolTip("The training process is starting; its run appears here once it has loaded.")
            self.run_list.addItem(item)
            self._row_ids.append(None)
        for run in runs:
            step = "" if run.last_step is None else f" · step {run.last_step}"
            status = "stopping" if run.id in self.stop_asked else run.status
            item = QListWidgetItem(f"{STATUS_MARK.get(run.status, '')}{self.labels[run.id]}\n   {status}{step}")
            item.setToolTip(run.error or f"{run.id} ({run.status})")
            self.run_list.addItem(item)
            self._row_ids.append(run.id)
        if None in self._row_ids and self.run_id is None:
            self.run_list.setCurrentRow(0)
        self.run_list.blockSignals(False)
        if self.run_id in self._row_ids:
            self.run_list.setCurrentRow(self._row_ids.index(self.run_id))
        elif runs and self.pending is None:
            self.run_list.setCurrentRow(self._row_ids.index(runs[0].id))
            self._select_row(self._row_ids.index(runs[0].id))
        self._fill_overlay()
        if first and not runs:  # nothing trained yet: the New run tab says what a first run needs
            self._switch_tab(self.form_tab)
            self._auto_form = True
        elif runs and self._auto_form and self.tabs.currentWidget() is self.form_tab:
            self._switch_tab(self.curves)  # the first run appeared (from here or a terminal): follow it
        self._update_buttons()
        self._update_summary()

    def _update_summary(self) -> None:
        pending = self.pending
        run = self.selected_run()
        if pending is not None and (run is None or pending.run_id == run.id):
            self.status.show_pending(pending)
            return
        if run is None:
            self.summary.setText("No runs yet: the New run tab says what a first run needs, builds it, and "
                                 "starts it (tiny-cpu trains on this CPU).")
            self.status.show_phase("", None)
            self.status.show_problem(self.start_problem or "")
            return
        loading = self.curves.is_loading("main")
        reward = None if loading else self.curves.latest("reward")  # mid-backlog it is an old step's
        parts = [f"<b>{self.labels.get(run.id, run.name)}</b> — {'stopping' if run.id in self.stop_asked else run.status}",
                 f"reward {reward:.3f}" if reward is not None else ""]
        if loading:  # a long run's backlog is drawn once it is all read
            parts.append(f"reading its metrics… {self.curves.points('main'):,} points so far")
        self.summary.setText(" · ".join(p for p in parts if p))
        step_times = self.curves.runs.get("main")
        buf = step_times.series.get("step_time") if step_times else None
        step_s = seconds_per_step(list(buf.data()[1][-10:])) if buf is not None and buf.n else None
        self.progress = run_progress(run, self._events, step_s=step_s, stop_asked=run.id in self.stop_asked)
        text = self.progress.text
        if run.status == "died":
            text += " — Resume continues from the last checkpoint"
        live = run.status in ("running", "created")
        self.status.show_phase(text if live or run.status in ("finished", "stopped") else "",
                               self.progress.fraction if live else None)
        self.status.show_problem(self.start_problem or (text if run.status in ("failed", "died") else ""))

    # -- rollouts → editor ----------------------------------------------------------------------
    async def open_sample(self, sample: Any) -> int:
        """Open a rollout in the editor: it joins the library now, with its run, step, prompt and seed."""
        run = self.selected_run()
        label = self.labels.get(run.id, run.name) if run else (self.run_id or "")
        sketch_id = await ops.sample_to_sketch(self.store, sample, label)
        self.bus.emit_change("sketches", (sketch_id,))
        self.bus.open_sketch.emit(sketch_id)
        return sketch_id

    # -- lifecycle ------------------------------------------------------------------------------
    def running_runs(self) -> list[RunInfo]:
        return [r for r in self.runs if r.status in ("running", "created")]

    def ask_before_close(self, answered: Callable[[bool], None]) -> QMessageBox | None:
        """Before the studio closes with a run training: stop it, leave it running, or cancel closing.

        Non-blocking (window-modal, no nested event loop): `answered(True)` once the studio may close
        (a stop has been sent when chosen), `answered(False)` on Cancel. None when nothing runs."""
        running = [r for r in self.running_runs() if r.id not in self.stop_asked]
        if not running:
            return None

        to_stop: list[RunInfo] = []

        def answer(may_close: bool) -> None:
            if may_close and to_stop:  # the window closes once the stops have gone out (in a thread)
                self.stop_asked.update(r.id for r in to_stop)
                self.tasks.spawn(training_status.stop_then_close(list(to_stop), self.stop_asked, answered))
            else:
                answered(may_close)
        self.close_box = close_question(self.window(), running, self.labels, to_stop.append, answer)  # tests answer it
        return self.close_box

    def set_dark(self, dark: bool) -> None:
        self.curves.set_dark(dark)

    def shutdown(self) -> None:
        self.metric_timer.stop()
        self.slow_timer.stop()
        self.setup.cancel_all()
        self.tasks.cancel_all()

    def shortcuts(self) -> list[tuple[str, str]]:
        return []

    def _failed(self, error: BaseException) -> None:
        self.bus.message.emit(f"Training pane: {error}")
