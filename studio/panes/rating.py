"""The Rate pane: one big image, 1 / 2 / 3 for love / okay / nope, and the next one already decoded.

Each rating is committed through studio/ops/rating.py before the next image shows (~1 ms), so
nothing rated is ever lost; the next few images are decoded in a thread pool at the view's size,
so showing one is a paint, not a decode. The Pool tab shows the rated pool grouped by colour.
"""
from __future__ import annotations

import asyncio
from html import escape

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.pool import PoolImage, RatingPool
from core.pool.colour import GROUP_SWATCH
from studio.bus import Change, ChangeBus, Jobs
from studio.ops import rating as ops
from studio.panes.pool_view import PoolView
from studio.panes.rating_filters import RatingFilters
from studio.panes.rating_queue import RatingQueue
from studio.panes.rating_side import RatingSide
from studio.widgets.rating_caption import TextLine
from studio.widgets.rating_cheatsheet import CheatSheet
from studio.widgets.rating_image import RatingImageView
from studio.widgets.rating_preload import ImagePreloader, decode_scaled

TIER_KEYS = {Qt.Key.Key_1: "love", Qt.Key.Key_2: "okay", Qt.Key.Key_3: "nope"}
KEYS = [
    ("1", "love"), ("2", "okay"), ("3", "nope"), ("Space", "skip"), ("←", "back to the previous image"),
    ("Z / Ctrl+Z", "undo the last rating"), ("P", "pin the current image as a reference"),
    ("G", "switch between Rate and Pool"), ("?", "this cheat-sheet"),
]
PRELOAD_AHEAD = 4
ORIGIN = "rate-pane"
_HANDLED = {Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Z,
            Qt.Key.Key_P, Qt.Key.Key_G, Qt.Key.Key_Question, Qt.Key.Key_Escape}


