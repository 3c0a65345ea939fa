"""Side boxes of the Rubric pane: the learned reward model (accuracy, Retrain) and the diagnostics warnings."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

WARNING_ICONS = {"correlated": "≈", "saturated": "▬", "effective": "⚖"}


class LearnedModelBox(QGroupBox):
    """Held-out pair accuracy of the learned model against "more colourful wins", and a Retrain button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Learned reward model", parent)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.retrain_button = QPushButton("Retrain")
        self.retrain_button.setToolTip("train on the pool's current ratings (about a minute on a CPU)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.retrain_button)
        self.summary: dict | None = None

    def refresh(self, meta: dict | None) -> None:
        self.summary = meta
        if meta is None:
            self.text.setText("No model trained yet. Retrain learns from your love / okay / nope ratings "
                              "(or the demo pool: <code>brushwork rm demo-pool</code>).")
            return
        acc, base = meta.get("heldout_pair_accuracy"), meta.get("baseline_accuracy")
        pct = lambda v: "n/a" if v is None else f"{100 * v:.0f} %"  # noqa: E731
        verdict = "" if acc is None or base is None else (" — beats the baseline" if acc > base
                                                         else " — does not beat the baseline")
        self.text.setText(
            f"Held-out pair accuracy <b>{pct(acc)}</b> vs {pct(base)} for “more colourful wins”{verdict}.<br>"
            f"{meta.get('heldout_pairs', 0)} held-out pairs of {meta.get('pairs', 0)}; "
            f"{meta.get('images', 0)} images{' (demo pool)' if meta.get('demo_pool') else ''}; "
            f"trained {escape(str(meta.get('trained_at', ''))).replace('T', ' ')}.")

    def set_busy(self, busy: bool) -> None:
        self.retrain_button.setEnabled(not busy)
        self.retrain_button.setText("Training…" if busy else "Retrain")


class WarningsBox(QLabel):
    """The reward engine's diagnostics as a list; says so when there is nothing to warn about."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.items: list[dict] = []
        self.setText("Diagnostics appear once a sample is scored.")

    def set_warnings(self, warnings: list[dict]) -> None:
        self.items = list(warnings)
        if not warnings:
            self.setText("No warnings: no two components correlate above 0.8, none is flat, "
                         "and every weight is worth about what it says.")
            return
        self.setText("<br>".join(f"{WARNING_ICONS.get(w.get('kind', ''), '•')} {escape(w.get('message', ''))}"
                                 for w in warnings))
