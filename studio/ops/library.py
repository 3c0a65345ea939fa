"""Library operations for the GUI: list, import, first-start starters, delete/restore, thumbnails, export.

Blocking core work runs in a thread; renders await the async renderer. Each write broadcasts what
changed on the bus so every pane refreshes itself.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.import_report import ImportReport, SkippedFile
from core.library.entries import LibraryEntry, list_entries
from core.library.exporting import FORMATS, ExportError, export_js, find_png, write_atomic
from core.library.importing import CODE_SUFFIXES, RAW_SUFFIXES, import_js, import_starters
from core.render.standalone import standalone_html
from core.render.types import is_cacheable
from core.store import Store
from studio.bus import ChangeBus, Job, Jobs
from studio.ops import run_in_thread, run_in_writer
from studio.ops.render import render_sketch

THUMB_SEED = 1  # the seed the editor's thumbnails use too (studio/ops/render.thumbnail_png)
THUMB_SIZE = 512
THUMB_TIMEOUT_S = 30.0  # background work: a busy machine should not turn a slow painting into an error


@dataclass(frozen=True)
class Thumbnail:
    """Where a sketch's picture is now, or why there is none."""

    png_path: Path | None
    error: str | None = None


@dataclass(frozen=True)
class VersionStack:
    """The versions of one sketch that match the filters: the newest shows on one card."""

    entry: LibraryEntry  # the newest version
    ids: tuple[int, ...]  # every version in the stack, newest first

    @property
    def versions(self) -> int:
        return len(self.ids)


def stack_versions(entries: list[LibraryEntry], parents: dict[int, int | None]) -> list[VersionStack]:
    """Group entries (newest first) by the root of their lineage; stacks keep the newest-first order."""
    def root(sketch_id: int) -> int:
        seen = set()
        while parents.get(sketch_id) is not None and sketch_id not in seen:
            seen.add(sketch_id)
            sketch_id = parents[sketch_id]  # type: ignore[assignment]
        return sketch_id

    groups: dict[int, list[LibraryEntry]] = {}
    for entry in entries:
        groups.setdefault(root(entry.sketch.id), []).append(entry)
    return [VersionStack(group[0], tuple(e.sketch.id for e in group)) for group in groups.values()]


def _stacks(store: Store, **filters: Any) -> list[VersionStack]:
    entries = list_entries(store, **filters)
    return stack_versions(entries, store.sketch_parents())


async def load_entries(
    store: Store, *, source: str | None = None, text: str | None = None, has_error: bool | None = None
) -> list[LibraryEntry]:
    """Sketches for the grid, newest first, with their latest render; filters as in core.library.entries."""
    return await run_in_thread(list_entries, store, source=source, text=text or None, has_error=has_error)


async def load_stacks(
    store: Store, *, source: str | None = None, text: str | None = None, has_error: bool | None = None
) -> list[VersionStack]:
    """Like load_entries, with the versions of one sketch stacked (newest first)."""
    return await run_in_thread(_stacks, store, source=source, text=text or None, has_error=has_error)


async def import_paths(
    store: Store, bus: ChangeBus | None, paths: Iterable[Path], *, jobs: Jobs | None = None, job: Job | None = None
) -> ImportReport:
    """Import files/folders (bad files are reported, not fatal); progress goes to `job`."""
    def progress(done: int, total: int) -> None:
        if jobs is not None and job is not None:
            # called from the worker thread: Qt queues the signal onto the GUI thread
            jobs.progress(job, done / total if total else None)

    def work(paths: list[Path]) -> ImportReport:
        # A file named explicitly (dropped, picked) must be a sketch or model output: a .csv or a picture
        # is reported as skipped with the reason, not read as code into a card that does not render.
        refused = [p for p in paths if not p.is_dir() and p.suffix.lower() not in CODE_SUFFIXES + RAW_SUFFIXES]
        report = import_js([p for p in paths if p not in refused], store, progress=progress,
                           cancelled=lambda: bool(job and job.cancelled))
        for p in refused:
            kind = f"a {p.suffix} file" if p.suffix else "a file without an extension"
            report.skipped.append(SkippedFile(p, f"{kind} is not a sketch: import .js sketches or model output "
                                                 "(.txt, .md)"))
        return report

    report = await run_in_thread(work, [Path(p) for p in paths])
    if bus is not None and (report.added or report.duplicates):
        bus.emit_change("sketches", tuple(report.added) + tuple(i for _, i in report.duplicates))
    return report


