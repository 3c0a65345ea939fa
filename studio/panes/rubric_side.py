"""Side boxes of the Rubric pane: the learned reward model (accuracy, Retrain) and the diagnostics warnings."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

WARNING_ICONS = {"correlated": "≈", "saturated": "▬", "effective": "⚖"}


class LearnedModelBox(QGroupBox):
    """How well the learned model orders paintings it never trained on, by prompt first (the comparison a
    GRPO group makes), against "more colourful wins"; and a Retrain button."""

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
        verdict = "" if acc is None or base is None else (" — beats it" if acc > base else " — does not beat it")
        self.text.setText(
            f"{_held_out(meta)}<br>"
            f"All {meta.get('heldout_pairs', 0)} held-out pairs (across prompts too): {_pct(acc)} vs {_pct(base)} "
            f"for “more colourful wins”{verdict}.<br>"
            f"{meta.get('images', 0)} images{' (demo pool)' if meta.get('demo_pool') else ''}; "
            f"trained {escape(str(meta.get('trained_at', ''))).replace('T', ' ')}.")
    def set_busy(self, busy: bool) -> None:
        self.retrain_button.setEnabled(not busy)
        self.retrain_button.setText("Training…" if busy else "Retrain")


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.0f} %"


def _held_out(meta: dict) -> str:
    """The headline: pairs of one held-out prompt (what a GRPO group compares), the CI over independent pairs,
    and whether those prompts were really unseen (a split by image flatters a model that reads the prompt)."""
    h = meta.get("heldout") or {}
    if not h:  # a brushwork-rm-1 model, trained before the by-prompt report
        return "Held-out accuracy by prompt: not reported by this older model (Retrain to measure it)."
    ci = h.get("ci95")
    indep = (f"independent pairs {_pct(h.get('independent_accuracy'))} "
             f"(95 % CI {_pct(ci[0])}–{_pct(ci[1])}, {h.get('independent_pairs', 0)} pairs)" if ci else
             "no independent pairs")
    same = h.get("same_prompt_accuracy")
    if meta.get("heldout_split") == "prompt":
        where = f"On {h.get('prompts', 0)} prompts it never trained on"
    else:
        where = ("Held out by image (too few prompts to hold one out: their prompts were trained on, so this "
                 "flatters it)")
    return (f"{where}: pairs of one prompt <b>{_pct(same)}</b> ({h.get('same_prompt_pairs', 0)} pairs); "
            f"{indep}.")


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
