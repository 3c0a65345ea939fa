"""Rating ops: the Rate pane's only door into core.pool; no SQLite or image I/O on the GUI thread.

A rating's commit is one SQLite INSERT (~1 ms), but a training process may hold the database's
write lock for seconds, and a key press must never wait for that. So `rate` and `undo` only queue
the core call on the pane's serial writer (studio/ops/background.py): calls reach SQLite in the
order the keys were pressed, each committed on its own, and the pane updates at once from what it
already knows. Reads (the queue, counts, the pool overview, decoded pictures) run on a reader
thread and come back through callbacks. Imports are slow and run in a worker thread as a
cancellable job.
"""
from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from core.pool import TIERS, PoolImage, RatingEvent, RatingPool
from core.pool import io as pool_io
from core.pool.colour import GROUP_SWATCH
from core.pool.io import ImportReport
from core.store import Store
from studio.bus import ChangeBus, Job, Jobs
from studio.ops import run_in_thread, start_job
from studio.ops.background import Failed, SerialWorker
from studio.widgets.rating_preload import decode_scaled

__all__ = ["GROUP_SWATCH", "SerialWorker", "make_pool", "rate", "undo", "load_queue", "load_counts", "load_overview", "load_image",
           "load_picture", "import_folder", "import_library", "progress_text"]


def make_pool(store: Store) -> RatingPool:
    """The rating pool on the studio's store (same database file)."""
    return RatingPool(store)


def rate(writer: SerialWorker, pool: RatingPool, bus: ChangeBus, image_id: int, tier: str, origin: str = "",
         on_error: Failed | None = None) -> None:
    """Queue one rating; once committed the app hears a `ratings` change. Returns at once."""
    writer.submit(pool.rate, image_id, tier, on_error=on_error,
                  on_done=lambda _e: bus.emit_change("ratings", (image_id,), origin=origin, tier=tier))


def _undo(pool: RatingPool, n: int) -> tuple[list[RatingEvent], dict[int, PoolImage]]:
    events = pool.undo_last(n)
    return events, {e.image_id: pool.image(e.image_id) for e in events}


def undo(writer: SerialWorker, pool: RatingPool, bus: ChangeBus,
         on_done: Callable[[list[RatingEvent], dict[int, PoolImage]], None], n: int = 1, origin: str = "",
         on_error: Failed | None = None) -> None:
    """Queue a core undo of the last n ratings (after every rating queued before it); returns at once.

    `on_done(events, images)` gets the undo events, newest first, and the undone images.
    """
    def done(result: tuple[list[RatingEvent], dict[int, PoolImage]]) -> None:
        events, images = result
        if events:
            bus.emit_change("ratings", tuple(e.image_id for e in events), origin=origin, undo=True)
        on_done(events, images)
    writer.submit(_undo, pool, n, on_done=done, on_error=on_error)


def load_queue(reader: SerialWorker, pool: RatingPool, on_done: Callable[[list[PoolImage]], None],
               on_error: Failed | None = None, **filters: object) -> None:
    """The images the Rate pane walks through (see `queue`), delivered to `on_done`."""
    reader.submit(lambda: queue(pool, **filters), on_done=on_done, on_error=on_error)


def load_counts(reader: SerialWorker, pool: RatingPool, on_done: Callable[[dict[str, int]], None]) -> None:
    """pool.counts(), delivered to `on_done`."""
    reader.submit(pool.counts, on_done=on_done)


def load_image(reader: SerialWorker, pool: RatingPool, image_id: int,
               on_done: Callable[[PoolImage], None]) -> None:
    """One image's metadata, delivered to `on_done`."""
    reader.submit(pool.image, image_id, on_done=on_done)


def load_picture(reader: SerialWorker, path: str, size: QSize, on_done: Callable[[QImage], None]) -> None:
    """Decode a picture at `size` on the reader thread, delivered to `on_done`."""
    reader.submit(decode_scaled, path, size, on_done=on_done)


