"""The Library pane: every sketch as a painting, filtered and searched; open, import, export, delete/undo.

Thumbnails load lazily (only cards on screen), off the GUI thread; sketches never rendered are
rendered in the background by the shared async renderer, a few at a time, as a status-bar job.
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.store import SOURCES
from studio.bus import Change, ChangeBus, Job, Jobs
from studio.ops import library as ops
from studio.ops import start_job
from studio.ops.sketches import load_sketch
from studio.panes.library_thumbnails import ThumbnailFeeder
from studio.panes.tasks import TaskSet
from studio.widgets.notice_bar import NoticeBar
from studio.widgets.responsive_row import ResponsiveRow
from studio.widgets.thumbnail_grid import Card, CardModel, IdRole, ThumbnailGrid

if TYPE_CHECKING:
    from core.store import Store

EXPORT_FORMATS = {"js": "JavaScript (*.js)", "png": "PNG image (*.png)", "html": "Standalone web page (*.html)"}


class LibraryPane(QWidget):
    """Grid of sketches with filters; Enter opens in the editor, Del deletes (Ctrl+Z undoes)."""

    title = "Library"

    def __init__(self, store: Store, renderer: Any, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.renderer, self.bus, self.jobs = store, renderer, bus, jobs
        self.model = CardModel(self)
        self.grid = ThumbnailGrid()
        self.setFocusProxy(self.grid)  # arriving on the pane, arrows and Enter work the grid
        self.grid.setModel(self.model)
        self.notice = NoticeBar(self, timeout_ms=10_000)
        self.tasks = TaskSet(self._task_failed)
        self.thumbnails = ThumbnailFeeder(self.model, store, renderer, bus, jobs, self.tasks)
        self._generation = 0
        self._undo: list[list[int]] = []  # deleted id groups, newest last
        self._last_dir = str(Path.home())
        self._select_after: int | None = None
        self._stacks: dict[int, tuple[int, ...]] = {}  # card id (newest version) → every version shown
        self._build()
        self._refresh_timer = QTimer(self, singleShot=True, interval=80, timeout=self._start_reload)
        self.grid.open_requested.connect(self.open_sketch)
        self.grid.delete_requested.connect(self.delete_ids)
        self.grid.files_dropped.connect(self.import_paths)
        self.grid.selectionModel().selectionChanged.connect(self._update_buttons)
        self.bus.changed.connect(self._on_change)
        self.loaded = self._spawn(self._first_start())  # tests await this; the app ignores it

    # -- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Search titles and prompts", clearButtonEnabled=True)
        self.search.setMinimumWidth(140)
        self.search.textChanged.connect(self.refresh)
        # From the search box the keyboard reaches the results: Down goes to the cards, Enter opens one.
        self.search.returnPressed.connect(self._open_first_result)
        self.search.installEventFilter(self)
        self.source = QComboBox()
        self.source.addItem("All sources", None)
        for s in SOURCES:
            self.source.addItem(s.capitalize(), s)
        self.source.currentIndexChanged.connect(self.refresh)
        self.errors_only = QCheckBox("Has error")
        self.errors_only.setToolTip("Only sketches whose latest render failed")
        self.errors_only.toggled.connect(self.refresh)
        self.rating = QComboBox()
        self.rating.addItem("Any rating")
        self.rating.setEnabled(False)  # hook for rating tiers (the Rate pane's pool) in a later release
        self.rating.setToolTip("Filtering by rating tier arrives in a later release")
        self.rating.hide()  # a disabled box only takes room from the search until then
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(placeholder-text);")

        import_button = QToolButton(text="Import", popupMode=QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        import_menu = QMenu(import_button)
        import_menu.addAction("Import files…", self.import_files_dialog)
        import_menu.addAction("Import folder…", self.import_folder_dialog)
        import_button.setMenu(import_menu)
        import_button.clicked.connect(self.import_files_dialog)
        import_button.setToolTip("Import .js sketches (or drop files and folders on the grid)")
        self.export_button = QToolButton(text="Export", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        for fmt, label in (("js", "As JavaScript (.js)…"), ("png", "As image (.png)…"),
                           ("html", "As standalone page (.html)…")):
            export_menu.addAction(label, lambda fmt=fmt: self.export_dialog(fmt))
        self.export_button.setMenu(export_menu)
        self.open_button = QPushButton("Open", clicked=self._open_current)
        self.delete_button = QPushButton("Delete", clicked=lambda: self.delete_ids(self.grid.selected_ids()))

        filters, actions = QHBoxLayout(), QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.source, self.errors_only, self.rating, self.count):
            filters.addWidget(w)
        filters.addStretch(1)
        for w in (import_button, self.export_button, self.open_button, self.delete_button):
            actions.addWidget(w)
        self.bar = ResponsiveRow(filters, actions)  # the buttons go under the filters in a narrow window

        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 14px;")
        self._stack = QStackedLayout()
        self._stack.addWidget(self.grid)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.notice)
        layout.addLayout(self._stack, 1)
        self._update_buttons()

        for keys, slot in (("Ctrl+Z", self.undo_delete), ("Ctrl+F", self._focus_search),
                           ("Ctrl+I", self.import_files_dialog), ("Ctrl+E", lambda: self.export_dialog("png")),
                           ("F5", self.reload)):
            action = QAction(self, shortcut=QKeySequence(keys), triggered=slot)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def shortcuts(self) -> list[tuple[str, str]]:
        """Keys listed in Help > Keyboard shortcuts."""
        return [("Enter / double-click", "Open the sketch in the editor"), ("Del", "Delete the selected sketches"),
                ("Ctrl+Z", "Undo the last delete"), ("Ctrl+F", "Search titles and prompts"),
                ("Ctrl+I", "Import .js files"), ("Ctrl+E", "Export the selected sketch as PNG"),
                ("F5", "Reload the library (and resume cancelled thumbnails)")]

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _to_results(self) -> bool:
        """Keyboard focus on the cards, the current one (else the first) selected; False if none."""
        if not self.grid.model() or not self.grid.model().rowCount():
            return False
        if not self.grid.currentIndex().isValid():
            self.grid.setCurrentIndex(self.grid.model().index(0, 0))
        self.grid.setFocus()
        return True

    def _open_first_result(self) -> None:
        if self._to_results():
            self.open_sketch(self.grid.currentIndex().data(IdRole))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            return self._to_results()
        return super().eventFilter(obj, event)

    def _update_buttons(self) -> None:
        ids = self.grid.selected_ids()
        self.open_button.setEnabled(len(ids) == 1)
        self.export_button.setEnabled(len(ids) == 1)
        self.delete_button.setEnabled(bool(ids))

    # -- tasks --------------------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine | asyncio.Future) -> asyncio.Task:
        """Run a coroutine in the Qt event loop; an unexpected error is shown, not lost."""
        return self.tasks.spawn(coro)

    def _task_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self.notice):  # the pane may be gone by the time a render ends
            self._show_error(str(error) or type(error).__name__)

    def _show_error(self, text: str) -> None:
        self.notice.show_message(text, kind="error")
        self.bus.message.emit(text)

    def shutdown(self) -> None:
        """Cancel everything this pane started (renders, loads); call before the pane is destroyed."""
        self.thumbnails.cancel()
        self.tasks.cancel_all()

    async def idle(self) -> None:
        """Wait until every task this pane started (reloads, thumbnails, renders, ops) has finished."""
        while self.tasks.tasks or self._refresh_timer.isActive() or self.thumbnails.busy:
            await self.tasks.wait()
            await asyncio.sleep(0.02)

    # -- loading ------------------------------------------------------------------------------------
    async def _first_start(self) -> None:
        report = await ops.ensure_starters(self.store, self.bus)
        if report is not None and report.skipped:
            self.notice.show_message(f"Starters: {report.summary()}", details=_skipped_details(report))
        await self._reload()

    def reload(self) -> None:
        """F5: reload the grid and resume thumbnail renders the user may have cancelled."""
        self.thumbnails.resume()
        self.refresh()

    def refresh(self) -> None:
        """Reload the grid soon (debounced: typing in the search box reloads once)."""
        self._refresh_timer.start()

    def _on_change(self, change: Change) -> None:
        if change.kind in ("sketches", "renders"):
            self.refresh()

    def _start_reload(self) -> None:
        self._spawn(self._reload())

    async def _reload(self) -> None:
        self._generation += 1
        generation = self._generation
        text = self.search.text().strip()
        stacks = await ops.load_stacks(self.store, source=self.source.currentData(), text=text,
                                       has_error=True if self.errors_only.isChecked() else None)
        if generation != self._generation:
            return  # a newer reload (the user kept typing) is on its way
        self._stacks = {st.entry.sketch.id: st.ids for st in stacks}
        entries = [st.entry for st in stacks]
        selected = self._select_after or (self.grid.selected_ids() or [None])[0]
        self._select_after = None
        self.model.set_cards([
            Card(st.entry.sketch.id, st.entry.title, st.entry.prompt, st.entry.sketch.source, st.entry.error,
                 st.entry.png_path, versions=st.versions) for st in stacks
        ])
        if selected is not None:
            self.grid.select_id(selected)
        filtered = bool(text or self.source.currentData() or self.errors_only.isChecked())
        self.count.setText(f"{len(entries)} sketch{'es' if len(entries) != 1 else ''}")
        self.empty.setText("No sketch matches these filters." if filtered else
                           "The library is empty.\nImport .js sketches, or drop files and folders here.")
        self._stack.setCurrentWidget(self.grid if entries else self.empty)
        self._update_buttons()

    # -- actions --------------------------------------------------------------------------------------
    def open_sketch(self, sketch_id: int) -> None:
        """Ask the main window to open this sketch in the editor."""
        self.bus.open_sketch.emit(sketch_id)

    def _open_current(self) -> None:
        ids = self.grid.selected_ids()
        if ids:
            self.open_sketch(ids[0])

    def delete_ids(self, ids: list[int]) -> asyncio.Task | None:
        """Soft-delete sketches and offer Undo (bar button or Ctrl+Z)."""
        if not ids:
            return None
        titles = [c.title for c in (self.model.card(i) for i in ids) if c is not None]
        what = f"“{titles[0]}”" if len(ids) == 1 and titles else f"{len(ids)} sketches"
        ids = [v for i in ids for v in self._stacks.get(i, (i,))]  # a card is all its versions
        async def work() -> None:
            await ops.delete_sketches(self.store, self.bus, ids)
            self._undo.append(list(ids))
            self.notice.show_message(f"Deleted {what}.", action=("Undo", self.undo_delete))
        return self._spawn(work())

    def undo_delete(self) -> asyncio.Task | None:
        """Restore the most recently deleted sketches."""
        if not self._undo:
            self.bus.message.emit("Nothing to undo in the library.")
            return None
        ids = self._undo.pop()
        self._select_after = ids[0]

        async def work() -> None:
            await ops.restore_sketches(self.store, self.bus, ids)
            self.notice.show_message(f"Restored {len(ids)} sketch{'es' if len(ids) != 1 else ''}.")
        return self._spawn(work())

    def import_files_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import sketches", self._last_dir,
                                                "Sketches (*.js *.txt *.md);;All files (*)")
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of sketches", self._last_dir)
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> asyncio.Task:
        """Import files and folders as a background job; the bar reports what was skipped and why."""
        self._last_dir = str(Path(paths[0]).parent) if paths else self._last_dir

        async def work(job: Job) -> None:
            report = await ops.import_paths(self.store, self.bus, paths, jobs=self.jobs, job=job)
            if report.added:
                self._select_after = report.added[0]
            text = report.summary() + "."
            if report.skipped:
                text += " " + "; ".join(f"{s.path.name}: {s.reason}" for s in report.skipped[:3])
                text += " …" if len(report.skipped) > 3 else ""
            self.notice.show_message(text, kind="error" if report.skipped and not report.added else "info",
                                     details=_skipped_details(report))
            self.bus.message.emit(report.summary())
        return self._spawn(start_job(self.jobs, "Importing sketches", work))

    def export_dialog(self, fmt: str) -> None:
        ids = self.grid.selected_ids()
        card = self.model.card(ids[0]) if len(ids) == 1 else None
        if card is None:
            self.bus.message.emit("Select one sketch to export.")
            return
        name = re.sub(r"[^\w\-]+", "-", card.title).strip("-").lower() or f"sketch-{card.id}"
        path, _ = QFileDialog.getSaveFileName(self, f"Export as .{fmt}", str(Path(self._last_dir) / f"{name}.{fmt}"),
                                              EXPORT_FORMATS[fmt])
        if path:
            self._last_dir = str(Path(path).parent)
            self.export_selected(fmt, Path(path))

    def export_selected(self, fmt: str, path: Path) -> asyncio.Task | None:
        """Export the selected sketch to `path` as js/png/html; the bar says where it went (or why not)."""
        ids = self.grid.selected_ids()
        if len(ids) != 1:
            self.bus.message.emit("Select one sketch to export.")
            return None

        async def work() -> None:
            sketch = await load_sketch(self.store, ids[0])
            try:
                out = await ops.export_sketch(self.store, self.renderer, sketch.id, sketch.code, path, fmt,
                                              ops.THUMB_SEED, ops.THUMB_SIZE)
            except ops.ExportError as e:
                self._show_error(str(e))
                return
            self.notice.show_message(f"Exported to {out}")
            self.bus.message.emit(f"Exported {out.name}")
        return self._spawn(work())


def _skipped_details(report: ops.ImportReport) -> str:
    return "\n".join(f"{s.path}: {s.reason}" for s in report.skipped)
