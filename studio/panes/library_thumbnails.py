"""Feeds the library grid its pictures: loads stored PNGs off the GUI thread, renders missing ones.

Renders run as one status-bar job ("Rendering thumbnails (3/8)"), at most MAX_RENDERS at a time,
cancellable from the status bar (then paused until the user reloads with F5). A failure that the store does not keep (a timeout on a busy
machine) is remembered for the session so a reload does not start the same slow render again.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.bus import ChangeBus, Job, Jobs
from studio.ops import library as ops
from studio.ops import run_in_thread, start_job
from studio.ops.sketches import load_sketch
from studio.panes.tasks import TaskSet
from studio.widgets.thumbnail_grid import CardModel, load_thumbnail_image

if TYPE_CHECKING:
    from core.store import Store

MAX_RENDERS = 2  # the machine may have 2 cores, and the editor renders too


class ThumbnailFeeder:
    """Answers the model's `thumbnail_wanted`: load the stored PNG, or queue a background render."""

    def __init__(self, model: CardModel, store: Store, renderer: Any, bus: ChangeBus, jobs: Jobs, tasks: TaskSet):
        self.model, self.store, self.renderer, self.bus, self.jobs, self.tasks = model, store, renderer, bus, jobs, tasks
        self.queue: list[int] = []
        self.in_flight: set[int] = set()
        self.failed: dict[int, str] = {}  # sketch id → error of an uncached failure this session
        self.job: Job | None = None
        self.runner: asyncio.Task | None = None  # set at once, so a burst of requests starts one job
        self.done: list[int] = []
        self.paused = False  # the user cancelled the render job: no new renders until resume()
        model.thumbnail_wanted.connect(self.wanted)

    def resume(self) -> None:
        """Allow background renders again (after the user cancelled them)."""
        self.paused = False

    def wanted(self, sketch_id: int) -> None:
        card = self.model.card(sketch_id)
        if card is None:
            return
        if card.png_path is not None:
            self.tasks.spawn(self.load(sketch_id, card.png_path))
        elif sketch_id in self.failed:
            self.model.set_thumbnail(sketch_id, None, error=self.failed[sketch_id])
        elif card.error is None and self.renderer is not None and not self.paused:
            self.enqueue(sketch_id)
        else:
            self.model.set_thumbnail(sketch_id, None)

    async def load(self, sketch_id: int, png: Path) -> None:
        image = await run_in_thread(load_thumbnail_image, png)
        self.model.set_thumbnail(sketch_id, image, error=None if image is not None else "the image cannot be read")

    def cancel(self) -> None:
        if self.job is not None:
            self.jobs.cancel(self.job)

    # -- background renders ----------------------------------------------------------------------
    def enqueue(self, sketch_id: int) -> None:
        if sketch_id not in self.queue and sketch_id not in self.in_flight:
            self.queue.append(sketch_id)
            self.model.set_state(sketch_id, "queued")
        if self.runner is None:
            self.runner = self.tasks.spawn(start_job(self.jobs, "Rendering thumbnails", self._run))
        else:
            self._progress()

    @property
    def busy(self) -> bool:
        return self.runner is not None

    def _progress(self) -> None:
        if self.job is not None:
            done, total = len(self.done), len(self.done) + len(self.queue) + len(self.in_flight)
            self.job.title = f"Rendering thumbnails ({done}/{total})"
            self.jobs.progress(self.job, done / max(total, 1))

    async def _run(self, job: Job) -> None:
        self.job, self.done = job, []
        self._progress()
        try:
            await asyncio.gather(*(self._worker(job) for _ in range(MAX_RENDERS)))
        except asyncio.CancelledError:
            self.paused = True
            raise
        finally:
            self.paused = self.paused or job.cancelled
            for sketch_id in self.queue:  # cancelled: back to waiting; the next reload asks again
                self.model.set_state(sketch_id, "waiting")
            self.queue.clear()
            self.job = self.runner = None
            if self.done:
                self.bus.emit_change("renders", tuple(self.done))

    async def _worker(self, job: Job) -> None:
        while self.queue and not job.cancelled:
            sketch_id = self.queue.pop(0)
            self.in_flight.add(sketch_id)
            self.model.set_state(sketch_id, "rendering")
            try:
                await self._render(sketch_id)
            except asyncio.CancelledError:
                self.model.set_state(sketch_id, "waiting")  # cancelled from the status bar
                raise
            else:
                self.done.append(sketch_id)
            finally:
                self.in_flight.discard(sketch_id)
                self._progress()

    async def _render(self, sketch_id: int) -> None:
        sketch = await load_sketch(self.store, sketch_id)
        if sketch is None:
            return
        try:
            thumb = await ops.render_thumbnail(self.store, self.renderer, sketch.code)
        except Exception as e:  # a crashed page must not stop the other thumbnails
            thumb = ops.Thumbnail(None, f"browser: {e}")
        if thumb.png_path is None:
            self.failed[sketch_id] = thumb.error or "no image"
        card = self.model.card(sketch_id)  # a reload may have replaced the card meanwhile
        if card is None:
            return
        card.png_path = thumb.png_path
        if thumb.png_path is None:
            self.model.set_thumbnail(sketch_id, None, error=thumb.error)
        else:
            await self.load(sketch_id, thumb.png_path)
