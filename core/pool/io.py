"""Import images into the pool (folders, the library, parquet, HF datasets); exports are in export.py.

A folder import takes PNG/JPEG files with optional sidecars next to them: `name.js` (the sketch
code), `name.txt` (the prompt) or `name.json` ({"prompt", "code", "tier", "source"}). Duplicates are
recognised by content hash. A file that cannot be used (corrupt, unreadable, a sidecar naming an
unknown source) is skipped with its reason in the report while the rest go on.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from core.import_report import ImportReport
from core.pool.export import COLUMNS, export_hf, export_parquet
from core.pool.pool import SOURCES, TIERS, CorruptImageError, RatingPool

__all__ = ["COLUMNS", "ImportReport", "export_hf", "export_parquet", "import_folder", "import_from_library",
           "import_hf", "import_parquet", "is_hf_folder"]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
# progress(done, total, name); return value ignored. cancel() → True stops the import between files.
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


def pool_report() -> ImportReport:
    """An empty report that counts images in the pool."""
    return ImportReport(noun="image", where="the pool")


def _sidecars(path: Path) -> dict:
    meta: dict = {}
    js, txt, jsn = path.with_suffix(".js"), path.with_suffix(".txt"), path.with_suffix(".json")
    try:
        if jsn.exists():
            try:
                loaded = json.loads(jsn.read_text(encoding="utf-8"))
                meta.update(loaded if isinstance(loaded, dict) else {})
            except (json.JSONDecodeError, UnicodeDecodeError):
                pass  # a broken sidecar costs its metadata, not the image
        if txt.exists() and "prompt" not in meta:
            meta["prompt"] = txt.read_text(encoding="utf-8", errors="replace").strip()
        if js.exists() and "code" not in meta:
            meta["code"] = js.read_text(encoding="utf-8", errors="replace")
    except OSError:
        pass  # an unreadable sidecar costs its metadata, not the image
    return meta


def _add_one(pool: RatingPool, report: ImportReport, data: bytes, name: str, tier: str | None = None,
             source: str = "hand", **kw) -> None:
    if source not in SOURCES:
        report.skip(name, f"its source {source!r} is not one of {', '.join(SOURCES)}; fix the sidecar or the row")
        return
    try:
        result = pool.add_image(data, name=name, source=source, **kw)
    except CorruptImageError as e:
        report.skip(name, e.reason)
        return
    if result.duplicate:
        report.duplicates.append((Path(name), result.image.id))
        return
    report.added.append(result.image.id)
    if tier in TIERS:
        pool.rate(result.image.id, tier)


def import_folder(pool: RatingPool, folder: Path | str, *, source: str = "hand",
                  progress: Progress | None = None, cancel: Cancel | None = None) -> ImportReport:
    """Import every PNG/JPEG under `folder` (recursively, sorted by path)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    report = pool_report()
    for i, path in enumerate(files):
        if cancel and cancel():
            report.cancelled = True
            break
        name = str(path.relative_to(folder))
        meta = _sidecars(path)
        try:
            data = path.read_bytes()
        except OSError as e:
            report.skip(name, f"cannot be read: {e.strerror}")
        else:
            _add_one(pool, report, data, name, tier=meta.get("tier"), prompt=meta.get("prompt"),
                     code=meta.get("code"), source=meta.get("source", source))
        if progress:
            progress(i + 1, len(files), path.name)
    return report


def import_from_library(pool: RatingPool, *, progress: Progress | None = None,
                        cancel: Cancel | None = None) -> ImportReport:
    """Import the latest successful render of every live sketch in the library (source "library")."""
    store = pool.store
    sketches, offset = [], 0
    while batch := store.list_sketches(limit=500, offset=offset):
        sketches += batch
        offset += len(batch)
    report = pool_report()
    for i, sketch in enumerate(sketches):
        if cancel and cancel():
            report.cancelled = True
            break
        render = store.latest_good_render(sketch.code)
        if render is not None and render.png_path is not None:
            _add_one(pool, report, render.png_path.read_bytes(), f"sketch {sketch.id}", prompt=sketch.prompt,
                     code=sketch.code, sketch_id=sketch.id, source="library")
        if progress:
            progress(i + 1, len(sketches), f"sketch {sketch.id}")
    return report


def _import_rows(pool: RatingPool, rows: Iterable[dict], total: int, progress: Progress | None) -> ImportReport:
    report = pool_report()
    for i, row in enumerate(rows):
        name = row.get("hash") or f"row {i}"
        _add_one(pool, report, row["image"], name, tier=row.get("tier"), prompt=row.get("prompt"),
                 code=row.get("code"), source=row.get("source") or "hand", sketch_id=row.get("sketch_id"),
                 colour_group=row.get("colour_group"))
        if progress:
            progress(i + 1, total, name)
    return report


def import_parquet(pool: RatingPool, path: Path | str, *, progress: Progress | None = None) -> ImportReport:
    """Import a parquet file written by `export_parquet` (tiers and colour groups kept), batch by batch."""
    import pyarrow.parquet as pq  # deferred: heavy (pyarrow)

    source = pq.ParquetFile(str(path))
    rows = (row for batch in source.iter_batches(batch_size=64) for row in batch.to_pylist())
    return _import_rows(pool, rows, source.metadata.num_rows, progress)


def import_hf(pool: RatingPool, folder: Path | str, *, progress: Progress | None = None) -> ImportReport:
    """Import an HF datasets folder written by `export_hf`."""
    import datasets  # deferred: heavy (datasets)

    ds = datasets.load_from_disk(str(folder)).cast_column("image", datasets.Image(decode=False))
    rows = ({**row, "image": row["image"]["bytes"]} for row in ds)
    return _import_rows(pool, rows, len(ds), progress)


def is_hf_folder(path: Path) -> bool:
    return path.is_dir() and (path / "dataset_info.json").exists()