def queue(pool: RatingPool, *, show: str = "unrated", colour_group: str | None = None,
          source: str | None = None, text: str | None = None, order: str = "random",
          seed: int = 0) -> list[PoolImage]:
    """The images the Rate pane walks through, in order: `show` is "unrated", "all" or a tier."""
    images = pool.images(
        unrated=show == "unrated", tier=show if show in TIERS else None,
        colour_group=colour_group, source=source, text=text or None,
        order="prompt" if order == "prompt" else "id",
    )
    if order == "random":
        random.Random(seed).shuffle(images)
    elif order == "least_sure":  # what the learned reward model is least sure about first
        from core.reward.learned.active import least_sure_first

        images = least_sure_first(images, seed=seed)
    return images


@dataclass(frozen=True)
class Overview:
    """What the pool view draws: counts per colour group, thin groups, and the images shown."""

    group_counts: dict[str, dict[str, int]]
    thin: set[str]
    images: list[PoolImage]
    counts: dict[str, int]


def overview(pool: RatingPool, tiers: tuple[str, ...] | None, min_love: int) -> Overview:
    """Everything the pool view draws, in one read."""
    images = pool.images() if tiers is None else [im for t in tiers for im in pool.images(tier=t)]
    return Overview(pool.group_counts(), {t.group for t in pool.thin_colours(min_love)}, images, pool.counts())


def load_overview(reader: SerialWorker, pool: RatingPool, tiers: tuple[str, ...] | None, min_love: int,
                  on_done: Callable[[Overview], None]) -> None:
    """`overview`, read on the reader thread and delivered to `on_done`."""
    reader.submit(overview, pool, tiers, min_love, on_done=on_done)


def progress_text(counts: dict[str, int]) -> str:
    """"412 / 1,664 rated · 117 love · 266 okay · 29 nope"."""
    return (f"{counts['rated']:,} / {counts['images']:,} rated · {counts['love']:,} love · "
            f"{counts['okay']:,} okay · {counts['nope']:,} nope")


def _thread_progress(jobs: Jobs, job: Job):
    loop = asyncio.get_running_loop()

    def progress(done: int, total: int, name: str) -> None:
        # called from the worker thread: hand the update to the GUI loop
        loop.call_soon_threadsafe(jobs.progress, job, done / total if total else None)
    return progress


async def import_folder(pool: RatingPool, bus: ChangeBus, jobs: Jobs, folder: Path | str,
                        source: str = "hand") -> ImportReport:
    """Import a folder of renders as a background job; emits a `pool` change with the new ids."""
    async def work(job: Job) -> ImportReport:
        report = await run_in_thread(pool_io.import_folder, pool, folder, source=source,
                                     progress=_thread_progress(jobs, job), cancel=lambda: job.cancelled)
        _announce(bus, report, f"Imported from {Path(folder).name}")
        return report
    return await start_job(jobs, f"Importing {Path(folder).name}", work)


async def import_library(pool: RatingPool, bus: ChangeBus, jobs: Jobs) -> ImportReport:
    """Import the library's latest renders as a background job."""
    async def work(job: Job) -> ImportReport:
        report = await run_in_thread(pool_io.import_from_library, pool,
                                     progress=_thread_progress(jobs, job), cancel=lambda: job.cancelled)
        _announce(bus, report, "Imported library renders")
        return report
    return await start_job(jobs, "Importing library renders", work)


def _announce(bus: ChangeBus, report: ImportReport, what: str) -> None:
    bus.emit_change("pool", tuple(report.imported))
    extra = f"; skipped {', '.join(n for n, _ in report.corrupt[:3])}" if report.corrupt else ""
    bus.message.emit(f"{what}: {report.summary()}{extra}")


def least_sure_problem() -> str | None:
    """None when a learned reward model can order the queue "least sure first"; else why not (blocking:
    it looks for the model on disk, so call it on a worker)."""
    from core.reward.learned.active import why_not

    return why_not()
