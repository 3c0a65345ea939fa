"""The live sketch editor: code on the left, a preview that follows your typing, lineage on the right.

Typing re-renders ~250 ms after the last keystroke (stale renders are cancelled), runs the static
check, and autosaves a draft a second later. Ctrl+S saves a new version linked to its parent.
"""
from __future__ import annotations

import asyncio
import random
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from core.store import StoreError
from studio.bus import ChangeBus, Jobs
from studio.ops import sketches as sketch_ops
from studio.panes.editor_check import check_code, describe
from studio.panes.editor_files import NEW_CODE, EditorFilesMixin
from studio.panes.editor_live import LiveRender, RenderOutcome, RenderRequest
from studio.panes.editor_parts import (
    NO_PICTURE,
    ConsoleStrip,
    EditorToolbar,
    describe_render_error,
    fault_of,
    fault_style,
)
from studio.panes.editor_versions import EditorVersionsMixin
from studio.panes.tasks import TaskSet
from studio.widgets.code_editor import CodeEditor
from studio.widgets.highlighter import JavaScriptHighlighter
from studio.widgets.history import HistoryPanel
from studio.widgets.image_view import ImageView
from studio.widgets.notice_bar import NoticeBar

if TYPE_CHECKING:
    from core.store import Sketch, Store

NOT_RENDERED = "Not rendered yet."
MODEL_SOURCES = ("model", "generated")  # the allowlist is for these: what a model wrote
DEBOUNCE_MS = 250
DRAFT_MS = 1000
CHECK_MS = 120