async def ensure_starters(store: Store, bus: ChangeBus | None) -> ImportReport | None:
    """On a library that has never held a sketch, import the bundled starters; else do nothing."""
    if await run_in_thread(store.has_sketches):
        return None
    report = await run_in_thread(import_starters, store)
    if bus is not None and report.added:
        bus.emit_change("sketches", tuple(report.added))
    return report


async def delete_sketches(store: Store, bus: ChangeBus | None, ids: list[int]) -> None:
    """Soft-delete sketches (restore_sketches undoes it)."""
    await _set_deleted(store, bus, ids, True)


async def restore_sketches(store: Store, bus: ChangeBus | None, ids: list[int]) -> None:
    """Bring soft-deleted sketches back."""
    await _set_deleted(store, bus, ids, False)


async def _set_deleted(store: Store, bus: ChangeBus | None, ids: list[int], deleted: bool) -> None:
    change = store.delete_sketch if deleted else store.restore_sketch

    def work() -> None:
        for sketch_id in ids:
            change(sketch_id)

    await run_in_writer(store, work)  # in order: a delete and the undo right after it never swap
    if bus is not None:
        bus.emit_change("sketches", tuple(ids), deleted=deleted)


async def _render_and_keep(store: Store, renderer: Any, code: str, seed: int, size: int) -> Any:
    """Render now and make sure the store remembers the result (good or bad) for the grid."""
    result = await render_sketch(renderer, code, seed=seed, size=size, timeout=THUMB_TIMEOUT_S)
    # A renderer with a store caches by itself (and knows which failures not to keep: timeouts are
    # the machine's fault); one without a store caches nothing, so keep good renders and code errors.
    if getattr(renderer, "store", None) is None and is_cacheable(result):
        known = await run_in_thread(store.find_render, code, seed, result.width, result.height)
        if known is None:
            await run_in_thread(
                store.save_render, code, seed, result.width, result.height, png=result.png if result.ok else None,
                ms=result.ms, error=result.error.to_dict() if result.error else None, console=result.console,
            )
    return result


async def render_thumbnail(store: Store, renderer: Any, code: str) -> Thumbnail:
    """Render a sketch that has no picture yet and store it; returns its PNG path or the error."""
    result = await _render_and_keep(store, renderer, code, THUMB_SEED, THUMB_SIZE)
    if not result.ok:
        err = result.error
        return Thumbnail(None, f"{err.kind}: {err.message}" if err else "no image")
    rec = await run_in_thread(store.find_render, code, THUMB_SEED, result.width, result.height)
    return Thumbnail(rec.png_path if rec is not None else None, None if rec is not None else "not stored")


async def export_sketch(
    store: Store, renderer: Any, sketch_id: int | None, code: str, path: Path, fmt: str, seed: int, size: int
) -> Path:
    """Write the sketch as .js, .png (cached render or rendered now) or standalone .html; returns the path.

    Raises ExportError with a sentence for the user (disk full, permission, sketch does not render).
    `sketch_id` is informational (the editor may export unsaved code); `code` is what is written.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    path = Path(path)
    if fmt == "js":
        return await run_in_thread(export_js, code, path)
    if fmt == "html":
        def page() -> Path:  # titled after the sketch (its title, else its prompt, else the file name)
            sketch = store.get_sketch(sketch_id) if sketch_id else None
            title = (sketch.title or sketch.prompt) if sketch is not None else None
            return write_atomic(path, standalone_html(code, seed, size, title=title or path.stem).encode("utf-8"))
        return await run_in_thread(page)
    # The render for this seed and size; else render it now; else (no renderer) the latest picture.
    png = await run_in_thread(find_png, store, code, seed=seed, size=size, any_seed=renderer is None)
    if png is None:
        if renderer is None:
            raise ExportError(path, "this sketch has no picture yet and the renderer is not running.")
        result = await _render_and_keep(store, renderer, code, seed, size)
        if not result.ok:
            err = result.error
            raise ExportError(path, f"the sketch does not render ({err.kind}: {err.message})." if err else
                              "the sketch does not render.")
        png = result.png
    return await run_in_thread(write_atomic, path, png)
