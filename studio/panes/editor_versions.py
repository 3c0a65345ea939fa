"""The editor's versions: save a child version (Ctrl+S), the lineage list with thumbnails, diffs, revert.

A mixin of EditorPane (studio/panes/editor.py), split out to keep each file readable at once.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.store import StoreError
from studio.ops import sketches as sketch_ops
from studio.ops import start_job
from studio.widgets.diff_dialog import DiffDialog

if TYPE_CHECKING:
    from core.store import Sketch


class EditorVersionsMixin:
    """Saving and lineage for EditorPane."""

    # -- saving, history, revert ----------------------------------------------------------------
    def save_version(self) -> asyncio.Task | None:
        """Save the editor's text as a new version whose parent is the open one (Ctrl+S); when the open
        sketch was deleted meanwhile, ask first, and save it as a new sketch only on request."""
        if self.sketch_deleted:
            return self._spawn(self._save_deleted())
        if self.sketch is not None and not self.dirty:
            self.bus.message.emit("No changes to save.")
            return None
        return self._spawn(self._save())

    async def _save_deleted(self) -> None:
        future = asyncio.get_event_loop().create_future()
        box = QMessageBox(QMessageBox.Icon.Question, "Sketch deleted",
                          f"Sketch #{self.sketch.id} was deleted from the library. Save the editor's text as a "
                          "new sketch?", parent=self)
        box.setObjectName("saveDeleted")
        save = box.addButton("Save as a new sketch", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: future.done() or future.set_result(box.clickedButton() is save))
        self.save_deleted_box = box  # tests answer it
        box.open()
        if await future:
            await self._save(as_new=True)

    async def _save(self, as_new: bool = False) -> None:
        code, parent, opened = self.text, self.sketch, self.opened_file
        old_key = sketch_ops.draft_key(self.sketch_id)
        if as_new:  # a deleted sketch's text: a new root, keeping its title and prompt
            fields = {"parent_id": None, "source": "human", "title": parent.title if parent else opened,
                      "prompt": parent.prompt if parent else None}
            parent = None
        else:
            fields = {"parent_id": parent.id if parent else None,
                      "source": "import" if opened and not parent else "human",
                      "title": parent.title if parent else opened, "prompt": parent.prompt if parent else None}
        try:
            new_id = await sketch_ops.save_version(self.store, self.bus, code, **fields)
        except StoreError as e:
            self.notice.show_error(f"Not saved: {e} Your text is still in the editor.")
            return
        await self._after_save(new_id, old_key, code, parent)

    async def _after_save(self, new_id: int, old_key: str, code: str, parent: Sketch | None) -> None:
        try:
            await sketch_ops.clear_draft(self.store, old_key)
        except StoreError:
            pass  # a stale draft only means a needless "recovered" notice later
        self.sketch = await sketch_ops.load_sketch(self.store, new_id)
        self.saved_code, self.opened_file, self.sketch_deleted = code, None, False
        self.notice.clear()
        self._update_title()
        self.bus.message.emit(f"Saved version #{new_id}" + (f" (child of #{parent.id})" if parent else ""))
        await self._refresh_history()

    async def _refresh_history(self) -> None:
        versions = await sketch_ops.lineage(self.store, self.sketch_id) if self.sketch else []
        self._show_versions(versions)

    def _show_versions(self, versions: list[Sketch]) -> None:
        self.versions = versions
        self.history.set_versions(versions, self.sketch_id)
        if self._thumb_task is not None:
            self._thumb_task.cancel()
        if versions:
            self._thumb_task = self._spawn(self._load_thumbnails(list(reversed(versions))))

    async def _load_thumbnails(self, versions: list[Sketch]) -> None:
        """Cached pictures at once; the missing ones render as a cancellable background job."""
        from studio.ops.render import cached_png, thumbnail_png  # deferred: heavy (playwright)

        missing = []
        for sk in versions:  # newest first: the one you look at appears first
            png = await cached_png(self.store, sk.code)
            if png is None:
                missing.append(sk)
            else:
                self.history.set_thumbnail(sk.id, png)
        if not missing or self.renderer is None:
            return
        seed, size = self.toolbar.seed.value(), self.toolbar.size.value()

        async def work(job) -> None:  # noqa: ANN001 (studio.bus.Job)
            for i, sk in enumerate(missing):
                self.jobs.progress(job, i / len(missing))
                png = await thumbnail_png(self.store, self.renderer, sk.code, seed=seed, size=size)
                self.history.set_thumbnail(sk.id, png)

        title = f"Rendering {len(missing)} history thumbnail" + ("s" if len(missing) > 1 else "")
        await start_job(self.jobs, title, work)

    def _show_diff(self, sketch_id: int) -> None:
        by_id = {sk.id: sk for sk in self.versions}
        sk = by_id.get(sketch_id)
        if sk is None:
            return
        parent = by_id.get(sk.parent_id) if sk.parent_id else None
        old, old_name = (parent.code, f"#{parent.id}") if parent else ("", "(nothing)")
        text = sketch_ops.unified_diff(old, sk.code, old_name, f"#{sk.id}")
        self.history.show_diff(f"Diff of #{sk.id} against " + (f"its parent #{parent.id}" if parent else "nothing"),
                               text)

    def compare(self, sketch_id: int) -> DiffDialog | None:
        """Open a resizable side-by-side diff of a version against its parent."""
        by_id = {sk.id: sk for sk in self.versions}
        sk = by_id.get(sketch_id)
        if sk is None:
            return None
        parent = by_id.get(sk.parent_id) if sk.parent_id else None
        dialog = DiffDialog(parent.code if parent else "", sk.code,
                            f"#{parent.id} (parent)" if parent else "(nothing)", f"#{sk.id}", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.diff_dialog = dialog
        return dialog

    def diff_text(self) -> str:
        """The diff currently shown in the history panel."""
        return self.history.diff.toPlainText()

    def revert_to(self, sketch_id: int) -> None:
        """Load a version's code into the editor as an unsaved edit of the open sketch."""
        sk = next((s for s in self.versions if s.id == sketch_id), None)
        if sk is None:
            return
        self.code.setPlainText(sk.code)  # through textChanged: renders, checks and drafts like typing
        self.notice.show_info(f"Loaded the code of version #{sk.id}. Ctrl+S saves it as a new version.")
