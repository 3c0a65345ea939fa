"""The Rate pane: one big image, 1 / 2 / 3 for love / okay / nope, and the next one already decoded.

A key press never touches SQLite or an image file: it spawns a task that commits the rating on
core's serial writer (studio/ops/rating.py; in key order, ~1 ms each, or when another process lets
go of the write lock) and the pane moves on at once from what it already knows (the queue, each
image's tier, the counts). The next few images are decoded in threads at the view's size
(rating_preload.py), so showing one is a paint, not a decode. The Pool tab shows the rated pool
grouped by colour.
"""
from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.bus import Change, ChangeBus, Jobs
from studio.ops import rating as ops
from studio.ops.rating import GROUP_SWATCH
from studio.panes.pool_view import PoolView
from studio.panes.rating_filters import RatingFilters
from studio.panes.rating_preload import ImagePreloader
from studio.panes.rating_queue import RatingQueue
from studio.panes.rating_side import RatingSide
from studio.panes.tasks import TaskSet
from studio.widgets.rating_caption import TextLine
from studio.widgets.rating_cheatsheet import CheatSheet
from studio.widgets.rating_image import RatingImageView

if TYPE_CHECKING:
    from core.pool import PoolImage, RatingEvent, RatingPool
    from core.store import Store

TIER_KEYS = {Qt.Key.Key_1: "love", Qt.Key.Key_2: "okay", Qt.Key.Key_3: "nope"}
KEYS = [
    ("1", "love"), ("2", "okay"), ("3", "nope"), ("Space", "skip"), ("←", "back to the previous image"),
    ("Home", "the first image of this list still unrated"), ("Z / Ctrl+Z", "undo the last rating"), ("P", "pin the current image as a reference"),
    ("G", "switch between Rate and Pool"), ("?", "this cheat-sheet"),
]
PRELOAD_AHEAD = 4
THUMBS_AHEAD = 16
ORIGIN = "rate-pane"
_HANDLED = {Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Z, Qt.Key.Key_Home,
            Qt.Key.Key_P, Qt.Key.Key_G, Qt.Key.Key_Question, Qt.Key.Key_Escape}


