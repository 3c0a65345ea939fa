"""The store's named reads that replaced SQL in other rooms: the latest good render, render files,
sketches by code, the library listing, and the training tables' reads and writes."""
from __future__ import annotations

import json
import os

from core.store import runs

CODE = "function setup(){ createCanvas(64, 64, WEBGL); brush.line(0, 0, 10, 10); }"


def test_latest_good_render_skips_failures_and_vanished_files(store):
    assert store.latest_good_render(CODE) is None
    old = store.save_render(CODE, 1, 64, 64, png=b"old png", ms=1.0)
    new = store.save_render(CODE, 2, 64, 64, png=b"new png", ms=1.0)
    store.save_render(CODE, 3, 64, 64, png=None, ms=1.0, error={"kind": "timeout", "message": "slow"})
    store.save_render(CODE, 4, 64, 64, png=b"blank png", ms=1.0, error={"kind": "blank", "message": "empty"})
    assert store.latest_good_render(CODE).png_path == new.png_path        # newer failures do not hide it
    new.png_path.unlink()
    assert store.latest_good_render(CODE).png_path == old.png_path        # a deleted file falls back
    assert store.latest_good_render(CODE + " ") is None                   # exactly this code


def test_render_files_are_named_in_one_place(store):
    rec = store.save_render(CODE, 0, 64, 64, png=b"some png", ms=1.0)
    digest = rec.png_path.stem
    assert store.render_file(digest) == rec.png_path and rec.png_path.is_relative_to(store.files)
    assert store.stored_png(digest) == rec.png_path
    assert store.stored_png("0" * 64) is None and store.stored_png(None) is None
    assert store.render_file("0" * 64).parent.parent == store.files


def test_find_sketch_prefers_a_live_one_and_filters_by_source(store):
    gone = store.add_sketch(CODE, source="import")
    store.delete_sketch(gone)
    assert store.find_sketch(CODE).id == gone                          # deleted ones are found too
    assert store.find_sketch(CODE, include_deleted=False) is None
    live = store.add_sketch(CODE, source="starter")
    assert store.find_sketch(CODE).id == live                          # the live one first
    assert store.find_sketch(CODE, source="import").id == gone
    assert store.find_sketch(CODE, source="human") is None
    assert store.has_sketches() and store.newest_sketch_id() == live
    child = store.add_sketch(CODE + "// v2", source="human", parent_id=live)
    assert store.sketch_parents() == {gone: None, live: None, child: live}


def test_library_rows_show_the_latest_good_picture_and_the_latest_error(store):
    assert not store.has_sketches() and store.newest_sketch_id() == 0 and store.library_rows() == []
    sid = store.add_sketch(CODE, source="human", title="Line")
    good = store.save_render(CODE, 0, 64, 64, png=b"png", ms=1.0)
    (row,) = store.library_rows()
    assert (row.sketch.id, row.png_path, row.error) == (sid, good.png_path, None)
    store.save_render(CODE, 1, 64, 64, png=None, ms=1.0, error={"kind": "runtime", "message": "boom"})
    (row,) = store.library_rows(text="line")
    assert (row.png_path, row.error) == (good.png_path, "runtime: boom")
    assert store.library_rows(source="model") == [] and store.library_rows(text="nothing like it") == []


def test_run_tables_round_trip_through_named_writes(store):
    runs.start_run(store, "r1", name="tiny", kind="grpo", config={"lr": 1e-4}, run_dir="/tmp/r1", pid=os.getpid())
    store.add_metric_steps("r1", {1: {"reward": 0.5}, 2: {"reward": 0.7, "kl": None}})
    runs.add_samples(store, "r1", [
        {"step": 1, "prompt": "a red poppy", "code": "//a", "components": {"gate": 1.0}, "total": 0.5},
        {"step": 2, "prompt": "a blue iris", "code": "//b", "total": None, "split": "heldout",
         "checkpoint": "checkpoint-2", "seed": 3, "png_hash": "ab" * 32}])
    runs.add_event(store, "r1", 2, "collapse", "fell", {"why": "entropy"})
    (row,) = runs.run_rows(store)
    assert (row["status"], row["last_step"], json.loads(row["config"])) == ("running", 2, {"lr": 1e-4})
    assert runs.metric_rows(store, "r1") == [(1, "reward", 0.5), (2, "kl", None), (2, "reward", 0.7)]
    assert [r["step"] for r in runs.sample_rows(store, "r1", order="reward")] == [1, 2]   # no total last
    assert [r["prompt"] for r in runs.sample_rows(store, "r1", prompt="iris")] == ["a blue iris"]
    assert [r["step"] for r in runs.sample_rows(store, "r1", step_min=2, limit=5)] == [2]
    assert runs.heldout_done(store, "r1", "checkpoint-2") and not runs.heldout_done(store, "r1", "checkpoint-1")
    assert runs.heldout_seed(store, "r1") == 3
    assert [r["prompt"] for r in runs.heldout_sample_rows(store, "r1", "checkpoint-2", seed=3)] == ["a blue iris"]
    assert runs.heldout_sample_rows(store, "r1", "checkpoint-2", seed=4) == []
    assert [(r["kind"], json.loads(r["data"])) for r in runs.event_rows(store, "r1", ["collapse"])] == [
        ("collapse", {"why": "entropy"})]
    assert runs.rewind_run(store, "r1", 1) == {"metrics": 2, "samples": 1, "events": 1}
    assert runs.event_rows(store, "r1", ["collapse"]) == []   # logged at step 2: that trajectory died
    runs.set_run_status(store, "r1", "stopped", "asked to stop")
    (row,) = runs.run_rows(store)
    assert (row["status"], row["error"], row["last_step"]) == ("stopped", "asked to stop", 1) and row["ended_at"]
