"""Rollout browser: a run's samples with image, total, components and code; open one in the editor."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.ops import training as ops
from studio.ops.training import SampleRow

if TYPE_CHECKING:
    from core.store import Store

ORDERS = {"Newest step first": "step", "Highest reward first": "reward", "Lowest reward first": "reward_asc"}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class RolloutBrowser(QWidget):
    """Filter by step range and prompt, sort by reward; `open_requested(sample)` goes to the editor."""

    open_requested = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.run_id: str | None = None
        self.rows: list[SampleRow] = []
        self._task: asyncio.Task | None = None
        self._png_task: asyncio.Task | None = None
        self.step_min = QSpinBox(minimum=0, maximum=10**7, specialValueText="first")
        self.step_max = QSpinBox(minimum=0, maximum=10**7, specialValueText="last")
        self.prompt = QLineEdit(placeholderText="prompt contains…", clearButtonEnabled=True)
        self.order = QComboBox()
        self.order.addItems(list(ORDERS))
        for w in (self.step_min, self.step_max, self.order):
            (w.valueChanged if isinstance(w, QSpinBox) else w.currentIndexChanged).connect(self.reload)
        self.prompt.returnPressed.connect(self.reload)
        filters = QHBoxLayout()
        for label, w in (("steps", self.step_min), ("to", self.step_max)):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        filters.addWidget(self.prompt, 1)
        filters.addWidget(self.order)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["step", "prompt", "total", "components"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a rollout; the whole text is in the tooltip and the detail
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for col in (0, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.image = QLabel("Select a rollout")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setWordWrap(True)
        self.image.setMinimumSize(160, 160)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.code = QPlainTextEdit(readOnly=True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.open_button = QPushButton("Open in editor")
        self.open_button.setToolTip("Open this rollout's code in the editor, with its run and step as lineage")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.image, 2)
        side_layout.addWidget(self.detail)
        side_layout.addWidget(self.code, 3)
        side_layout.addWidget(self.open_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

    def set_run(self, run_id: str | None, reload: bool = False) -> asyncio.Task | None:
        """Show a run's rollouts (None: none); `reload` reads them again for the same run."""
        if run_id == self.run_id and not reload:
            return None
        self.run_id = run_id
        if run_id is None:
            self.rows = []
            self.table.setRowCount(0)
            self._show_selected()
            return None
        return self.reload()

    def reload(self) -> asyncio.Task | None:
        if self.run_id is None:
            return None
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = asyncio.ensure_future(self._load())
        return self._task

    async def _load(self) -> None:
        run_id = self.run_id
        filters = {"order": ORDERS[self.order.currentText()], "prompt": self.prompt.text().strip() or None,
                   "step_min": self.step_min.value() or None, "step_max": self.step_max.value() or None}
        rows = await ops.load_samples(self.store, run_id, **filters)
        if run_id != self.run_id:
            return
        keep = self.selected()
        self.rows = rows
        self.table.blockSignals(True)  # one update of the detail below, for the row selected at the end
        self.table.clearSelection()
        self.table.setRowCount(len(rows))
        for r, s in enumerate(rows):
            comps = ", ".join(f"{k} {_fmt(v)}" for k, v in s.components.items())
            for c, text in enumerate((str(s.step), s.prompt, _fmt(s.total), comps)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        ids = [s.id for s in rows]
        if rows:  # the rollout shown before stays selected where it still is; else the first
            self.table.selectRow(ids.index(keep.id) if keep is not None and keep.id in ids else 0)
        self.table.blockSignals(False)
        self._show_selected()

    def selected(self) -> SampleRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _show_selected(self) -> None:
        sample = self.selected()
        self.open_button.setEnabled(sample is not None)
        if sample is None:
            self.code.clear()
            self.detail.clear()
            self.image.setPixmap(QPixmap())
            self.image.setText("No rollouts yet: they appear as the run logs its steps." if self.run_id else
                               "Select a run")
            return
        self.image.setPixmap(QPixmap())
        self.image.setText("Loading the picture…" if sample.png_hash else "This rollout did not render.")
        self.code.setPlainText(sample.code or sample.completion)
        comps = "<br>".join(f"{k}: <b>{_fmt(v)}</b>" for k, v in sample.components.items())
        self.detail.setText(f"step {sample.step} · {sample.split or 'train'} · total <b>{_fmt(sample.total)}</b>"
                            f"<br>{comps}")
        if self._png_task is not None and not self._png_task.done():
            self._png_task.cancel()  # a newer selection: its picture is the one to read
        self._png_task = asyncio.ensure_future(self._show_png(sample))  # held: the loop keeps only weak refs

    async def _show_png(self, sample: SampleRow) -> None:
        png = await ops.read_png(self.store, sample.png_hash)
        if self.selected() is not sample:
            return
        pix = QPixmap()
        if png and pix.loadFromData(png):
            side = max(120, min(self.image.width(), self.image.height()))
            self.image.setPixmap(pix.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        else:
            self.image.setPixmap(QPixmap())
            self.image.setText("This rollout did not render.")

    def _open(self) -> None:
        sample = self.selected()
        if sample is not None:
            self.open_requested.emit(sample)
