"""The editor's doors in and out: open saved sketches (with their drafts), files, starters; export.

A mixin of EditorPane (studio/panes/editor.py), split out to keep each file readable at once.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from studio.ops import sketches as sketch_ops

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

    # -- opening --------------------------------------------------------------------------------
    def _start_new(self) -> None:
        draft = sketch_ops.load_draft_now(self.store, "new")
        self.sketch, self.saved_code = None, ""
        self._set_text(draft.text if draft else NEW_CODE)
        if draft:
            self.notice.show_info(f"Recovered unsaved edits from {sketch_ops.describe_time(draft.updated_at)}.")
        self._show_versions([])

    def open_sketch(self, sketch_id: int) -> asyncio.Task:
        """Load a saved sketch (and its draft, if one survived); returns the loading task."""
        return self._spawn(self._open(sketch_id))

    async def _open(self, sketch_id: int, notice: str | None = None) -> None:
        self._flush_draft()
        sketch = await sketch_ops.load_sketch(self.store, sketch_id)
        if sketch is None:
            self.notice.show_error(f"Sketch #{sketch_id} does not exist.")
            return
        draft = await sketch_ops.load_draft(self.store, sketch_ops.draft_key(sketch_id))
        self.sketch, self.saved_code = sketch, sketch.code
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
        """Import a .js/.txt/.md file (model output is reduced to its code) and open it."""
        return self._spawn(self._open_file(Path(path)))

    async def _open_file(self, path: Path) -> None:
        try:
            new_id, opened = await sketch_ops.import_file(self.store, self.bus, path)
        except sketch_ops.UnreadableFile as e:
            self.notice.show_error(str(e))
            return
        note = None
        if opened.truncated:
            note = f"The code in {path.name} looks cut off (unclosed brackets or strings); it may not run."
        elif opened.extracted:
            self.bus.message.emit(f"Took the code out of {path.name} (fences and prose dropped).")
        await self._open(new_id, notice=note)

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open sketch or model output", "",
                                              "Sketches and model output (*.js *.txt *.md);;All files (*)")
        if path:
            self.open_file(path)

    def open_starter(self, starter: sketch_ops.Starter) -> asyncio.Task:
        """Open a bundled starter (added to the library once, source "starter")."""
        async def go() -> None:
            sketch_id = await sketch_ops.open_starter(self.store, self.bus, starter)
            await self._open(sketch_id)
        return self._spawn(go())

    # -- export ---------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        """Ctrl+E: save the code as .js, its picture as .png, or a standalone .html page."""
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export sketch", f"sketch-{self.sketch_id or 'new'}.js",
            "JavaScript (*.js);;PNG image (*.png);;Standalone page (*.html)")
        if path:
            target = Path(path)
            if not target.suffix:  # typed without an extension: take it from the chosen filter
                target = target.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
            self.export_to(target)

    def export_to(self, path: Path) -> asyncio.Task:
        """Export by the file's suffix (.js, .png, .html) through the library's export op."""
        from studio.ops.library import export_sketch

        async def go() -> None:
            fmt = path.suffix.lstrip(".").lower() or "js"
            written = await export_sketch(self.store, self.renderer, self.sketch_id, self.text, path, fmt,
                                          self.toolbar.seed.value(), self.toolbar.size.value())
            self.bus.message.emit(f"Exported {written}")
        return self._spawn(go())
