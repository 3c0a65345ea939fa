"""A small form for a new evolution against an OpenAI-compatible endpoint: no TOML needed to start."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from studio.ops import prompts as ops
from studio.panes.tasks import TaskSet
from studio.widgets.wheel_guard import guard_wheel


class NewRunDialog(QDialog):
    """Endpoint, model, key variable, seed prompt, budget; `config_path` is set once accepted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New prompt evolution")
        self.config_path: Path | None = None
        self.tasks = TaskSet(self._failed)
        self.name = QLineEdit("evolve")
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("http://127.0.0.1:8000/v1 (empty = OpenAI)")
        self.model = QLineEdit("gpt-4o-mini")
        self.key_env = QLineEdit("OPENAI_API_KEY")
        self.key_env.setToolTip("The environment variable holding the key; the key itself is never saved.")
        self.seed = QComboBox()
        self.seed.addItems(["full-reference", "allowlist"])
        self.budget = QSpinBox(minimum=4, maximum=10_000, value=40)
        self.render = QCheckBox("Render sketches while scoring (slower; measures the render rate)")
        self.render.setChecked(True)
        form = QFormLayout(self)
        for label, widget in (("Run name", self.name), ("Endpoint", self.base_url), ("Model", self.model),
                              ("Key variable", self.key_env), ("Seed prompt", self.seed),
                              ("Budget (sketches)", self.budget)):
            form.addRow(label, widget)
        form.addRow(self.render)
        self.problem = QLabel()
        self.problem.setObjectName("endpointProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for field in (self.base_url, self.key_env):
            field.textChanged.connect(self.check)
        guard_wheel(self)
        self.check()

    def check(self) -> str | None:
        """Say what is missing (a key, a URL that is not one) before Start; Start waits until it is there."""
        problem = ops.key_problem(self.base_url.text().strip() or None, self.key_env.text().strip())
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))
        self.start_button.setEnabled(problem is None)
        return problem

    def accept(self) -> None:
        """Write the config (in a thread), then close as accepted; `config_path` is set by then."""
        if self.check() or not self.tasks.idle:
            return
        self.start_button.setEnabled(False)
        self.tasks.spawn(self._write_and_accept())

    async def _write_and_accept(self) -> None:
        try:
            self.config_path = await ops.write_run_config(
                name=self.name.text(), base_url=self.base_url.text().strip() or None, model=self.model.text().strip(),
                api_key_env=self.key_env.text().strip(), seed_prompt=self.seed.currentText(),
                budget=self.budget.value(), render=self.render.isChecked())
        finally:
            self.start_button.setEnabled(True)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self.problem.setText(f"The config could not be written: {error}")
        self.problem.show()
