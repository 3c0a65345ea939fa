"""RunWriter on a real SQLite store: narrow metric rows, rewind on resume, samples, events."""
from __future__ import annotations

from pathlib import Path

from core.train.run_writer import RunWriter, SampleRow
from tests.db_helpers import sql_rows


def test_metrics_are_one_row_per_step_and_key(store, tmp_path: Path):
    w = RunWriter(store, "run-a")
    w.start("a", "grpo", {"steps": 3}, tmp_path)
    for step in (1, 2, 3):
        w.metrics(step, {"reward": step / 10, "kl": float("nan"), "note": "text is dropped"})
    w.metrics(2, {"reward": 0.25})  # a replayed step replaces, never duplicates
    rows = sql_rows(store, "SELECT step, key, value FROM metrics WHERE run_id='run-a' ORDER BY step, key")
    assert [(r["step"], r["key"]) for r in rows] == [(1, "kl"), (1, "reward"), (2, "kl"), (2, "reward"), (3, "kl"), (3, "reward")]
    assert rows[0]["value"] is None and rows[3]["value"] == 0.25


def test_rewind_drops_rows_after_the_checkpoint(store, tmp_path: Path):
    w = RunWriter(store, "run-b")
    w.start("b", "grpo", {}, tmp_path)
    for step in range(1, 6):
        w.metrics(step, {"reward": 1.0})
        w.samples([SampleRow(step=step, prompt="p", completion="c", code="c", components={"x": None}, total=None)])
    w.samples([SampleRow(step=5, prompt="p", completion="c", code="c", components={}, total=0.5, split="heldout",
                         checkpoint="checkpoint-5")])
    assert w.heldout_done("checkpoint-5")
    assert w.rewind(3) == {"metrics": 2, "samples": 3, "events": 0}
    assert [r["step"] for r in sql_rows(store, "SELECT DISTINCT step FROM metrics WHERE run_id='run-b'")] == [1, 2, 3]
    assert not w.heldout_done("checkpoint-5")  # evaluated on the dead trajectory: done again after resume
    comps = sql_rows(store, "SELECT components FROM samples WHERE run_id='run-b' AND step=1")[0]["components"]
    assert comps == '{"x": null}'


def test_status_and_events(store, tmp_path: Path):
    w = RunWriter(store, "run-c")
    w.start("c", "grpo", {}, tmp_path)
    w.event(4, "collapse", "possible mode collapse", {"fallen": ["entropy"]})
    w.status("stopped")
    run = sql_rows(store, "SELECT status, ended_at, pid FROM runs WHERE id='run-c'")[0]
    assert run["status"] == "stopped" and run["ended_at"] and run["pid"]
    kinds = [r["kind"] for r in sql_rows(store, "SELECT kind FROM run_events WHERE run_id='run-c' ORDER BY id")]
    assert kinds == ["phase:loading", "collapse"]


def test_phases_a_reader_can_follow(store, tmp_path: Path):
    """start() says the run is loading; an evaluation not yet stored says held-out, at its checkpoint's step."""
    w = RunWriter(store, "run-p")
    w.start("p", "grpo", {}, tmp_path)
    assert not w.heldout_done("sft")
    assert not w.heldout_done("checkpoint-12")
    w.samples([SampleRow(step=12, prompt="p", completion="c", code="c", components={}, total=0.5, split="heldout",
                         checkpoint="checkpoint-12")])
    assert w.heldout_done("checkpoint-12")  # already stored: skipped, so no phase
    rows = sql_rows(store, "SELECT step, kind, message FROM run_events WHERE run_id='run-p' ORDER BY id")
    assert [(r["step"], r["kind"]) for r in rows] == [(None, "phase:loading"), (0, "phase:heldout"),
                                                      (12, "phase:heldout")]
    assert rows[2]["message"] == "held-out evaluation of checkpoint-12"


def test_a_sample_reads_back_as_the_row_that_was_written(store, tmp_path: Path):
    """One SampleRow: the writer's row and the reader's are the same class; only the id is added on reading."""
    import dataclasses

    from core.train import tail

    w = RunWriter(store, "run-s")
    w.start("s", "grpo", {}, tmp_path)
    row = SampleRow(step=7, prompt="a red boat", completion="out", code="brush.line(0, 0, 1, 1);",
                    components={"structure": 1.0, "judge": None}, total=0.75, png_hash="ab" * 32, split="heldout",
                    seed=11, checkpoint="checkpoint-7")
    w.samples([row])
    [back] = tail.samples(store, "run-s")
    assert isinstance(back, SampleRow) and back.id is not None
    assert dataclasses.replace(back, id=None) == row
