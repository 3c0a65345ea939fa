"""Folder import (sidecars, dedupe, corrupt files), library import, parquet and HF round trips."""
from __future__ import annotations

import pyarrow.parquet as pq
from pool_helpers import add

from core.pool import RatingPool
from core.pool import io as pool_io
from core.store import Store
from tests.db_helpers import sql_write


def test_import_folder_dedupes_reads_sidecars_and_skips_corrupt(pool, painting_folder):
    seen = []
    report = pool_io.import_folder(pool, painting_folder, progress=lambda d, t, n: seen.append((d, t)))
    assert len(report.imported) == 6
    assert len(report.duplicates) == 1
    assert [name for name, _ in report.corrupt] == ["broken.png"]
    assert seen[-1] == (8, 8)
    by_prompt = {im.prompt: im for im in pool.images()}
    assert by_prompt["draw a peach hibiscus"].colour_group == "peach"
    iris = by_prompt["a blue iris"]
    assert iris.code.startswith("function setup()")
    assert iris.tier == "love"  # a tier in the JSON sidecar is applied on import
    assert iris.path.exists() and iris.path.parent.parent.name == "pool"
    assert iris.thumb_path.exists()
    assert {im.colour_group for im in pool.images()} == {"peach", "blue", "pink", "red", "yellow", "purple"}
    again = pool_io.import_folder(pool, painting_folder)
    assert (len(again.imported), len(again.duplicates), len(again.corrupt)) == (0, 7, 1)


def test_import_from_library_uses_latest_renders(pool, store):
    from tests.synthetic_paintings import synthetic_painting

    code = "function setup() { createCanvas(64, 64, WEBGL); }"
    sid = store.add_sketch(code, source="human", prompt="a pink peony")
    store.save_render(code, 1, 64, 64, png=synthetic_painting("#ec7fb0", size=64), ms=10)
    store.add_sketch("broken(", source="model", prompt="nothing rendered")
    report = pool_io.import_from_library(pool)
    assert len(report.imported) == 1
    im = pool.image(report.imported[0])
    assert (im.sketch_id, im.source, im.prompt, im.code, im.colour_group) == (sid, "library", "a pink peony", code, "pink")
    assert len(pool_io.import_from_library(pool).duplicates) == 1


def _snapshot(pool: RatingPool) -> list[tuple]:
    return sorted((im.hash, im.tier, im.prompt, im.colour_group, im.code, im.source, im.width, im.height,
                   im.path.read_bytes()) for im in pool.images())


def _fill(pool: RatingPool) -> None:
    for i, (g, tier) in enumerate([("peach", "love"), ("blue", "okay"), ("pink", None), ("red", "nope")]):
        im = add(pool, g, seed=i, prompt=f"a {g} thing")
        if tier:
            pool.rate(im.id, tier)
    sql_write(pool.store, "UPDATE pool_images SET code = 'brush.fill(1)' WHERE id = 1")


def test_parquet_round_trip(pool, tmp_path, monkeypatch):
    _fill(pool)
    before = _snapshot(pool)
    out = tmp_path / "pool.parquet"
    assert pool_io.export_parquet(pool, out) == 4
    table = pq.read_table(out)
    assert set(pool_io.COLUMNS) <= set(table.column_names)
    monkeypatch.setenv("BRUSHWORK_HOME", str(tmp_path / "other"))
    fresh = RatingPool(Store())
    report = pool_io.import_parquet(fresh, out)
    assert len(report.imported) == 4
    assert _snapshot(fresh) == before
    assert pool_io.export_parquet(fresh, tmp_path / "loved.parquet", tiers=("love",)) == 1


def test_hf_datasets_round_trip(pool, tmp_path, monkeypatch):
    import datasets

    _fill(pool)
    before = _snapshot(pool)
    out = tmp_path / "hf"
    assert pool_io.export_hf(pool, out) == 4
    assert pool_io.is_hf_folder(out)
    ds = datasets.load_from_disk(str(out))
    assert isinstance(ds.features["image"], datasets.Image)
    assert ds[0]["image"].size == (96, 96)  # a real decodable image feature
    monkeypatch.setenv("BRUSHWORK_HOME", str(tmp_path / "other"))
    fresh = RatingPool(Store())
    pool_io.import_hf(fresh, out)
    assert _snapshot(fresh) == before


def test_exports_stream_a_batch_at_a_time(pool, tmp_path, monkeypatch):
    """At most BATCH images are in memory: each batch is written as its own parquet row group."""
    from core.pool import export

    for i in range(10):
        add(pool, ["peach", "blue"][i % 2], seed=i)
    monkeypatch.setattr(export, "BATCH", 4)
    out = tmp_path / "pool.parquet"
    assert pool_io.export_parquet(pool, out) == 10
    assert pq.ParquetFile(out).metadata.num_row_groups == 3  # 4 + 4 + 2
    assert not list(tmp_path.glob(".*.part"))  # the partial file was renamed into place
    fresh = RatingPool(Store(tmp_path / "other" / "brushwork.db"))
    assert len(pool_io.import_parquet(fresh, out).imported) == 10
