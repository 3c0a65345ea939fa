"""The main window: pane switcher, menus, status bar with background jobs, theme and saved layout."""
from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.bus import ChangeBus, Jobs
from studio.ops import cancel_job, studio_settings_file
from studio.ops.diagnostics import doctor_report
from studio.ops.sketches import Starter, load_starters
from studio.panes.editor import EditorPane
from studio.panes.library import LibraryPane
from studio.panes.placeholder import PlaceholderPane
from studio.panes.prompts import PromptsPane
from studio.panes.rating import RatePane
from studio.panes.rubric import RubricPane
from studio.panes.tasks import TaskSet
from studio.panes.training import TrainingPane
from studio.theme import MODES, apply_theme
from studio.widgets.unsaved_box import open_unsaved_box

if TYPE_CHECKING:
    from core.store import Store

PANES = ("Library", "Editor", "Rate", "Rubric", "Train", "Prompts")
# Each pane's class. A pane is built as Class(store, renderer, bus, jobs), or by its classmethod
# `for_studio(store, renderer, bus, jobs)` when it has one; one that fails to build shows why instead.
PANE_CLASSES: dict[str, type[QWidget]] = {
    "Library": LibraryPane, "Editor": EditorPane, "Rate": RatePane, "Rubric": RubricPane, "Train": TrainingPane,
    "Prompts": PromptsPane,
}
FIRST_PANE = "Library"  # a first start opens on the starter paintings (as the README says)


def studio_settings(home: Path | None = None) -> QSettings:
    """Settings live in an INI file in the data home, so each BRUSHWORK_HOME has its own layout."""
    return QSettings(str(studio_settings_file(home)), QSettings.Format.IniFormat)


