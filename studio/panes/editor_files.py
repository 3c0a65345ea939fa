"""The editor's doors in and out: open saved sketches (with their drafts), files, starters; export.

A mixin of EditorPane (studio/panes/editor.py), split out to keep each file readable at once.
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from studio.ops import sketches as sketch_ops
from studio.widgets.unsaved_box import open_unsaved_box

OPEN_SUFFIXES = (".js", ".txt", ".md")  # sketches and model output (its code is taken out)
OPEN_FILTER = "Sketches and model output (*.js *.txt *.md)"
NEW_CODE = """function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.set("HB", "#2b2b2b", 1.5);
  brush.line(-150, 0, 150, 0);
  noLoop();
}
"""


class EditorFilesMixin:
    """Opening (sketch id, file, starter) and exporting for EditorPane."""

    # -- replacing the buffer -------------------------------------------------------------------
    def ask_replace(self, what: str) -> asyncio.Future:
        """Ask (window-modal, not a nested event loop) what to do with unsaved edits before `what` opens;
        the future answers "save", "discard" or "cancel"."""
        future = asyncio.get_event_loop().create_future()
        old = getattr(self, "replace_box", None)
        if old is not None and old.isVisible():
            old.reject()  # a newer request replaces the open question (its own request is cancelled)

        def answered(choice: str) -> None:
            if not future.done():
                future.set_result(choice)
        info = (f"Without saving, they stay a draft of sketch #{self.sketch.id}, offered when you open it again."
                if self.sketch is not None else "Without saving, these edits are lost.")
        self.replace_box = open_unsaved_box(  # tests answer it
            self, "replaceBuffer", f"The editor has changes that are not saved as a version. Open {what}?", info,
            "Save version, then open", "Open without saving", answered)
        return future

    async def _replace(self, what: str, go: Callable[[], Coroutine]) -> bool:
        """Run `go()` (which replaces the editor's text) once unsaved edits are saved or let go; False if
        the person cancelled or the save failed (the edits stay, and the notice says why)."""
        if self.has_unsaved_work and self.confirm_replace:
            choice = await self.ask_replace(what)
            if choice == "cancel":
                return False
            if choice == "save":
                await self._save()
                if self.dirty:
                    return False
            elif self.sketch is None:  # unsaved code let go on request: its draft goes with it
                self._draft_timer.stop()
                await sketch_ops.clear_draft(self.store, sketch_ops.draft_key(None))
                self.saved_code = self.text  # nothing left to flush as a draft
        await go()
        return True

    # -- opening --------------------------------------------------------------------------------
    def _start_new(self) -> None:
        self.sketch_deleted = False
        self.sketch, self.saved_code = None, ""
        self._set_text(NEW_CODE)
        self._show_versions([])
        self._spawn(self._recover_new_draft())

    async def _recover_new_draft(self) -> None:
        draft = await sketch_ops.load_draft(self.store, "new")
        if draft and self.sketch is None and self.text == NEW_CODE and not self.opened_file:
            self._set_text(draft.text)
            self.notice.show_info(f"Recovered unsaved edits from {sketch_ops.describe_time(draft.updated_at)}.")

    def open_sketch(self, sketch_id: int, missing_ok: bool = False) -> asyncio.Task:
        """Load a saved sketch (and its draft, if one survived), asking first about unsaved edits;
        returns the task. The sketch already open stays as it is, edits included."""
        if self.sketch is not None and sketch_id == self.sketch.id and not self.sketch_deleted:
            return self._spawn(asyncio.sleep(0))
        return self._spawn(self._replace(f"sketch #{sketch_id}", lambda: self._open(sketch_id, missing_ok=missing_ok)))

    async def _open(self, sketch_id: int, notice: str | None = None, missing_ok: bool = False) -> None:
        await self._flush_draft_async()
        sketch = await sketch_ops.load_sketch(self.store, sketch_id)
        if sketch is None or sketch.deleted_at is not None:
            if not missing_ok:
                self.notice.show_error(f"Sketch #{sketch_id} does not exist (it may have been deleted).")
            return
        draft = await sketch_ops.load_draft(self.store, sketch_ops.draft_key(sketch_id))
        self.sketch, self.saved_code, self.opened_file = sketch, sketch.code, None
        self.sketch_deleted = False
        seed = sketch.meta.get("seed")
        if isinstance(seed, int):  # a rollout opens with the seed it was rendered and scored with
            self.toolbar.seed.setValue(seed)
        self.clear_preview()
        self.notice.clear()
        if draft and draft.text != sketch.code:
            self._set_text(draft.text)
            self.notice.show_info(f"Recovered unsaved edits from {sketch_ops.describe_time(draft.updated_at)}.")
        else:
            self._set_text(sketch.code)
            if notice:
                self.notice.show_warning(notice)
        self._update_title()
        await self._refresh_history()

    def open_file(self, path: Path | str) -> asyncio.Task:
        """Open a .js/.txt/.md file (model output is reduced to its code) as unsaved code, asking first
        about unsaved edits. Nothing enters the library until Ctrl+S saves it (an "import" titled with
        the file name)."""
        path = Path(path)
        if path.suffix.lower() not in OPEN_SUFFIXES:  # refused before anything is asked or replaced
            return self._spawn(self._open_file(path))
        return self._spawn(self._replace(path.name, lambda: self._open_file(path)))

    async def _open_file(self, path: Path) -> None:
        if path.suffix.lower() not in OPEN_SUFFIXES:
            kind = f"a {path.suffix} file" if path.suffix else "a file without an extension"
            self.notice.show_error(f"Cannot open {path.name}: it is {kind}; only sketches (.js) and model output "
                                   "(.txt, .md) open in the editor. Nothing was opened.")
            return
        try:
            opened = await sketch_ops.read_file(path)
        except sketch_ops.UnreadableFile as e:
            self.notice.show_error(str(e))
            return
        await self._flush_draft_async()
        self.sketch, self.saved_code, self.opened_file = None, "", path.name
        self.sketch_deleted = False
        self.clear_preview()
        self.notice.clear()
        self._set_text(opened.code)
        self._show_versions([])
        if opened.truncated:
            self.notice.show_warning(
                f"The code in {path.name} looks cut off (unclosed brackets or strings); it may not run.")
        elif opened.extracted:
            self.bus.message.emit(f"Took the code out of {path.name} (fences and prose dropped).")
        self.bus.message.emit(f"Opened {path.name}: Ctrl+S adds it to the library.")

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open sketch or model output", self.export_dir, OPEN_FILTER)
        if path:
            self.open_file(path)

    def open_starter(self, starter: sketch_ops.Starter) -> asyncio.Task:
        """Open a bundled starter (added to the library once, source "starter")."""
        async def go() -> None:
            sketch_id = await sketch_ops.open_starter(self.store, self.bus, starter)
            await self._open(sketch_id)
        return self._spawn(self._replace(f"the starter “{starter.title}”", go))

    # -- export ---------------------------------------------------------------------------------
    def suggested_export_path(self, suffix: str = ".js") -> Path:
        """`<title>.js` in the folder of the last export (the home folder at first)."""
        title = (self.sketch.title if self.sketch else None) or self.opened_file or "sketch"
        stem = re.sub(r"[^\w\-]+", "-", Path(title).stem if title.endswith(OPEN_SUFFIXES) else title)
        stem = stem.strip("-").lower() or "sketch"
        return Path(self.export_dir or Path.home()) / f"{stem}{suffix}"

    def export_dialog(self) -> None:
        """Ctrl+E: save the code as .js, its picture as .png, or a standalone .html page."""
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export sketch", str(self.suggested_export_path()),
            "JavaScript (*.js);;PNG image (*.png);;Standalone page (*.html)")
        if path:
            target = Path(path)
            if not target.suffix:  # typed without an extension: take it from the chosen filter
                target = target.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
            self.export_to(target)

    def export_to(self, path: Path) -> asyncio.Task:
        """Export by the file's suffix (.js, .png, .html) through the library's export op."""
        from studio.ops.library import export_sketch  # deferred: heavy (playwright)

        async def go() -> None:
            fmt = path.suffix.lstrip(".").lower() or "js"
            written = await export_sketch(self.store, self.renderer, self.sketch_id, self.text, path, fmt,
                                          self.toolbar.seed.value(), self.toolbar.size.value())
            self.export_dir = str(Path(written).parent)
            self.bus.message.emit(f"Exported {written}")
        return self._spawn(go())