class EditorPane(EditorFilesMixin, EditorVersionsMixin, QWidget):
    """Edit a sketch with a live preview, static checks, drafts and version history."""

    title = "Editor"

    def __init__(self, store: Store, renderer: Any, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.renderer, self.bus, self.jobs = store, renderer, bus, jobs
        self.sketch: Sketch | None = None  # the saved version being edited (None: new, unsaved code)
        self.saved_code = ""
        self.versions: list[Sketch] = []
        self.last_outcome: RenderOutcome | None = None
        self.last_check = None
        self.checked_code: str | None = None  # the text last_check is about
        self.tasks = TaskSet(self._task_failed)
        self._thumb_task: asyncio.Task | None = None
        self._loading = False
        self._seen_text = ""
        self._shown_once = False
        self._splits_restored = False
        self.export_dir = ""  # the folder of the last export ("" = the home folder)
        self.opened_file: str | None = None  # unsaved code opened from this file (saved as an import)
        self.restored: asyncio.Task | None = None  # reopening the last session's sketch
        self.sketch_deleted = False  # the open sketch was deleted from the library meanwhile
        # Ask before other code replaces unsaved edits; offscreen (tests, CI) nobody could answer unless a
        # test sets this and answers (as MainWindow.confirm_close).
        self.confirm_replace = QApplication.platformName() != "offscreen"

        self.toolbar = EditorToolbar()
        self.notice = NoticeBar()
        self.code = CodeEditor()
        self.setFocusProxy(self.code)  # arriving on the pane, typing goes to the code
        self.highlighter = JavaScriptHighlighter(self.code.document())
        self.error_label = QLabel()
        self.error_label.setObjectName("renderError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(fault_style("sketch"))
        self.error_label.hide()
        self.check_label = QLabel()
        self.check_label.setObjectName("checkLine")
        self.check_label.setTextFormat(Qt.TextFormat.RichText)
        # A long list of unknown names wraps instead of widening the pane past the window.
        self.check_label.setWordWrap(True)
        self.check_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview = ImageView()
        self.preview.set_placeholder(NOT_RENDERED)
        self.render_status = QLabel("")
        self.render_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.console = ConsoleStrip()
        self.history = HistoryPanel()
        self._layout()

        self.live = LiveRender(renderer, self._request, DEBOUNCE_MS, self)
        self.live.started.connect(lambda _g: self.toolbar.set_busy(True))
        self.live.finished.connect(self._on_rendered)
        self.live.failed.connect(self._on_render_failed)
        self._draft_timer = self._single_shot(DRAFT_MS, self._autosave_draft)
        self._check_timer = self._single_shot(CHECK_MS, lambda: self._spawn(self._run_check()))
        self.code.textChanged.connect(self._on_text_changed)
        tb = self.toolbar
        tb.seed.valueChanged.connect(lambda _v: self.live.schedule())
        tb.size.valueChanged.connect(lambda _v: self.live.schedule())
        tb.new_seed_button.clicked.connect(self.new_seed)
        tb.render_button.clicked.connect(self.rerender)
        tb.save_button.clicked.connect(self.save_version)
        tb.fit_button.toggled.connect(lambda fit: self.preview.set_fit(fit))
        self.history.selected.connect(self._show_diff)
        self.history.revert_requested.connect(self.revert_to)
        self.history.compare_requested.connect(self.compare)
        self._actions = self._build_actions()
        bus.changed.connect(self._on_change)
        if renderer is None:
            self.preview.set_placeholder("Rendering is unavailable: Chromium is missing or did not start.")
        self._start_new()

    # -- layout ---------------------------------------------------------------------------------
    def _layout(self) -> None:
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.setSpacing(2)
        ll.addWidget(self.code, 1)
        ll.addWidget(self.error_label)
        ll.addWidget(self.check_label)
        preview_box = QWidget()
        pl = QVBoxLayout(preview_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.preview, 1)
        pl.addWidget(self.render_status)
        pl.addWidget(self.console)
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(preview_box)
        self.right_split.addWidget(self.history)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(self.right_split)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(self.split, 1)

    def _single_shot(self, ms: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def _build_actions(self) -> list[QAction]:
        specs = [
            ("Save version", "Ctrl+S", self.save_version),
            ("Re-render", "Ctrl+R", self.rerender),
            ("New seed", "Ctrl+Shift+N", self.new_seed),
            ("Export…", "Ctrl+E", self.export_dialog),
        ]
        actions = []
        allow = QAction("Check the allowlist for every sketch", self, checkable=True)
        allow.setToolTip("Flag brush methods off the 8-method allowlist also in sketches a person wrote "
                         "(always on for model-written sketches)")
        allow.toggled.connect(lambda _on: self._check_timer.start())
        self.allowlist_action = allow
        draft = QAction("Quick draft preview first", self, checkable=True)
        draft.setToolTip("Also render at half resolution and show it until the full image is ready")
        draft.toggled.connect(self.set_draft_first)
        self.draft_action = draft
        for text, key, slot in specs:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(key))
            # Only while the editor has focus, so other panes may use the same keys for their own things.
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _=False, s=slot: s())
            self.addAction(act)
            actions.append(act)
        return [*actions, draft, allow]

    def menu_actions(self) -> list[QAction]:
        """Actions the main window puts in its File menu."""
        return list(self._actions)

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Ctrl+S", "Save a new version (child of the open one)"), ("Ctrl+R", "Re-render now"),
                ("Ctrl+Shift+N", "New random seed"), ("Ctrl+E", "Export as .js, .png or .html"),
                ("Double-click a version", "Revert the editor to that version's code")]

    # -- state ----------------------------------------------------------------------------------
    @property
    def sketch_id(self) -> int | None:
        return self.sketch.id if self.sketch else None

    @property
    def text(self) -> str:
        return self.code.toPlainText()

    @property
    def checks_allowlist(self) -> bool:
        """Allowlist warnings show for model-written sketches, or for any when the user asks."""
        source = self.sketch.source if self.sketch else None
        return source in MODEL_SOURCES or self.allowlist_action.isChecked()

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_code

    @property
    def has_unsaved_work(self) -> bool:
        """Edits a person would miss: changed text (the untouched example of a new sketch is not)."""
        if self.sketch is None and not self.opened_file:
            return self.text.strip() not in ("", NEW_CODE.strip())
        return self.dirty

    def _request(self) -> RenderRequest:
        return RenderRequest(self.text, self.toolbar.seed.value(), self.toolbar.size.value())

    def _spawn(self, coro: Coroutine) -> asyncio.Future:
        return self.tasks.spawn(coro)

    def _task_failed(self, err: BaseException) -> None:
        if isinstance(err, StoreError):
            self.notice.show_error(f"Could not write to the library: {err} Your text is still in the editor.")
        elif isinstance(err, sketch_ops.UnreadableFile):
            self.notice.show_error(str(err))
        else:
            self.notice.show_error(f"{type(err).__name__}: {err}")

    def _set_text(self, text: str) -> None:
        self._loading = True
        try:
            self.code.setPlainText(text)
        finally:
            self._loading = False
        self._after_text_change(draft=False)

    def _update_title(self) -> None:
        sk = self.sketch
        if sk is None and self.opened_file:
            name = f"{self.opened_file} (not in the library until saved)"
        elif sk is None:
            name = "New sketch"
        else:
            name = f"Sketch #{sk.id} ({sk.source}" + (f", child of #{sk.parent_id})" if sk.parent_id else ")")
            if sk.title:
                name += f" — {sk.title}"
            if self.sketch_deleted:
                name += " (deleted from the library)"
        self.toolbar.set_title(name, self.dirty)
        # the prompt a model sketch answered, where a person can read it (the title is cut when narrow)
        prompt = sk.prompt if sk is not None else None
        self.toolbar.title.setToolTip(f"{name}\nPrompt: {prompt}" if prompt else name)
        self.toolbar.set_prompt(prompt)

    def _on_change(self, change: Any) -> None:
        """The open sketch deleted (or restored) elsewhere: say so; saving then makes a new sketch on request."""
        if change.kind != "sketches" or self.sketch is None or self.sketch.id not in change.ids:
            return
        deleted = change.detail.get("deleted")
        if deleted is None:
            return
        self.sketch_deleted = bool(deleted)
        if deleted:
            self.notice.show_warning(f"Sketch #{self.sketch.id} was deleted from the library. Your text is still "
                                     "here: Save version asks before saving it as a new sketch, or restore it "
                                     "from the Library (Undo).")
        else:
            self.notice.show_info(f"Sketch #{self.sketch.id} is back in the library.")
        self._update_title()

    # -- typing ---------------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        text = self.text
        if text == self._seen_text:
            return  # re-highlighting (theme switch) emits textChanged without changing the text
        self._seen_text = text
        if not self._loading:
            self._after_text_change(draft=True)

    def _after_text_change(self, draft: bool) -> None:
        self.live.schedule()
        self._check_timer.start()
        if draft:
            self._draft_timer.start()
        self._update_title()

    async def _run_check(self) -> None:
        code = self.text
        report = await check_code(code)
        if code != self.text:
            return  # typed on meanwhile; the next check is already scheduled
        view = describe(report, allowlist=self.checks_allowlist)
        self.last_check, self.checked_code = report, code
        self.check_label.setToolTip(view.tooltip)
        self.check_label.setText(view.summary_html)
        self.code.set_marks(view.marks)

    def _autosave_draft(self) -> None:
        """A second after typing stops: keep the text as a draft, in the background."""
        self._spawn(self._write_draft(sketch_ops.draft_key(self.sketch_id), self.text, self.dirty))

    async def _write_draft(self, key: str, text: str, dirty: bool) -> None:
        # Off the GUI thread: a locked database makes SQLite wait up to its busy timeout (5 s).
        try:
            if dirty:
                await sketch_ops.save_draft(self.store, key, text)
            else:
                await sketch_ops.clear_draft(self.store, key)
        except StoreError as e:
            self.notice.show_error(f"Could not autosave a draft: {e} Your text is still in the editor.")


    # -- rendering ------------------------------------------------------------------------------
    def set_draft_first(self, on: bool) -> None:
        """Show a half-density draft while the full render runs (worth it for heavy sketches)."""
        self.live.draft_first = on
        if self.draft_action.isChecked() != on:
            self.draft_action.setChecked(on)

    def rerender(self) -> None:
        """Render now (Ctrl+R)."""
        self.live.render_now()

    def new_seed(self) -> None:
        """Pick a random seed and render (Ctrl+Shift+N)."""
        self.toolbar.seed.setValue(random.randrange(1, 1_000_000))
        self.live.render_now()

    def clear_preview(self) -> None:
        """Another sketch is open: nothing of the previous one's painting, errors or console stays."""
        self.last_outcome = None
        self.preview.set_png(None)
        self.preview.set_placeholder(NOT_RENDERED if self.renderer is not None else
                                     "Rendering is unavailable: Chromium is missing or did not start.")
        self.render_status.setText("")
        self.error_label.hide()
        self.code.set_error_line(None)
        self.console.show_lines(None)

    def _on_rendered(self, outcome: RenderOutcome) -> None:
        self.last_outcome = outcome
        result = outcome.result
        self.toolbar.set_busy(outcome.draft)
        current = outcome.request.code == self.text
        self.console.show_lines(list(getattr(result, "console", None) or []))
        if result.ok:
            self.preview.set_placeholder(NOT_RENDERED)
            self.preview.set_png(result.png)
            self.error_label.hide()
            self.code.set_error_line(None)
            what = "draft preview" if outcome.draft else "rendered"
            cached = " (cached)" if getattr(result, "cached", False) else ""
            self.render_status.setText(
                f"{what} in {result.ms:.0f} ms{cached} · seed {outcome.request.seed} · {result.width}×{result.height}"
            )
            return
        err = result.error
        fault = fault_of(err)
        self.error_label.setText(describe_render_error(err, self.live.timeout_s))
        self.error_label.setStyleSheet(fault_style(fault))
        self.error_label.setToolTip(err.message if err is not None else "")
        self.error_label.show()
        self.code.set_error_line(err.line if err is not None and current and fault == "sketch" else None)
        if self.preview.png:
            self.render_status.setText("showing the last good render")
        else:
            self.render_status.setText("")
            self.preview.set_placeholder(NO_PICTURE[fault])

    def _on_render_failed(self, message: str) -> None:
        self.toolbar.set_busy(False)
        self.error_label.setText(message)
        self.error_label.setStyleSheet(fault_style("machine"))  # the renderer itself broke, not the sketch
        self.error_label.show()

    # -- window integration ---------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._shown_once:  # typing should go to the code, not the seed box
            self._shown_once = True
            self.code.setFocus()
            if not self._splits_restored:
                # Code and painting share the width equally (the history's wide rows would
                # otherwise take the code's room), and the painting gets most of the height.
                self.split.setSizes([1000, 1000])
                self.right_split.setSizes([720, 280])

    async def _flush_draft_async(self) -> None:
        """Write the pending draft of the sketch being left (in the background, awaited)."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            await self._write_draft(sketch_ops.draft_key(self.sketch_id), self.text, self.dirty)

    def set_dark(self, dark: bool) -> None:
        self.highlighter.set_dark(dark)

    def save_state(self, settings: QSettings, prefix: str) -> None:
        settings.setValue(f"{prefix}/split", self.split.saveState())
        settings.setValue(f"{prefix}/right_split", self.right_split.saveState())
        settings.setValue(f"{prefix}/seed", self.toolbar.seed.value())
        settings.setValue(f"{prefix}/size", self.toolbar.size.value())
        settings.setValue(f"{prefix}/fit", self.toolbar.fit_button.isChecked())
        settings.setValue(f"{prefix}/draft_first", self.live.draft_first)
        settings.setValue(f"{prefix}/sketch_id", self.sketch_id or 0)
        settings.setValue(f"{prefix}/export_dir", self.export_dir)
        settings.setValue(f"{prefix}/allowlist_always", self.allowlist_action.isChecked())

    def restore_state(self, settings: QSettings, prefix: str) -> None:
        for name, split in (("split", self.split), ("right_split", self.right_split)):
            state = settings.value(f"{prefix}/{name}")
            if state is not None:
                self._splits_restored = split.restoreState(state) or self._splits_restored
        self.toolbar.seed.setValue(int(settings.value(f"{prefix}/seed", self.toolbar.seed.value())))
        self.toolbar.size.setValue(int(settings.value(f"{prefix}/size", self.toolbar.size.value())))
        self.toolbar.fit_button.setChecked(str(settings.value(f"{prefix}/fit", "true")).lower() == "true")
        self.set_draft_first(str(settings.value(f"{prefix}/draft_first", "false")).lower() == "true")
        self.allowlist_action.setChecked(str(settings.value(f"{prefix}/allowlist_always", "false")).lower() == "true")
        self.export_dir = str(settings.value(f"{prefix}/export_dir", self.export_dir) or self.export_dir)
        sketch_id = int(settings.value(f"{prefix}/sketch_id", 0) or 0)
        if sketch_id and self.sketch is None:  # the sketch open at the last quit opens again
            self.restored = self.open_sketch(sketch_id, missing_ok=True)

    def shutdown(self) -> None:
        """Window closing: keep unsaved text as a draft and stop background work."""
        self._draft_timer.stop()
        self._check_timer.stop()  # a check due after the loop is gone would start a task with no loop
        if self.dirty:  # queued on the store's writer, committed when the app closes the store
            sketch_ops.keep_draft_at_exit(self.store, sketch_ops.draft_key(self.sketch_id), self.text)
        self.live.stop()
        self.tasks.cancel_all()
