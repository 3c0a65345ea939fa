"""The Prompts pane: follow a GEPA evolution of the system prompt and promote the best one to training.

Top: pick a run, start a new one (a short form, or a TOML config), stop it. Left: the lineage graph (parent → child, Pareto
front in gold, rejected proposals dashed) over a table of candidates with their scores, hallucinated-API
and render rates. Right: the selected prompt, a diff between any two, and "Use as training system prompt".
The run's lineage file is polled once a second (read in a thread) and redrawn only when it changed.
Before a run starts, its endpoint and key are checked: a missing key or a server that does not
answer is said here, not discovered as forty zero scores. Every file and process call is an op the
pane awaits in a task (studio/ops/prompts.py); none runs on the GUI thread.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.prompts.lineage import Lineage
from studio.ops import prompts as ops
from studio.panes.prompts_graph import LineageGraph
from studio.panes.prompts_new_run import NewRunDialog
from studio.panes.tasks import TaskSet

if TYPE_CHECKING:
    from core.prompts.lineage import LineageNode

COLUMNS = ("Candidate", "Status", "Parents", "Score", "Hallucinated", "Rendered", "Front")


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.0%}"


class PromptsPane(QWidget):
    """Lineage graph, candidate table, prompt text and diff, promote to training."""

    def __init__(self, store, renderer, bus, jobs, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.title = "Prompts"
        self.bus = bus
        self.run_dir: Path | None = None
        self.lineage = Lineage([], [], 0, False)
        self.process = None
        self.promoted: Path | None = None
        self._stamp = -1.0
        self._reading = False
        self.tasks = TaskSet(self._failed)  # file reads and writes, the endpoint check, starting a run
        self._build()
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.refresh_runs()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.runs = QComboBox()
        self.runs.setMinimumWidth(180)
        self.runs.currentIndexChanged.connect(self._run_chosen)
        self.new_button = QPushButton("New run…")
        self.new_button.setToolTip("Evolve a prompt against an OpenAI-compatible endpoint")
        self.new_button.clicked.connect(self.new_run_dialog)
        self.start_button = QPushButton("From config…")
        self.start_button.setToolTip("Start (or resume) an evolution from a TOML config")
        self.start_button.clicked.connect(self.start_dialog)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem = QLabel("")
        self.problem.setObjectName("promptsProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem.hide()
        bar = QHBoxLayout()
        for w in (QLabel("Run:"), self.runs, self.new_button, self.start_button, self.stop_button):
            bar.addWidget(w)
        self.graph = LineageGraph()
        self.graph.selected.connect(self.show_candidate)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        graph_area = QScrollArea()
        graph_area.setWidget(self.graph)
        graph_area.setWidgetResizable(True)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(graph_area)
        left.addWidget(self.table)
        left.setSizes([200, 340])
        self.text = QPlainTextEdit(readOnly=True)
        self.promote_button = QPushButton("Use as training system prompt")
        self.promote_button.clicked.connect(self.promote_current)
        prompt_tab = QWidget()
        col = QVBoxLayout(prompt_tab)
        col.addWidget(self.text, 1)
        col.addWidget(self.promote_button)
        self.diff_a, self.diff_b = QComboBox(), QComboBox()
        for combo in (self.diff_a, self.diff_b):
            combo.currentIndexChanged.connect(self.update_diff)
        self.diff = QPlainTextEdit(readOnly=True)
        diff_tab = QWidget()
        dcol = QVBoxLayout(diff_tab)
        pick = QHBoxLayout()
        for w in (QLabel("A"), self.diff_a, QLabel("B"), self.diff_b):
            pick.addWidget(w)
        dcol.addLayout(pick)
        dcol.addWidget(self.diff, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(prompt_tab, "Prompt")
        self.tabs.addTab(diff_tab, "Diff")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setSizes([520, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)

    # -- runs -----------------------------------------------------------------------------------
    def refresh_runs(self, select: Path | None = None) -> None:
        """Re-list the run folders (in a thread); keep (or switch to) `select`."""
        self.tasks.spawn(self._show_runs(select or self.run_dir))

    async def _show_runs(self, keep: Path | None) -> None:
        runs = await ops.list_runs()
        self.runs.blockSignals(True)
        self.runs.clear()
        for run in runs:
            self.runs.addItem(run.name, str(run))
        if keep is not None and self.runs.findData(str(keep)) < 0:
            self.runs.addItem(keep.name, str(keep))
        self.runs.blockSignals(False)
        index = self.runs.findData(str(keep)) if keep is not None else 0
        self.runs.setCurrentIndex(max(index, 0))
        self._run_chosen()

    def _run_chosen(self) -> None:
        data = self.runs.currentData()
        self.open_run(Path(data) if data else None)

    def open_run(self, run_dir: Path | None) -> None:
        """Show a run's lineage (None = nothing)."""
        self.run_dir = run_dir
        self._stamp = -1.0
        self.poll()

    def poll(self) -> None:
        """Reload the lineage (in a thread) when its file changed; update the running/finished status."""
        if self.process is not None and self.process.poll() is not None:
            self.bus.message.emit(f"Evolution ended (exit {self.process.returncode}).")
            self.process = None
        self.stop_button.setEnabled(self.process is not None)
        if self.run_dir is None:
            self.set_lineage(Lineage([], [], 0, False))
            return
        if self._reading:
            return
        self._reading = True
        self.tasks.spawn(self._read_lineage(self.run_dir, self._stamp))

    async def _read_lineage(self, run_dir: Path, stamp: float) -> None:
        try:
            now, lineage = await ops.lineage_since(run_dir, stamp)
        except Exception as e:  # noqa: BLE001 (a damaged or unreadable file is said, polling goes on)
            self.problem.setText(f"Cannot read the run's lineage: {e}")
            self.problem.show()
            return
        finally:
            self._reading = False
        if run_dir == self.run_dir and lineage is not None:
            self._stamp = now
            self.set_lineage(lineage)

    def set_lineage(self, lineage: Lineage) -> None:
        """Redraw graph, table and diff choices for `lineage`."""
        self.lineage = lineage
        self.graph.set_lineage(lineage)
        self.table.setRowCount(0)
        for node in lineage.nodes:
            self._add_row(node)
        for combo in (self.diff_a, self.diff_b):
            old = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for node in lineage.nodes:
                combo.addItem(f"{node.key} ({node.status})", node.key)
            combo.setCurrentIndex(max(combo.findData(old), 0) if old else 0)
            combo.blockSignals(False)
        best = lineage.best()
        if best is not None and self.diff_b.currentIndex() == 0:
            self.diff_b.setCurrentIndex(max(self.diff_b.findData(best.key), 0))
        accepted = sum(n.idx is not None for n in lineage.nodes)
        rejected = len(lineage.nodes) - accepted
        state = "running" if self.process is not None else ("finished" if lineage.finished else "")
        budget = f" · {lineage.metric_calls}/{lineage.metric_calls + lineage.remaining} calls" \
            if lineage.remaining is not None else f" · {lineage.metric_calls} calls"
        front = [n.key for n in lineage.nodes if n.on_front]
        best_text = f"Pareto front {', '.join(front)}" if front else "no Pareto front yet"
        self.status.setText(f"{accepted} candidates · {rejected} rejected · {best_text}{budget} {state}".strip())
        scored = [n.score for n in lineage.nodes if n.score is not None]
        if lineage.finished and scored and not any(scored):  # every candidate 0: the calls failed, say so
            self.problem.setText("Every candidate scored 0: the model calls probably failed (endpoint, key or "
                                 f"model name). The run's log: {self.run_dir / 'evolve.log' if self.run_dir else ''}")
            self.problem.show()
        self.update_diff()
        key = self.graph.current if self._node(self.graph.current) else (best.key if best else None)
        if key:
            self.graph.select(key)

    def _add_row(self, node: LineageNode) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        m = node.metrics
        cells = (node.key, node.status, ", ".join(map(str, node.parents)),
                 "–" if node.score is None else f"{node.score:.2f}", _pct(m.get("hallucination_rate")),
                 _pct(m.get("render_rate")), "★" if node.on_front else "")
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, node.key)
            if node.status == "rejected":
                item.setForeground(QColor("#c0504a"))
            self.table.setItem(r, c, item)

    def _node(self, key: str | None) -> LineageNode | None:
        return next((n for n in self.lineage.nodes if n.key == key), None) if key else None

    # -- selection, diff, promote ----------------------------------------------------------------
    def _row_chosen(self) -> None:
        items = self.table.selectedItems()
        if items:
            key = items[0].data(Qt.ItemDataRole.UserRole)
            if key != self.graph.current:
                self.graph.select(key)

    def show_candidate(self, key: str) -> None:
        node = self._node(key)
        if node is None:
            return
        self.text.setPlainText(node.text)
        usable = bool(node.text.strip()) and node.status != "rejected"
        self.promote_button.setEnabled(usable)
        self.promote_button.setToolTip("" if usable else "A rejected proposal scored worse than its parent: "
                                       "it cannot become the training system prompt.")
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == key:
                self.table.selectRow(r)
                break

    def update_diff(self) -> None:
        a, b = self._node(self.diff_a.currentData()), self._node(self.diff_b.currentData())
        self.diff.clear()
        if a is None or b is None:
            return
        cursor = self.diff.textCursor()
        colours = {"+": QColor("#2e7d32"), "-": QColor("#c62828")}
        for kind, line in ops.prompt_diff(a.text, b.text):
            fmt = QTextCharFormat()
            if kind in colours:
                fmt.setForeground(colours[kind])
            cursor.insertText(f"{kind} {line}\n", fmt)
        self.diff.moveCursor(QTextCursor.MoveOperation.Start)

    def current_text(self) -> str:
        node = self._node(self.graph.current)
        return node.text if node else ""

    def promote_current(self) -> QMessageBox | None:
        """Ask, then write the selected candidate where training reads its system prompt (in a thread;
        `promoted` holds the path once written). A rejected proposal is refused: None."""
        node = self._node(self.graph.current)
        if node is None or not node.text.strip():
            return None
        if node.status == "rejected":
            self.status.setText(f"{node.key} was rejected (it scored worse than its parent): not promoted.")
            return None
        score = "–" if node.score is None else f"{node.score:.2f}"
        box = QMessageBox(QMessageBox.Icon.Question, "Use as training system prompt",
                          f"Use {node.key} (score {score}) as the system prompt of training runs?", parent=self)
        box.setObjectName("promotePrompt")
        box.setInformativeText("It replaces the current training system prompt (kept as a .bak file). Runs with "
                               "system_prompt = \"@promoted\" use it from their next start.")
        use = box.addButton("Use it", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            if box.clickedButton() is use:
                self.tasks.spawn(self._promote(node.key, node.text))
        box.finished.connect(answered)
        self.promote_box = box  # tests answer it
        box.open()
        return box

    async def _promote(self, key: str, text: str) -> None:
        try:
            path = await ops.promote(text)
        except OSError as e:
            self.status.setText(f"Not promoted: {e}")
            return
        self.promoted = path
        self.bus.message.emit(f"Training system prompt set from {key}: {path}")
        self.status.setText(f"promoted {key} → {path}")

    # -- start / stop ----------------------------------------------------------------------------
    def new_run_dialog(self) -> NewRunDialog:
        """The new-run form; accepting it starts the run (returned for tests)."""
        dialog = NewRunDialog(self)
        dialog.accepted.connect(lambda: dialog.config_path and self.start(dialog.config_path))
        dialog.open()
        return dialog

    def start_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Evolution config", str(Path.home()), "TOML (*.toml)")
        if path:
            self.start(Path(path))

    def start(self, config: Path) -> None:
        """Check the config's endpoint and key, then start an evolution process and follow its run
        (in a thread; the problem, if any, is said above the lineage and nothing starts)."""
        self.problem.hide()
        self.status.setText("Checking the endpoint and key…")
        self.tasks.spawn(self._start(config))

    async def _start(self, config: Path) -> None:
        try:
            process, run_dir = await ops.check_and_start(config)
        except ops.EvolveStartError as e:
            self.status.setText("Not started.")
            self.problem.setText(f"Not started: {e}")
            self.problem.show()
            return
        self.process = process
        self.status.setText(f"Started {run_dir.name}.")
        self.refresh_runs(select=run_dir)

    def stop(self) -> None:
        if self.run_dir is not None:
            self.tasks.spawn(self._stop(self.run_dir))

    async def _stop(self, run_dir: Path) -> None:
        await ops.stop_evolution(run_dir)
        self.status.setText("stop requested: the run ends after its current step")

    def _failed(self, error: BaseException) -> None:
        self.problem.setText(f"Prompts pane: {error}")
        self.problem.show()

    def shortcuts(self) -> list[tuple[str, str]]:
        return []

    def shutdown(self) -> None:
        self.timer.stop()
        self.tasks.cancel_all()