class JobsBar(QWidget):
    """Status-bar strip: one row per background job with progress and a cancel button."""

    def __init__(self, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.jobs = jobs
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        jobs.updated.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for job in list(self.jobs.active.values()):
            label = QLabel(job.title + (" (cancelling…)" if job.cancelled else ""))
            bar = QProgressBar()
            bar.setMaximumWidth(120)
            bar.setMaximumHeight(14)
            bar.setTextVisible(False)
            if job.progress is None:
                bar.setRange(0, 0)  # busy indicator
            else:
                bar.setRange(0, 1000)
                bar.setValue(int(job.progress * 1000))
            cancel = QToolButton()
            cancel.setText("✕")
            cancel.setToolTip(f"Cancel {job.title}")
            cancel.setAutoRaise(True)
            cancel.clicked.connect(lambda _=False, j=job: cancel_job(self.jobs, j))
            for w in (label, bar, cancel):
                self._layout.addWidget(w)
        self.setVisible(bool(self.jobs.active))


class MainWindow(QMainWindow):
    """Brushwork studio's window. A pane that fails to build is a placeholder saying why."""

    closing = Signal()  # after settings are saved and panes shut down

    def __init__(self, store: Store, renderer, bus: ChangeBus, jobs: Jobs,  # noqa: ANN001 (Renderer | None)
                 settings: QSettings | None = None):
        super().__init__()
        self.store, self.renderer, self.bus, self.jobs = store, renderer, bus, jobs
        # the store's folder is the data home (the store made it): no data_home() mkdir on the GUI thread
        self.settings = settings or studio_settings(store.path.parent)
        self.tasks = TaskSet(lambda e: self.statusBar().showMessage(f"{type(e).__name__}: {e}", 6000))
        self.setWindowTitle("Brushwork studio")
        self.dark = False
        # Ask before closing over unsaved editor text or a running trainer; offscreen (tests, CI) nobody
        # could answer unless a test sets this and answers.
        self.confirm_close = QApplication.platformName() != "offscreen"
        self._closing_confirmed = False  # the editor's unsaved text was answered (save / discard)
        self._trainer_answered = False   # the running-trainer question was answered (stop / leave)
        self.panes: dict[str, QWidget] = {}
        self.switcher = QListWidget()
        self.switcher.setObjectName("paneSwitcher")
        self.switcher.setFixedWidth(120)
        self.switcher.setStyleSheet("QListWidget#paneSwitcher { border: none; }"
                                    " QListWidget#paneSwitcher::item { padding: 9px 12px; }")
        self.stack = QStackedWidget()
        for i, name in enumerate(PANES):
            pane = self._build_pane(name)
            self.panes[name] = pane
            self.stack.addWidget(self._scrollable(pane))
            self.switcher.addItem(f"{name}")
            self.switcher.item(i).setToolTip(f"{name} (Ctrl+{i + 1})")
        self.switcher.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.switcher.currentRowChanged.connect(self._focus_pane)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.switcher)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.jobs_bar = JobsBar(jobs)
        self.statusBar().addPermanentWidget(self.jobs_bar)
        bus.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        bus.open_sketch.connect(self.open_in_editor)
        self._build_menus()
        self.restore_settings()
        # "Follow the system" keeps following when the desktop switches between light and dark.
        QApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    # -- panes ----------------------------------------------------------------------------------
    @staticmethod
    def _scrollable(pane: QWidget) -> QScrollArea:
        # A pane larger than the window scrolls instead of forcing the window to grow past the screen.
        area = QScrollArea()
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setWidget(pane)
        return area

    def _build_pane(self, name: str) -> QWidget:
        cls = PANE_CLASSES[name]
        try:
            pane = getattr(cls, "for_studio", cls)(self.store, self.renderer, self.bus, self.jobs)
        except Exception as e:  # a broken pane must not take the whole studio down
            traceback.print_exc()
            return PlaceholderPane(name, f"This pane could not be loaded: {type(e).__name__}: {e}")
        if not getattr(pane, "title", None):
            pane.title = name
        return pane

    @property
    def editor(self) -> QWidget:
        return self.panes["Editor"]

    def current_pane_name(self) -> str:
        return PANES[self.stack.currentIndex()]

    def _focus_pane(self, index: int) -> None:
        """Keys go to the pane just shown (e.g. 1/2/3 rate at once), not to the switcher list."""
        self.panes[PANES[index]].setFocus(Qt.FocusReason.OtherFocusReason)

    def show_pane(self, name: str) -> None:
        """Switch to a pane by name."""
        self.switcher.setCurrentRow(PANES.index(name))

    def open_in_editor(self, sketch_id: int) -> None:
        """bus.open_sketch: switch to the editor and load the sketch there."""
        self.show_pane("Editor")
        if hasattr(self.editor, "open_sketch"):
            self.editor.open_sketch(sketch_id)

    def _editor_call(self, method: str) -> Callable[[], None]:
        def call() -> None:
            self.show_pane("Editor")
            fn = getattr(self.editor, method, None)
            if fn is not None:
                fn()
        return call

    # -- menus ----------------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot: Callable[[], None], key: str | None = None) -> QAction:
        act = QAction(text, self)
        if key:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _=False: slot())
        menu.addAction(act)
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Open file…", self._editor_call("open_file_dialog"), "Ctrl+O")
        starters = file.addMenu("Open &starter")
        starters.aboutToShow.connect(lambda: self.tasks.spawn(self._fill_starters(starters)))
        starters.addAction("(reading the starters…)").setEnabled(False)
        self.tasks.spawn(self._fill_starters(starters))
        file.addSeparator()
        for act in getattr(self.editor, "menu_actions", lambda: [])():
            file.addAction(act)
        file.addSeparator()
        self._action(file, "&Quit", self.close, "Ctrl+Q")
        view = bar.addMenu("&View")
        self.pane_actions = []
        for i, name in enumerate(PANES):
            self.pane_actions.append(self._action(view, name, lambda n=name: self.show_pane(n), f"Ctrl+{i + 1}"))
        view.addSeparator()
        theme = view.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode in MODES:
            act = QAction("Follow the system" if mode == "system" else mode.title(), self, checkable=True)
            act.triggered.connect(lambda _=False, m=mode: self.set_theme(m))
            group.addAction(act)
            theme.addAction(act)
            self.theme_actions[mode] = act
        self._action(view, "Toggle light/dark", lambda: self.set_theme("light" if self.dark else "dark"),
                     "Ctrl+Shift+L")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")
        self._action(help_menu, "&Diagnostics (brushwork doctor)…", self.show_diagnostics)

    async def _fill_starters(self, menu: QMenu) -> None:
        """List the starters folder in a thread, then (re)fill the menu: opening it shows the last
        listing at once and picks up new files when the read lands."""
        found = await load_starters()
        menu.clear()
        for starter in found:
            act = menu.addAction(starter.title)
            act.setToolTip(starter.prompt or "")
            act.triggered.connect(lambda _=False, s=starter: self._open_starter(s))
        if menu.isEmpty():
            menu.addAction("(no starters found)").setEnabled(False)

    def _open_starter(self, starter: Starter) -> None:
        self.show_pane("Editor")
        if hasattr(self.editor, "open_starter"):
            self.editor.open_starter(starter)

    # -- shortcuts help -------------------------------------------------------------------------
    def shortcuts(self) -> list[tuple[str, str, str]]:
        """(where, key, what) for the window and every pane, for Help > Keyboard shortcuts."""
        rows = [("Window", f"Ctrl+{i + 1}", f"Show {name}") for i, name in enumerate(PANES)]
        rows += [("Window", "Ctrl+O", "Open a file (.js, .txt, .md)"), ("Window", "Ctrl+Shift+L", "Toggle light/dark"),
                 ("Window", "F1", "This list"), ("Window", "Ctrl+Q", "Quit")]
        for name, pane in self.panes.items():
            for key, what in getattr(pane, "shortcuts", lambda: [])():
                rows.append((name, key, what))
        return rows

    def show_shortcuts(self) -> QDialog:
        dlg = QDialog(self)
        dlg.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(0, 3, dlg)
        table.setHorizontalHeaderLabels(["Where", "Keys", "Does"])
        for row in self.shortcuts():
            r = table.rowCount()
            table.insertRow(r)
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(dlg)
        layout.addWidget(table)
        layout.addWidget(self._close_buttons(dlg))
        dlg.resize(560, 480)
        dlg.show()
        self.shortcuts_dialog = dlg
        return dlg

    @staticmethod
    def _close_buttons(dlg: QDialog) -> QDialogButtonBox:
        """A Close button (and Esc) for a dialog that only shows something."""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dlg.reject)
        return buttons

    def show_diagnostics(self) -> QDialog:
        """What is installed and what is missing, each with its fix (the `brushwork doctor` report)."""
        dlg = QDialog(self)
        dlg.setWindowTitle("Diagnostics")
        text = QPlainTextEdit("Checking Chromium, the render sandbox, node, assets, the database, GPU and keys…")
        text.setReadOnly(True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout = QVBoxLayout(dlg)
        layout.addWidget(text)
        layout.addWidget(self._close_buttons(dlg))
        dlg.resize(min(760, max(420, self.width() - 40)), 460)
        dlg.show()
        self.diagnostics_dialog = dlg

        async def fill() -> None:
            try:
                report, _ok = await doctor_report()
            except Exception as e:  # the dialog says what went wrong instead of staying blank
                report = f"The checks could not run: {type(e).__name__}: {e}"
            text.setPlainText(report)
        dlg.done_task = asyncio.ensure_future(fill())
        return dlg

    # -- theme and settings ---------------------------------------------------------------------
    def set_theme(self, mode: str) -> None:
        """Apply and remember "system", "light" or "dark"."""
        self.dark = apply_theme(QApplication.instance(), mode, root=self)
        self.settings.setValue("theme", mode)
        self.theme_actions.get(mode, self.theme_actions["system"]).setChecked(True)
        for pane in self.panes.values():
            if hasattr(pane, "set_dark"):
                pane.set_dark(self.dark)

    def _system_scheme_changed(self, _scheme: object) -> None:
        if str(self.settings.value("theme", "system")) == "system":
            self.set_theme("system")

    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not self.restoreGeometry(geometry):
            pass
        elif geometry is None:
            self.resize(1280, 800)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        name = s.value("window/pane", FIRST_PANE)
        self.show_pane(name if name in PANES else FIRST_PANE)
        self.set_theme(str(s.value("theme", "system")))
        for name, pane in self.panes.items():
            if hasattr(pane, "restore_state"):
                pane.restore_state(s, f"panes/{name}")

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/pane", self.current_pane_name())
        for name, pane in self.panes.items():
            if hasattr(pane, "save_state"):
                pane.save_state(s, f"panes/{name}")
        s.sync()

    def ask_about_unsaved(self) -> QMessageBox:
        """Ask (without blocking the event loop) whether to save unsaved editor text before closing."""
        def answered(choice: str) -> None:
            if choice == "discard":
                self._closing_confirmed = True
                self.close()
            elif choice == "save":
                self._save_then_close()
        self.unsaved_box = open_unsaved_box(  # tests answer it
            self, "unsavedChanges", "The editor has changes that are not saved as a version.",
            "Save them as a new version before quitting? (Quitting without saving keeps "
            "them as a draft that is offered again next time.)", "Save version", "Quit without saving", answered)
        return self.unsaved_box

    def _save_then_close(self) -> None:
        task = self.editor.save_version()
        if task is None:
            self._closing_confirmed = True
            self.close()
            return
        task.add_done_callback(lambda _t: self._after_save())

    def _after_save(self) -> None:
        if self.editor.dirty:
            return  # not saved: the editor says why, and the window stays open
        self._closing_confirmed = True
        self.close()

    def _trainer_answer(self, may_close: bool) -> None:
        if may_close:
            self._trainer_answered = True
            self.close()
        else:
            self._closing_confirmed = False  # Cancel: the next close asks about the editor again too

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        # Unsaved editor text first (its Cancel is cheap), then a running trainer: stop / leave / cancel.
        if getattr(self.editor, "has_unsaved_work", False) and not self._closing_confirmed and self.confirm_close:
            event.ignore()
            self.ask_about_unsaved()
            return
        train = self.panes.get("Train")
        if self.confirm_close and not self._trainer_answered and hasattr(train, "ask_before_close"):
            if train.ask_before_close(self._trainer_answer) is not None:
                event.ignore()
                return
        self.save_settings()
        for pane in self.panes.values():
            if hasattr(pane, "shutdown"):
                pane.shutdown()
        super().closeEvent(event)
        self.closing.emit()
