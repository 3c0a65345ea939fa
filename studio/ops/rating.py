"""Rating ops: the Rate pane's only door into core.pool; no SQLite or image I/O on the GUI thread.

A rating's commit is one SQLite write (~1 ms), but a training process may hold the database's
write lock for seconds, and a key press must never wait for that. So `rate` and `undo` run on
core's serial writer (`run_in_writer`): the pane spawns one task per key press, the calls reach
SQLite in the order the keys were pressed, each committed on its own, and the pane updates at once
from what it already knows. Reads (the queue, counts, the pool overview, decoded pictures) run in
a thread (`run_in_thread`). Imports are slow and run in a worker thread as a cancellable job.
"""
from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

from core.pool import TIERS, PoolImage, RatingEvent, RatingPool
from core.pool import io as pool_io
from core.pool.colour import GROUP_SWATCH
from core.pool.io import ImportReport
from core.reward.learned.active import least_sure_first, why_not
from core.store import Store
from studio.bus import ChangeBus, Job, Jobs
from studio.ops import run_in_thread, run_in_writer, start_job

__all__ = ["GROUP_SWATCH", "make_pool", "rate", "undo", "load_queue", "load_counts", "load_overview", "load_image",
           "load_picture", "import_folder", "import_library", "progress_text", "least_sure_problem"]


def make_pool(store: Store) -> RatingPool:
    """The rating pool on the studio's store (same database file)."""
    return RatingPool(store)


async def rate(pool: RatingPool, bus: ChangeBus, image_id: int, tier: str, origin: str = "") -> RatingEvent:
    """Commit one rating on the serial writer (after every write queued before it); then the app hears a
    `ratings` change."""
    event = await run_in_writer(pool.store, pool.rate, image_id, tier)
    bus.emit_change("ratings", (image_id,), origin=origin, tier=tier)
    return event


def _undo(pool: RatingPool, n: int) -> tuple[list[RatingEvent], dict[int, PoolImage]]:
    events = pool.undo_last(n)
    return events, {e.image_id: pool.image(e.image_id) for e in events}


async def undo(pool: RatingPool, bus: ChangeBus, n: int = 1,
               origin: str = "") -> tuple[list[RatingEvent], dict[int, PoolImage]]:
    """A core undo of the last n ratings, on the serial writer (after every rating queued before it).

    Returns the undo events, newest first, and the undone images."""
    events, images = await run_in_writer(pool.store, _undo, pool, n)
    if events:
        bus.emit_change("ratings", tuple(e.image_id for e in events), origin=origin, undo=True)
    return events, images


async def load_queue(pool: RatingPool, **filters: object) -> list[PoolImage]:
    """The images the Rate pane walks through, in order (read in a thread): `show` is "unrated", "all" or a
    tier; `order` "random" (seeded), "prompt", "id" or "least_sure"."""
    return await run_in_thread(_queue, pool, **filters)


async def load_counts(pool: RatingPool) -> dict[str, int]:
    """pool.counts(), read in a thread."""
    return await run_in_thread(pool.counts)


async def load_image(pool: RatingPool, image_id: int) -> PoolImage:
    """One image's metadata, read in a thread."""
    return await run_in_thread(pool.image, image_id)


def _decode_scaled(path: str, size: QSize) -> QImage:
    """Decode an image file straight to `size` (JPEG decodes smaller natively; PNG scales smoothly).
    Blocking: QImageReader is reentrant, so load_picture runs it in a thread."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    if size.isValid():
        reader.setScaledSize(size)
    return reader.read()


async def load_picture(path: str, size: QSize) -> QImage:
    """A picture decoded at `size` in a thread (a null QImage when the file cannot be read)."""
    return await run_in_thread(_decode_scaled, path, size)


def _queue(pool: RatingPool, *, show: str = "unrated", colour_group: str | None = None,
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
        images = least_sure_first(images, seed=seed)
    return images


@dataclass(frozen=True)
class Overview:
    """What the pool view draws: counts per colour group, thin groups, and the images shown."""

    group_counts: dict[str, dict[str, int]]
    thin: set[str]
    images: list[PoolImage]
    counts: dict[str, int]


def _overview(pool: RatingPool, tiers: tuple[str, ...] | None, min_love: int) -> Overview:
    """Everything the pool view draws, in one read."""
    images = pool.images() if tiers is None else [im for t in tiers for im in pool.images(tier=t)]
    return Overview(pool.group_counts(), {t.group for t in pool.thin_colours(min_love)}, images, pool.counts())


async def load_overview(pool: RatingPool, tiers: tuple[str, ...] | None, min_love: int) -> Overview:
    """Everything the pool view draws, read in a thread."""
    return await run_in_thread(_overview, pool, tiers, min_love)


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


async def least_sure_problem() -> str | None:
    """None when a learned reward model can order the queue "least sure first"; else why not (it looks
    for the model on disk, in a thread)."""
    return await run_in_thread(why_not)
