"""The editor's doors in and out: open saved sketches (with their drafts), files, starters; export.

A mixin of EditorPane (studio/panes/editor.py), split out to keep each file readable at once.
"""
from __future__ import annotations

import asyncio
import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from studio.ops import sketches as sketch_ops

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

    # -- opening --------------------------------------------------------------------------------
    def _start_new(self) -> None:
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
        """Load a saved sketch (and its draft, if one survived); returns the loading task."""
        return self._spawn(self._open(sketch_id, missing_ok=missing_ok))

    async def _open(self, sketch_id: int, notice: str | None = None, missing_ok: bool = False) -> None:
        await self._flush_draft_async()
        sketch = await sketch_ops.load_sketch(self.store, sketch_id)
        if sketch is None or sketch.deleted_at is not None:
            if not missing_ok:
                self.notice.show_error(f"Sketch #{sketch_id} does not exist (it may have been deleted).")
            return
        draft = await sketch_ops.load_draft(self.store, sketch_ops.draft_key(sketch_id))
        self.sketch, self.saved_code, self.opened_file = sketch, sketch.code, None
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
        """Open a .js/.txt/.md file (model output is reduced to its code) as unsaved code.

        Nothing enters the library until Ctrl+S saves it (then as an "import" titled with the file name).
        """
        return self._spawn(self._open_file(Path(path)))

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
        return self._spawn(go())

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
        from studio.ops.library import export_sketch

        async def go() -> None:
            fmt = path.suffix.lstrip(".").lower() or "js"
            written = await export_sketch(self.store, self.renderer, self.sketch_id, self.text, path, fmt,
                                          self.toolbar.seed.value(), self.toolbar.size.value())
            self.export_dir = str(Path(written).parent)
            self.bus.message.emit(f"Exported {written}")
        return self._spawn(go())
