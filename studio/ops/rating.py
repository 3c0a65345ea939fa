"""Rating ops: the Rate pane's only door into core.pool.

A rating's commit is one SQLite INSERT (~1 ms, measured in benchmarks/rating_bench.py), under the
5 ms budget for a direct call, so `rate` and `undo` run on the GUI thread and are committed before
they return: the next key press can never overtake an unsaved rating. Imports are slow and run in
a worker thread as a cancellable job.
"""
from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from pathlib import Path

from core.pool import TIERS, PoolImage, RatingEvent, RatingPool
from core.pool import io as pool_io
from core.pool.io import ImportReport
from studio.bus import ChangeBus, Job, Jobs
from studio.ops import run_in_thread, start_job


def rate(pool: RatingPool, bus: ChangeBus, image_id: int, tier: str, origin: str = "") -> RatingEvent:
    """Commit one rating and tell the app (`ratings` change)."""
    event = pool.rate(image_id, tier)
    bus.emit_change("ratings", (image_id,), origin=origin, tier=tier)
    return event


def undo(pool: RatingPool, bus: ChangeBus, n: int = 1, origin: str = "") -> list[RatingEvent]:
    """Undo the last n ratings (core undo); returns the undo events, newest first."""
    events = pool.undo_last(n)
    if events:
        bus.emit_change("ratings", tuple(e.image_id for e in events), origin=origin, undo=True)
    return events



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
    return images


def image(pool: RatingPool, image_id: int) -> PoolImage:
    return pool.image(image_id)


def tier_of(pool: RatingPool, image_id: int) -> str | None:
    return pool.tier(image_id)


def counts(pool: RatingPool) -> dict[str, int]:
    return pool.counts()


@dataclass(frozen=True)
class Overview:
    """What the pool view draws: counts per colour group, thin groups, and the images shown."""

    group_counts: dict[str, dict[str, int]]
    thin: set[str]
    images: list[PoolImage]
    counts: dict[str, int]


def overview(pool: RatingPool, tiers: tuple[str, ...] | None, min_love: int) -> Overview:
    images = pool.images() if tiers is None else [im for t in tiers for im in pool.images(tier=t)]
    return Overview(pool.group_counts(), {t.group for t in pool.thin_colours(min_love)}, images, pool.counts())


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
