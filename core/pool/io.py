"""Import images into the pool (folders, the library, parquet, HF datasets) and export it again.

A folder import takes PNG/JPEG files with optional sidecars next to them: `name.js` (the sketch
code), `name.txt` (the prompt) or `name.json` ({"prompt", "code", "tier", "source"}). Duplicates are
recognised by content hash; a corrupt image is reported and skipped while the rest go on.
Exports hold the current tier of each image (not the re-rate history) and round-trip exactly.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.pool.pool import TIERS, CorruptImageError, RatingPool

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
# progress(done, total, name); return value ignored. cancel() → True stops the import between files.
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
COLUMNS = ("image", "hash", "tier", "prompt", "colour_group", "code", "source", "sketch_id", "width", "height")


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    corrupt: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    cancelled: bool = False

    def summary(self) -> str:
        text = f"{len(self.imported)} imported, {len(self.duplicates)} duplicates, {len(self.corrupt)} corrupt"
        return text + (" (cancelled)" if self.cancelled else "")


def _sidecars(path: Path) -> dict:
    meta: dict = {}
    js, txt, jsn = path.with_suffix(".js"), path.with_suffix(".txt"), path.with_suffix(".json")
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
    return meta


def _add_one(pool: RatingPool, report: ImportReport, data: bytes, name: str, tier: str | None = None,
             **kw) -> None:
    try:
        result = pool.add_image(data, name=name, **kw)
    except CorruptImageError as e:
        report.corrupt.append((name, e.reason))
        return
    if result.duplicate:
        report.duplicates.append(name)
        return
    report.imported.append(result.image.id)
    if tier in TIERS:
        pool.rate(result.image.id, tier)


def import_folder(pool: RatingPool, folder: Path | str, *, source: str = "hand",
                  progress: Progress | None = None, cancel: Cancel | None = None) -> ImportReport:
    """Import every PNG/JPEG under `folder` (recursively, sorted by path)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    report = ImportReport()
    for i, path in enumerate(files):
        if cancel and cancel():
            report.cancelled = True
            break
        meta = _sidecars(path)
        _add_one(pool, report, path.read_bytes(), str(path.relative_to(folder)), tier=meta.get("tier"),
                 prompt=meta.get("prompt"), code=meta.get("code"), source=meta.get("source", source))
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
    report = ImportReport()
    for i, sketch in enumerate(sketches):
        if cancel and cancel():
            report.cancelled = True
            break
        render = store.latest_render(sketch.code)
        if render is not None and render.ok and render.png_path and render.png_path.exists():
            _add_one(pool, report, render.png_path.read_bytes(), f"sketch {sketch.id}", prompt=sketch.prompt,
                     code=sketch.code, sketch_id=sketch.id, source="library")
        if progress:
            progress(i + 1, len(sketches), f"sketch {sketch.id}")
    return report


def _rows(pool: RatingPool, tiers: tuple[str, ...] | None) -> list[dict]:
    rows = []
    for im in pool.images():
        if tiers is not None and im.tier not in tiers:
            continue
        rows.append({"image": im.path.read_bytes(), "hash": im.hash, "tier": im.tier, "prompt": im.prompt,
                     "colour_group": im.colour_group, "code": im.code, "source": im.source,
                     "sketch_id": im.sketch_id, "width": im.width, "height": im.height})
    return rows


def export_parquet(pool: RatingPool, out: Path | str, tiers: tuple[str, ...] | None = None) -> int:
    """Write the pool (image bytes + metadata, one row per image) to a parquet file; returns rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _rows(pool, tiers)
    schema = pa.schema([("image", pa.binary()), ("hash", pa.string()), ("tier", pa.string()),
                        ("prompt", pa.string()), ("colour_group", pa.string()), ("code", pa.string()),
                        ("source", pa.string()), ("sketch_id", pa.int64()), ("width", pa.int32()),
                        ("height", pa.int32())])
    table = pa.Table.from_pylist(rows, schema=schema)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, str(out))
    return len(rows)


def export_hf(pool: RatingPool, out: Path | str, tiers: tuple[str, ...] | None = None) -> int:
    """Write the pool as an HF `datasets` folder (save_to_disk), image as a datasets Image feature."""
    import datasets

    rows = _rows(pool, tiers)
    features = datasets.Features({
        "image": datasets.Image(), "hash": datasets.Value("string"), "tier": datasets.Value("string"),
        "prompt": datasets.Value("string"), "colour_group": datasets.Value("string"),
        "code": datasets.Value("string"), "source": datasets.Value("string"),
        "sketch_id": datasets.Value("int64"), "width": datasets.Value("int32"), "height": datasets.Value("int32"),
    })
    columns = {c: [r[c] for r in rows] for c in COLUMNS}
    columns["image"] = [{"bytes": r["image"], "path": None} for r in rows]
    datasets.Dataset.from_dict(columns, features=features).save_to_disk(str(out))
    return len(rows)


def _import_rows(pool: RatingPool, rows, total: int, progress: Progress | None) -> ImportReport:
    report = ImportReport()
    for i, row in enumerate(rows):
        name = row.get("hash") or f"row {i}"
        _add_one(pool, report, row["image"], name, tier=row.get("tier"), prompt=row.get("prompt"),
                 code=row.get("code"), source=row.get("source") or "hand", sketch_id=row.get("sketch_id"),
                 colour_group=row.get("colour_group"))
        if progress:
            progress(i + 1, total, name)
    return report


def import_parquet(pool: RatingPool, path: Path | str, *, progress: Progress | None = None) -> ImportReport:
    """Import a parquet file written by `export_parquet` (tiers and colour groups kept)."""
    import pyarrow.parquet as pq

    rows = pq.read_table(str(path)).to_pylist()
    return _import_rows(pool, rows, len(rows), progress)


def import_hf(pool: RatingPool, folder: Path | str, *, progress: Progress | None = None) -> ImportReport:
    """Import an HF datasets folder written by `export_hf`."""
    import datasets

    ds = datasets.load_from_disk(str(folder)).cast_column("image", datasets.Image(decode=False))
    rows = ({**row, "image": row["image"]["bytes"]} for row in ds)
    return _import_rows(pool, rows, len(ds), progress)


def is_hf_folder(path: Path) -> bool:
    return path.is_dir() and (path / "dataset_info.json").exists()
