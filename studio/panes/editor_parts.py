"""Small pieces of the editor pane: its toolbar, the console strip, and plain words for render errors."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.ops.render import MACHINE_KINDS
from studio.widgets.responsive_row import ResponsiveRow

ERROR_WORDS = {
    "syntax": "Syntax error",
    "runtime": "Error",
    "memory": "Out of memory",
    "blank": "Nothing visible",
    "browser": "The renderer failed",
    "overloaded": "The machine was too busy to finish this render (not the sketch's fault). Press Render to try again.",
}
# The sketch's failure is red and marks its line; the machine's (core.render.types.MACHINE_KINDS) is amber,
# marks nothing and says the sketch is not to blame: a hang that a busy machine stopped early is "overloaded".
FAULT_COLOURS = {"sketch": "#d64541", "machine": "#8a5a00"}
NO_PICTURE = {"sketch": "No picture: the sketch failed (the error is under the code).",
              "machine": "No picture: the machine could not finish this render (not the sketch's fault)."}


def fault_of(err: Any) -> str:
    """"machine" when the machine failed the render (MACHINE_KINDS), else "sketch"."""
    return "machine" if err is not None and err.kind in MACHINE_KINDS else "sketch"


def fault_style(fault: str) -> str:
    """The render error line's style sheet for a "sketch" or "machine" fault."""
    return f"QLabel#renderError {{ color: {FAULT_COLOURS[fault]}; padding: 4px; }}"


def describe_render_error(err: Any, timeout_s: float) -> str:
    """One or two plain sentences for a RenderError (kind, message, line, column)."""
    if err is None:
        return "The render failed without saying why."
    where = ""
    if err.line:
        where = f"Line {err.line}" + (f", column {err.column}" if err.column else "") + ": "
    if err.kind == "timeout":
        return (f"Timed out: the sketch ran for more than {timeout_s:g} s and was stopped "
                f"(an endless loop?). {where}{err.message}".strip())
    if err.kind == "forbidden":
        return f"Refused by the sandbox: {err.message}. Sketches may not reach the network, storage or the page."
    if err.kind == "overloaded":  # what the wall bound measured is in the label's tooltip: the advice fits here
        return ERROR_WORDS["overloaded"]
    if err.kind == "blank":
        return f"The sketch ran but drew nothing visible. {err.message}".strip()
    return f"{ERROR_WORDS.get(err.kind, err.kind.title())}: {where}{err.message}"


class EditorToolbar(QWidget):
    """Title, seed, canvas size, zoom and the render/save buttons."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel("New sketch")
        self.title.setObjectName("sketchTitle")
        self.title.setMinimumWidth(60)  # long titles are cut, not allowed to widen the window
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.busy = QLabel("")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setValue(1)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("Random seed for p5 and the brushes")
        self.seed.setKeyboardTracking(False)  # typing "1234" renders once, not four times
        self.seed.setMaximumWidth(120)
        self.new_seed_button = QPushButton("New seed")
        self.new_seed_button.setToolTip("Ctrl+Shift+N")
        self.size = QSpinBox()
        self.size.setRange(64, 2048)
        self.size.setSingleStep(64)
        self.size.setValue(512)
        self.size.setSuffix(" px")
        self.size.setToolTip("Canvas size of the render (square)")
        self.size.setKeyboardTracking(False)
        self.size.setMaximumWidth(90)
        self.fit_button = QToolButton()
        self.fit_button.setText("Fit")
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.setToolTip("Fit the preview to the pane; off shows 100 %")
        self.zoom_button = QToolButton()
        self.zoom_button.setText("100 %")
        self.zoom_button.setCheckable(True)
        self.fit_button.toggled.connect(lambda on: self.zoom_button.setChecked(not on))
        self.zoom_button.toggled.connect(lambda on: self.fit_button.setChecked(not on))
        self.render_button = QPushButton("Render")
        self.render_button.setToolTip("Ctrl+R")
        self.save_button = QPushButton("Save version")
        self.save_button.setToolTip("Ctrl+S: a new version, child of the open one")
        self.prompt = QLabel()
        self.prompt.setObjectName("sketchPrompt")
        self.prompt.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.prompt.hide()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.prompt)
        controls = QHBoxLayout()
        controls.addWidget(self.busy)
        for w in (self.seed, self.new_seed_button, self.size, self.fit_button, self.zoom_button,
                  self.render_button, self.save_button):
            controls.addWidget(w)
        # the title sits beside the controls when both fit, above them when not (it never runs under them)
        self.row = ResponsiveRow(names, controls, spacing=8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.row)

    def set_title(self, text: str, dirty: bool) -> None:
        self.title.setText(f"<b>{escape(text)}</b>" + (" <i>· unsaved changes</i>" if dirty else ""))
        self.row.refit()  # a longer title may no longer fit beside the controls

    def set_prompt(self, prompt: str | None) -> None:
        """The prompt a model-written sketch answered, under its title (none: hidden)."""
        self.prompt.setText(f"<i>Prompt:</i> {escape(prompt)}" if prompt else "")
        self.prompt.setVisible(bool(prompt))
        self.row.refit()

    def set_busy(self, busy: bool) -> None:
        self.busy.setText("rendering…" if busy else "")


class ConsoleStrip(QPlainTextEdit):
    """A few read-only lines under the preview: what the sketch printed with console.log."""

    LINES = 3

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("consoleStrip")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self.LINES + 10)
        self.setPlaceholderText("console.log output of the last render shows here")
        self.setToolTip("What the sketch printed with console.log during its last render")

    def show_lines(self, lines: list[str] | None) -> None:
        """Show these lines (None or [] clears), scrolled to the last one."""
        self.setPlainText("\n".join(lines or []))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    @property
    def lines(self) -> list[str]:
        text = self.toPlainText()
        return text.split("\n") if text else []
