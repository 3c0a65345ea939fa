"""The Rubric pane's left column: one row per component with a weight slider and a gate toggle."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSlider, QWidget

from studio.ops.rubric_sample import Setting

if TYPE_CHECKING:
    from core.reward.rubric import Rubric

STEPS = 100  # slider steps per 1.0 of weight


class ComponentControls(QWidget):
    """Emits `changed` on every slider move or gate toggle; `settings()` reads them all."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.sliders: dict[str, QSlider] = {}
        self.gates: dict[str, QCheckBox] = {}
        self.values: dict[str, QLabel] = {}

    def set_rubric(self, rubric: Rubric, notes: dict[str, str] | None = None) -> None:
        """One row per component of the preset, at its nominal weight and gate."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.sliders, self.gates, self.values = {}, {}, {}
        for col, text in enumerate(("component", "weight", "", "gate")):
            head = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(head, 0, col)
        for row, spec in enumerate(rubric.specs, start=1):
            name = QLabel(spec.name if len(spec.name) <= 14 else spec.name[:13] + "…")
            tip = (notes or {}).get(spec.name, "")
            name.setToolTip(f"{spec.fn}{' (fallback ' + spec.fallback + ')' if spec.fallback else ''}"
                            f"{chr(10) + tip if tip else ''}")
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, STEPS)
            slider.setValue(round(spec.weight * STEPS))
            slider.setMinimumWidth(50)
            slider.setAccessibleName(f"weight of {spec.name}")
            value = QLabel(f"{spec.weight:.2f}")
            value.setMinimumWidth(34)
            gate = QCheckBox()
            gate.setChecked(spec.gate)
            gate.setToolTip(f"{spec.name} multiplies the total (a 0 zeroes it)")
            slider.valueChanged.connect(lambda v, lab=value: lab.setText(f"{v / STEPS:.2f}"))
            slider.valueChanged.connect(self.changed)
            gate.toggled.connect(self.changed)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(slider, row, 1)
            self.grid.addWidget(value, row, 2)
            self.grid.addWidget(gate, row, 3)
            self.sliders[spec.name], self.gates[spec.name], self.values[spec.name] = slider, gate, value
        self.grid.setColumnStretch(1, 1)

    def settings(self) -> dict[str, Setting]:
        return {n: Setting(s.value() / STEPS, self.gates[n].isChecked()) for n, s in self.sliders.items()}

    def set_weight(self, name: str, weight: float) -> None:
        """Move a slider (as a drag would)."""
        self.sliders[name].setValue(round(weight * STEPS))