class RatePane(QWidget):
    title = "Rate"

    def __init__(self, pool: RatingPool, bus: ChangeBus, jobs: Jobs, parent: QWidget | None = None):
        super().__init__(parent)
        self.pool, self.bus, self.jobs = pool, bus, jobs
        self.queue = RatingQueue()
        self.meta: dict[int, PoolImage] = {}
        self.tiers: dict[int, str | None] = {}  # what the pane knows, updated at the key press
        self.counts: dict[str, int] | None = None
        self.seed = 0
        self._generation = 0  # newest queue load; an older one landing late is dropped
        self.loading = True
        self.tasks = TaskSet(self._task_failed)  # reads and commits; each ends on the GUI thread
        self.writes = 0  # ratings and undos spawned and not committed yet
        self.preloader = ImagePreloader(ops.load_picture)
        self.preloader.on_ready = self._decoded
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.cheatsheet = CheatSheet(self, KEYS, "Rating keys")
        self.setFocusProxy(self.view)  # keys land on the image, never in the filter box by accident
        bus.changed.connect(self._on_change)
        self.reload()

    @classmethod
    def for_studio(cls, store: Store, renderer: Any, bus: ChangeBus, jobs: Jobs) -> RatePane:
        """The pane as the main window builds it: on the pool of the studio's store."""
        return cls(ops.make_pool(store), bus, jobs)

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
        # One line, never wrapped (a wrapped label makes the pane ask for its preferred height, and it
        # scrolls): in a narrow window the strip drops its words and keeps the keys.
        self._hints_width = self.hints.sizeHint().width()
        self.hints.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        col.addWidget(self.hints)
        self.pages.addWidget(rate)
        self.pool_view = PoolView(self.pool, self.tasks)
        self.pool_view.picked.connect(self._pin_from_pool)
        self.pages.addWidget(self.pool_view)
        self._pool_dirty = True

    @staticmethod
    def _hint_html(compact: bool = False) -> str:
        cap = ("<span style='background:#e9e6df; color:#1f2023; padding:2px 6px; border-radius:3px;"
               " font-family:monospace; font-weight:600'>&nbsp;{}&nbsp;</span>")
        parts = [("1", "love"), ("2", "okay"), ("3", "nope"), ("Space", "skip"), ("←", "back"),
                 ("Z", "undo"), ("P", "pin"), ("G", "rate ↔ pool"), ("?", "all keys")]
        if compact:
            parts = [("1", "♥"), ("2", "●"), ("3", "✕"), ("Space", "skip"), ("←", ""), ("Z", "undo"),
                     ("P", "pin"), ("G", "pool"), ("?", "keys")]
        return (" " if compact else " &nbsp; ").join(f"{cap.format(k)} {escape(t)}" for k, t in parts)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt override)
        super().resizeEvent(event)
        compact = self.hints.width() < self._hints_width
        if compact != getattr(self, "_hints_compact", False):
            self._hints_compact = compact
            self.hints.setText(self._hint_html(compact))

    def shortcuts(self) -> list[tuple[str, str]]:
        return KEYS

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.tabs.button(index).setChecked(True)
        if index == 1 and self._pool_dirty:
            self.pool_view.refresh()
            self._pool_dirty = False
        # Keep the keyboard in this pane (G must come back): the hidden image view would hand the
        # focus to the next widget in the window, the pane switcher, which eats letters.
        (self.view if index == 0 else self.pool_view.grid).setFocus()

    # -- queue ----------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        """Nothing queued for the database or on its way back (tests and benchmarks wait on this)."""
        return self.tasks.idle and not self.loading

    def reload(self) -> None:
        """Rebuild the queue from the filters (read in the background), staying on the current image."""
        self._generation += 1
        generation, self.loading = self._generation, True
        self.tasks.spawn(self._load_queue(generation, self.filters.values()))
        self._refresh_counts()
        self.tasks.spawn(self._check_least_sure())
        if not self.queue.ids:
            self.view.show_image(-1, None, None, "Loading…")

    async def _load_queue(self, generation: int, filters: dict) -> None:
        try:
            images = await ops.load_queue(self.pool, seed=self.seed, **filters)
        except Exception as e:  # noqa: BLE001 (said in the status bar; the pane stays usable)
            if generation == self._generation:
                self._db_failed(e)
            return
        if generation != self._generation:
            return  # the filters changed again meanwhile
        self.loading = False
        self.meta = {im.id: im for im in images}
        self.tiers.update({im.id: im.tier for im in images})
        self.queue.reset([im.id for im in images], keep=self.queue.current)
        self.preloader.clear()
        self._show()

    async def _check_least_sure(self) -> None:
        self.filters.set_least_sure(await ops.least_sure_problem())

    def _refresh_counts(self) -> None:
        self.tasks.spawn(self._load_counts())

    async def _load_counts(self) -> None:
        counts = await ops.load_counts(self.pool)
        if not self.writes:  # else a rating still on its way would be counted back out
            self.counts = counts
            if self.queue.current is None and not self.loading:
                self._show()  # the empty-pool text depends on the counts
            else:
                self._update_progress()

    def _db_failed(self, error: BaseException) -> None:
        self.loading = False
        self.bus.message.emit(f"The pool could not be read: {error}")

    def _task_failed(self, error: BaseException) -> None:
        self.bus.message.emit(f"Rate pane: {error}")

    def _show(self) -> None:
        self._update_progress()
        current = self.queue.current
        if current is None:
            self.view.show_image(-1, None, None, self._empty_text())
            self.prompt.set_text("")
            self.info.set_text("")
            return
        im = self.meta[current]
        size = self.view.target_size(im.width, im.height)
        image, preview = self.preloader.peek(im.id, size), False
        if image is None:
            # not decoded at this size yet (keys faster than the decoder, or the window was resized):
            # the same picture at another size if it is on screen, else the small thumbnail if it is
            # ready, else an empty frame for the few ms until the urgent decode lands (see _decoded)
            same = self.view.image if self.view.image_id == im.id and not self.view.preview else None
            image = same or self.preloader.peek_thumbnail(im.id)
            preview = image is not None
            self.preloader.request(im.id, str(im.path), size, urgent=True)
        self.view.show_image(im.id, image, self.tiers.get(im.id), placeholder="Loading…", preview=preview)
        self._preload_after_paint = True
        self.prompt.set_text(im.prompt or (im_name(im) or "(no prompt)"))
        self.info.set_text(self._caption(im), dot=GROUP_SWATCH.get(im.colour_group, "#999"))

    def _caption(self, im: PoolImage) -> str:
        """Where we are and what the image is; the file name for imported images, never the database id."""
        where = f"{self.queue.pos + 1:,} of {len(self.queue):,}"
        name = im_name(im)
        parts = [where, *([name] if name else []), im.colour_group, im.source, f"{im.width}×{im.height}"]
        return " · ".join(parts)

    def _painted(self, image_id: int) -> None:
        # Start decoding ahead only once the current image is on screen: the decoders then never
        # compete with the paint a person is waiting for.
        if self._preload_after_paint:
            self._preload_after_paint = False
            self._preload()

    def _preload(self) -> None:
        for image_id in self.queue.upcoming(PRELOAD_AHEAD):
            im = self.meta[image_id]
            self.preloader.request(im.id, str(im.path), self.view.target_size(im.width, im.height))
        for image_id in self.queue.upcoming(THUMBS_AHEAD):  # stand-ins for a burst of keys
            im = self.meta[image_id]
            if im.thumb_path is not None:
                self.preloader.request_thumbnail(im.id, str(im.thumb_path))

    def _decoded(self, image_id: int) -> None:
        if image_id == self.queue.current and (self.view.image_id != image_id or self.view.preview
                                               or self.view.image is None):
            self._show()

    def _empty_text(self) -> str:
        if self.loading:
            return "Loading…"
        if self.counts is not None and not self.counts["images"]:
            return "The pool is empty.\nImport a folder of renders (Import ▾ above) to start rating."
        if self.queue.ids:
            skipped = [i for i in self.queue.ids if self.tiers.get(i) is None]
            if skipped:  # the end of the list is not "all done" while skipped images wait
                return (f"End of the list: {len(skipped)} of {len(self.queue)} still unrated (skipped).\n"
                        "Home goes to the first of them, ← goes back, Z undoes.")
            return "All done here. ← goes back, Z undoes; change the filter to see more."
        return "Nothing matches these filters."

    def first_skipped(self) -> None:
        """Home: back to the first image of this list that is still unrated."""
        skipped = next((i for i in self.queue.ids if self.tiers.get(i) is None), None)
        if skipped is not None:
            self.queue.bring_back(skipped)
            self._show()

    def _update_progress(self) -> None:
        if self.counts is None:
            return
        text = ops.progress_text(self.counts)
        if self.queue.ids:
            text += f"   ·   {min(self.queue.pos + 1, len(self.queue)):,} of {len(self.queue):,} in this view"
        self.progress.set_text(text)

    # -- actions --------------------------------------------------------------------------------
    def _count(self, old: str | None, new: str | None) -> None:
        """Move one image between tiers in the pane's counts (the database agrees once it commits)."""
        if self.counts is None or old == new:
            return
        for tier, step in ((old, -1), (new, 1)):
            if tier is not None:
                self.counts[tier] += step
                self.counts["rated"] += step

    def rate_current(self, tier: str) -> None:
        """Rate the image on screen and show the next one; the commit happens in the background."""
        current = self.queue.current
        if current is None:
            return
        self._write(ops.rate(self.pool, self.bus, current, tier, origin=ORIGIN))
        self._count(self.tiers.get(current), tier)
        self.tiers[current] = tier
        self.side.add_recent(tier, self.meta[current].prompt)
        self._pool_dirty = True
        self.queue.advance()
        self._show()

    def _write(self, commit: Coroutine) -> None:
        """Spawn a rating or an undo now: tasks start in the order they are made, so commits keep key order."""
        self.writes += 1
        self.tasks.spawn(self._committed(commit))

    async def _committed(self, commit: Coroutine) -> None:
        try:
            await commit
        except Exception as e:  # noqa: BLE001 (the pane re-reads what the database holds)
            self._rating_failed(e)
        finally:
            self.writes -= 1

    def _rating_failed(self, error: BaseException) -> None:
        self.bus.message.emit(f"A rating was not saved: {error} Rate that image again.")
        self._resync()

    def _resync(self) -> None:
        """Forget what the pane assumed and re-read tiers and counts from the database."""
        self.reload()

    def skip(self) -> None:
        if self.queue.current is not None:
            self.queue.advance()
            self._show()

    def back(self) -> None:
        self.queue.back()
        self._show()

    def undo(self) -> None:
        """Undo the last rating (a core undo, queued after every rating before it)."""
        self._write(self._undo())

    async def _undo(self) -> None:
        self._undone(*await ops.undo(self.pool, self.bus, origin=ORIGIN))

    def _undone(self, events: list[RatingEvent], images: dict[int, PoolImage]) -> None:
        if not events:
            self.bus.message.emit("Nothing to undo.")
            return
        image_id = events[0].image_id
        self.meta.setdefault(image_id, images[image_id])
        self._count(self.tiers.get(image_id, events[0].previous_tier), events[0].tier)
        self.tiers[image_id] = events[0].tier
        self.side.add_recent(None, self.meta[image_id].prompt, undo=True)
        self._pool_dirty = True
        self.queue.bring_back(image_id)  # even when the filter (e.g. unrated only) had dropped it
        self._show()

    def pin_current(self) -> None:
        if self.queue.current is not None:
            self._pin(self.meta[self.queue.current])

    def _pin(self, image: PoolImage) -> None:
        self.tasks.spawn(self._load_pin(image))

    async def _load_pin(self, image: PoolImage) -> None:
        self.side.pin(image, await ops.load_picture(str(image.path), self.side.picture_size(image)))

    def _pin_from_pool(self, image_id: int) -> None:
        async def pin() -> None:
            self._pin(await ops.load_image(self.pool, image_id))
        self.tasks.spawn(pin())
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
        elif key == Qt.Key.Key_Home:
            self.first_skipped()
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
        elif change.kind == "ratings":  # rated elsewhere (another pane): re-read tiers and counts
            self._pool_dirty = True
            self._resync()
        if self.pages.currentIndex() == 1 and self._pool_dirty:
            self.pool_view.refresh()
            self._pool_dirty = False

    def _view_resized(self) -> None:
        # decoded sizes follow the view: re-show so the image stays sharp, and preload at the new size
        current = self.queue.current
        if current is not None and self.view.image is not None:
            im = self.meta[current]
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
        """Stop background work. Ratings already queued on the store's writer are committed by
        Store.close (it drains the writer first), even behind another process's write lock."""
        if self.preloader.on_ready is None:
            return  # already shut down
        self.tasks.cancel_all()
        self.preloader.stop()
        self.filters.changed.disconnect(self.reload)
        self.bus.changed.disconnect(self._on_change)


def im_name(im: PoolImage) -> str | None:
    """The file an image was imported from, when the pool knows it."""
    return im.name