class RatePane(QWidget):
    title = "Rate"

    def __init__(self, pool: RatingPool, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.pool, self.bus, self.jobs = pool, bus, jobs
        self.queue = RatingQueue()
        self.meta: dict[int, PoolImage] = {}
        self.seed = 0
        self.preloader = ImagePreloader(parent=self)
        self.preloader.on_ready = self._decoded
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.cheatsheet = CheatSheet(self, KEYS, "Rating keys")
        self.setFocusProxy(self.view)  # keys land on the image, never in the filter box by accident
        bus.changed.connect(self._on_change)
        self.reload()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.tabs = QButtonGroup(self)
        for i, name in enumerate(("Rate", "Pool")):
            b = QToolButton(text=name, checkable=True, checked=i == 0)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumWidth(64)
            self.tabs.addButton(b, i)
            top.addWidget(b)
        self.tabs.idClicked.connect(self.show_page)
        top.addSpacing(12)
        self.progress = TextLine(scale=1.1, bold=True)
        top.addWidget(self.progress, 1)
        self.import_button = QPushButton("Import ▾")
        self.import_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        menu = QMenu(self.import_button)
        menu.addAction("Import a folder of renders…", self._import_folder_dialog)
        menu.addAction("Import the library's renders", self._import_library)
        self.import_button.setMenu(menu)
        top.addWidget(self.import_button)
        outer.addLayout(top)

        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        rate = QWidget()
        col = QVBoxLayout(rate)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(8)
        self.filters = RatingFilters()
        self.filters.changed.connect(self.reload)
        col.addWidget(self.filters)
        middle = QHBoxLayout()
        middle.setSpacing(0)
        self.view = RatingImageView()
        self.view.on_resized.append(self._view_resized)
        self.view.on_painted.append(self._painted)
        self._preload_after_paint = False
        self.side = RatingSide()
        middle.addWidget(self.view, 1)
        middle.addWidget(self.side)
        col.addLayout(middle, 1)
        self.prompt = TextLine(scale=1.3)
        self.info = TextLine(muted=True)
        col.addWidget(self.prompt)
        col.addWidget(self.info)
        self.hints = QLabel(self._hint_html())
        self.hints.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.hints)
        self.pages.addWidget(rate)
        self.pool_view = PoolView(self.pool)
        self.pool_view.picked.connect(self._pin_from_pool)
        self.pages.addWidget(self.pool_view)
        self._pool_dirty = True

    @staticmethod
    def _hint_html() -> str:
        cap = ("<span style='background:#e9e6df; color:#1f2023; padding:2px 6px; border-radius:3px;"
               " font-family:monospace; font-weight:600'>&nbsp;{}&nbsp;</span>")
        parts = [("1", "love"), ("2", "okay"), ("3", "nope"), ("Space", "skip"), ("←", "back"),
                 ("Z", "undo"), ("P", "pin"), ("G", "pool"), ("?", "all keys")]
        return " &nbsp; ".join(f"{cap.format(k)} {escape(t)}" for k, t in parts)

    def shortcuts(self) -> list[tuple[str, str]]:
        return KEYS

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.tabs.button(index).setChecked(True)
        if index == 1 and self._pool_dirty:
            self.pool_view.refresh()
            self._pool_dirty = False
        if index == 0:
            self.view.setFocus()

    # -- queue ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild the queue from the filters, staying on the current image if it still matches."""
        images = ops.queue(self.pool, seed=self.seed, **self.filters.values())
        self.meta = {im.id: im for im in images}
        self.queue.reset([im.id for im in images], keep=self.queue.current)
        self.preloader.clear()
        self._show()

    def _image(self, image_id: int) -> PoolImage:
        im = self.meta.get(image_id)
        if im is None:
            im = self.meta[image_id] = ops.image(self.pool, image_id)
        return im

    def _show(self) -> None:
        self._update_progress()
        current = self.queue.current
        if current is None:
            self.view.show_image(-1, None, None, self._empty_text())
            self.prompt.set_text("")
            self.info.set_text("")
            return
        im = self._image(current)
        size = self.view.target_size(im.width, im.height)
        image, preview = self.preloader.peek(im.id, size), False
        if image is None and im.thumb_path is not None and im.thumb_path.exists():
            # not decoded yet (keys faster than the decoder): show the small thumbnail at once and
            # swap in the full image when its urgent decode lands (see _decoded)
            image, preview = decode_scaled(str(im.thumb_path), QSize()), True
            self.preloader.request(im.id, str(im.path), size, urgent=True)
        elif image is None:
            image = self.preloader.get(im.id, str(im.path), size)
        self.view.show_image(im.id, image, ops.tier_of(self.pool, im.id), preview=preview)
        self._preload_after_paint = True
        self.prompt.set_text(im.prompt or "(no prompt)")
        self.info.set_text(f"{im.colour_group} · {im.source} · {im.width}×{im.height} · #{im.id}",
                           dot=GROUP_SWATCH.get(im.colour_group, "#999"))

    def _painted(self, image_id: int) -> None:
        # Start decoding ahead only once the current image is on screen: the decoders then never
        # compete with the paint a person is waiting for.
        if self._preload_after_paint:
            self._preload_after_paint = False
            self._preload()

    def _preload(self) -> None:
        for image_id in self.queue.upcoming(PRELOAD_AHEAD):
            im = self._image(image_id)
            self.preloader.request(im.id, str(im.path), self.view.target_size(im.width, im.height))

    def _decoded(self, image_id: int) -> None:
        if image_id == self.queue.current and (self.view.image_id != image_id or self.view.preview):
            self._show()

    def _empty_text(self) -> str:
        if not ops.counts(self.pool)["images"]:
            return "The pool is empty.\nImport a folder of renders (Import ▾ above) to start rating."
        if self.queue.ids:
            return "All done here. ← goes back, Z undoes; change the filter to see more."
        return "Nothing matches these filters."

    def _update_progress(self) -> None:
        text = ops.progress_text(ops.counts(self.pool))
        if self.queue.ids:
            text += f"   ·   {min(self.queue.pos + 1, len(self.queue)):,} of {len(self.queue):,} in this view"
        self.progress.set_text(text)

    # -- actions --------------------------------------------------------------------------------
    def rate_current(self, tier: str) -> None:
        current = self.queue.current
        if current is None:
            return
        ops.rate(self.pool, self.bus, current, tier, origin=ORIGIN)
        self.side.add_recent(tier, self._image(current).prompt)
        self._pool_dirty = True
        self.queue.advance()
        self._show()

    def skip(self) -> None:
        if self.queue.current is not None:
            self.queue.advance()
            self._show()

    def back(self) -> None:
        self.queue.back()
        self._show()

    def undo(self) -> None:
        events = ops.undo(self.pool, self.bus, origin=ORIGIN)
        if not events:
            self.bus.message.emit("Nothing to undo.")
            return
        image_id = events[0].image_id
        self.side.add_recent(None, self._image(image_id).prompt, undo=True)
        self._pool_dirty = True
        self.queue.bring_back(image_id)  # even when the filter (e.g. unrated only) had dropped it
        self._show()

    def pin_current(self) -> None:
        if self.queue.current is not None:
            self.side.pin(ops.image(self.pool, self.queue.current))

    def _pin_from_pool(self, image_id: int) -> None:
        self.side.pin(ops.image(self.pool, image_id))
        self.show_page(0)

    # -- keys -----------------------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        # Claim our keys before window-level shortcuts (e.g. an editor's Ctrl+Z) can take them.
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent) and self._wants(e):
            e.accept()
            return True
        return super().event(e)

    def _wants(self, e: QKeyEvent) -> bool:
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if e.key() == Qt.Key.Key_Z and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier):
            return True
        return e.key() in _HANDLED and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = e.key()
        if not self._wants(e):
            return super().keyPressEvent(e)
        if self.cheatsheet.isVisible():
            self.cheatsheet.hide()
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Question):
                return
        if key == Qt.Key.Key_Question or e.text() == "?":
            self.cheatsheet.toggle()
        elif key == Qt.Key.Key_G:
            self.show_page(1 - self.pages.currentIndex())
        elif self.pages.currentIndex() != 0:
            return super().keyPressEvent(e)
        elif key in TIER_KEYS:
            self.rate_current(TIER_KEYS[key])
        elif key == Qt.Key.Key_Space:
            self.skip()
        elif key == Qt.Key.Key_Left:
            self.back()
        elif key == Qt.Key.Key_Z:
            self.undo()
        elif key == Qt.Key.Key_P:
            self.pin_current()

    # -- outside changes ------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.detail.get("origin") == ORIGIN:
            return
        if change.kind == "pool":
            self._pool_dirty = True
            self.reload()
        elif change.kind == "ratings":
            self._pool_dirty = True
            if self.queue.current in change.ids:
                self.view.set_tier(ops.tier_of(self.pool, self.queue.current))
            self._update_progress()
        if self.pages.currentIndex() == 1 and self._pool_dirty:
            self.pool_view.refresh()
            self._pool_dirty = False

    def _view_resized(self) -> None:
        # decoded sizes follow the view: re-show so the image stays sharp, and preload at the new size
        current = self.queue.current
        if current is not None and self.view.image is not None:
            im = self._image(current)
            if abs(self.view.target_size(im.width, im.height).width() - self.view.image.width()) > 8:
                self._show()

    # -- import ---------------------------------------------------------------------------------
    def _import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of renders")
        if folder:
            self.import_folder(folder)

    def import_folder(self, folder: str) -> asyncio.Future:
        return asyncio.ensure_future(ops.import_folder(self.pool, self.bus, self.jobs, folder))

    def _import_library(self) -> asyncio.Future:
        return asyncio.ensure_future(ops.import_library(self.pool, self.bus, self.jobs))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1100, 760)

    def shutdown(self) -> None:
        """Stop background decoding and pending filter refreshes (before the pool's database closes)."""
        if self.preloader.on_ready is None:
            return  # already shut down
        self.preloader.stop()
        self.filters.changed.disconnect(self.reload)
        self.bus.changed.disconnect(self._on_change)
