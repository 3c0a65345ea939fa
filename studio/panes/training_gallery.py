"""Progression gallery: held-out prompts (rows) × checkpoints (columns), filled in as checkpoints land."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from studio.ops import training as ops

if TYPE_CHECKING:
    from core.store import Store

CELL = 132


class ProgressionGallery(QWidget):
    """A grid of rendered held-out samples; `refresh(run_id)` adds the cells that are new."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.run_id: str | None = None
        self.cells: dict[tuple[str, int], QLabel] = {}
        self.prompts: list[str] = []
        self.steps: list[int] = []
        self.inner = QWidget()
        self.grid = QGridLayout(self.inner)
        self.grid.setSpacing(6)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.inner)
        self.empty = QLabel("No held-out samples yet: the gallery fills in as checkpoints are evaluated.")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(area, 1)

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.cells.clear()
        self.prompts, self.steps = [], []

    async def refresh(self, run_id: str) -> int:
        """Load the run's held-out grid; returns how many new cells were painted."""
        if run_id != self.run_id:
            self.clear()
            self.run_id = run_id
        prompts, steps, cells = await ops.load_progression(self.store, run_id)
        if run_id != self.run_id:
            return 0
        self.empty.setVisible(not cells)
        if prompts != self.prompts or steps != self.steps:
            self._headers(prompts, steps)
        new = [c for key, c in cells.items() if key not in self.cells]
        pngs = await asyncio.gather(*(ops.read_png(self.store, c.png_hash) for c in new))
        if run_id != self.run_id:
            return 0
        for cell, png in zip(new, pngs, strict=True):
            self._paint(cell, png)
        return len(new)

    def _headers(self, prompts: list[str], steps: list[int]) -> None:
        self.prompts, self.steps = prompts, steps
        for c, step in enumerate(steps):
            label = QLabel(f"<b>step {step}</b>")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(label, 0, c + 1)
        for r, prompt in enumerate(prompts):
            label = QLabel(prompt)
            label.setWordWrap(True)
            label.setMaximumWidth(150)
            label.setToolTip(prompt)
            self.grid.addWidget(label, r + 1, 0)
        # cells already painted move with their row/column
        for (prompt, step), label in self.cells.items():
            self.grid.addWidget(label, prompts.index(prompt) + 1, steps.index(step) + 1)

    def _paint(self, cell: Any, png: bytes | None) -> None:
        label = QLabel()
        label.setFixedSize(CELL, CELL)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        total = "—" if cell.total is None else f"{cell.total:.2f}"
        label.setToolTip(f"{cell.prompt}\nstep {cell.step} · reward {total}")
        pix = QPixmap()
        if png and pix.loadFromData(png):
            label.setPixmap(pix.scaled(CELL, CELL, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        else:
            label.setText("no render")
            label.setStyleSheet("color: #888; border: 1px dashed #888;")
        self.cells[(cell.prompt, cell.step)] = label
        self.grid.addWidget(label, self.prompts.index(cell.prompt) + 1, self.steps.index(cell.step) + 1)
