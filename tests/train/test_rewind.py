"""A resume's rewind: metrics, samples and events after the checkpoint go (a person's sketches stay);
an evaluation written in one transaction lands whole or not at all."""
from __future__ import annotations

import pytest

from core.train.run_writer import RunWriter, SampleRow
from tests.db_helpers import sql_rows


def _sample(step: int, checkpoint: str | None = None, split: str = "train") -> SampleRow:
    return SampleRow(step=step, prompt="p", completion="c", code="x", components={"a": 1.0}, total=1.0,
                     split=split, seed=0, checkpoint=checkpoint)


def test_rewind_drops_what_came_after_the_checkpoint(store, tmp_path):
    w = RunWriter(store, "r1")
    w.start("t", "grpo", {}, tmp_path)
    for step in (1, 2, 3, 4):
        w.metrics(step, {"reward": step / 10})
        w.samples([_sample(step)])
        w.event(step, "saturated", f"at {step}")
    w.event(None, "error", "no step: kept")
    opened = store.add_sketch("x", source="model", prompt="p", run_id="r1", step=4)  # a person opened a sample
    dropped = w.rewind(2)
    assert dropped == {"metrics": 2, "samples": 2, "events": 2}
    events = sql_rows(store, "SELECT step, kind FROM run_events WHERE run_id='r1' ORDER BY id")
    assert [e["step"] for e in events if e["kind"] == "saturated"] == [1, 2] and events[-1]["kind"] == "error"
    assert [r["step"] for r in sql_rows(store, "SELECT DISTINCT step FROM metrics WHERE run_id='r1'")] == [1, 2]
    assert store.get_sketch(opened).deleted_at is None


def test_writes_in_one_transaction_land_together_or_not_at_all(store, tmp_path):
    w = RunWriter(store, "r2")
    w.start("t", "grpo", {}, tmp_path)
    with pytest.raises(RuntimeError), store.transaction():
        w.metrics(2, {"heldout/reward": 0.5})
        w.samples([_sample(2, "checkpoint-2", "heldout")])
        w.event(2, "heldout", "done")
        raise RuntimeError("killed mid-evaluation")
    assert not w.heldout_done("checkpoint-2")
    assert sql_rows(store, "SELECT COUNT(*) AS n FROM metrics WHERE run_id='r2'")[0]["n"] == 0
    assert sql_rows(store, "SELECT COUNT(*) AS n FROM run_events WHERE run_id='r2' AND kind='heldout'")[0]["n"] == 0
    with store.transaction():
        w.metrics(2, {"heldout/reward": 0.5})
        w.samples([_sample(2, "checkpoint-2", "heldout")])
    assert w.heldout_done("checkpoint-2")
