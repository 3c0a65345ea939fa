"""Export the pool to parquet or an HF `datasets` folder, streaming: one small batch of images in memory.

Exports hold the current tier of each image (not the re-rate history) and round-trip exactly
through `core.pool.io`. A file is written beside the target and renamed into place when complete.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.atomic import AtomicWriteError, explain_os_error
from core.pool.pool import PoolError, RatingPool
from core.store import Store

# pyarrow and datasets are imported inside the exporters: they take a second or more, and only exports need them.
COLUMNS = ("image", "hash", "tier", "prompt", "colour_group", "code", "source", "sketch_id", "width", "height")
BATCH = 64  # images held in memory at once


def iter_rows(pool: RatingPool, tiers: tuple[str, ...] | None) -> Iterator[dict]:
    """One dict per image, its bytes read only when its turn comes."""
    for im in pool.images():
        if tiers is not None and im.tier not in tiers:
            continue
        try:
            data = im.path.read_bytes()
        except OSError as e:
            raise PoolError(f"Cannot read pool image {im.id} at {im.path}: {e.strerror}. "
                            "Restore the file or remove the image from the pool.") from e
        yield {"image": data, "hash": im.hash, "tier": im.tier, "prompt": im.prompt,
               "colour_group": im.colour_group, "code": im.code, "source": im.source,
               "sketch_id": im.sketch_id, "width": im.width, "height": im.height}


def _schema():
    import pyarrow as pa  # deferred: heavy (pyarrow)

    return pa.schema([("image", pa.binary()), ("hash", pa.string()), ("tier", pa.string()),
                      ("prompt", pa.string()), ("colour_group", pa.string()), ("code", pa.string()),
                      ("source", pa.string()), ("sketch_id", pa.int64()), ("width", pa.int32()),
                      ("height", pa.int32())])


def export_parquet(pool: RatingPool, out: Path | str, tiers: tuple[str, ...] | None = None) -> int:
    """Write the pool (image bytes + metadata, one row per image) to a parquet file; returns rows."""
    import pyarrow as pa  # deferred: heavy (pyarrow)
    import pyarrow.parquet as pq  # deferred: heavy (pyarrow)

    out = Path(out)
    schema, n, batch = _schema(), 0, []
    tmp = out.with_name(f".{out.name}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(str(tmp), schema) as writer:
            for row in iter_rows(pool, tiers):
                batch.append(row)
                if len(batch) == BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    n, batch = n + len(batch), []
            if batch or n == 0:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
        tmp.replace(out)
    except OSError as e:
        _remove(tmp)
        raise AtomicWriteError(out, explain_os_error(e), e.errno) from e
    except BaseException:
        _remove(tmp)
        raise
    return n


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the folder itself is unusable: there is no partial file to clean up


def export_hf(pool: RatingPool, out: Path | str, tiers: tuple[str, ...] | None = None) -> int:
    """Write the pool as an HF `datasets` folder (save_to_disk), image as a datasets Image feature."""
    import datasets  # deferred: heavy (datasets)

    features = datasets.Features({
        "image": datasets.Image(), "hash": datasets.Value("string"), "tier": datasets.Value("string"),
        "prompt": datasets.Value("string"), "colour_group": datasets.Value("string"),
        "code": datasets.Value("string"), "source": datasets.Value("string"),
        "sketch_id": datasets.Value("int64"), "width": datasets.Value("int32"), "height": datasets.Value("int32"),
    })

    out = Path(out)
    try:
        # The generator's arrow cache goes to a temporary folder, not the user's HF cache.
        with tempfile.TemporaryDirectory(prefix="brushwork-export-") as cache:
            if not any(tiers is None or im.tier in tiers for im in pool.images()):  # from_generator needs a row
                ds = datasets.Dataset.from_dict({c: [] for c in COLUMNS}, features=features)
                ds.save_to_disk(str(out))
                return 0
            # datasets fingerprints the generator and its arguments: it gets the database path, not the pool.
            ds = datasets.Dataset.from_generator(
                _hf_rows, gen_kwargs={"db_path": str(pool.store.path), "tiers": tiers}, features=features,
                cache_dir=cache, writer_batch_size=BATCH, keep_in_memory=False)
            ds.save_to_disk(str(out))
            n = len(ds)
            del ds
    except OSError as e:
        raise AtomicWriteError(out, explain_os_error(e), e.errno) from e
    return n


def _hf_rows(db_path: str, tiers: tuple[str, ...] | None) -> Iterator[dict]:
    store = Store(db_path)
    try:
        for row in iter_rows(RatingPool(store), tiers):
            yield {**row, "image": {"bytes": row["image"], "path": None}}
    finally:
        store.close()
