"""run_progress: the words the Training pane shows for a run, from a real writer's rows."""
from __future__ import annotations

from pathlib import Path

from core.train.progress import duration, run_progress, seconds_per_step
from core.train.run_writer import RunWriter
from core.train.runs import find_run
from core.train.tail import run_events


def _progress(store, run_id: str, **kw):
    return run_progress(find_run(store, run_id), run_events(store, run_id), **kw)


def test_phases_from_loading_to_finished(store, tmp_path: Path):
    w = RunWriter(store, "r1")
    w.start("tiny-cpu", "grpo", {"steps": 40}, tmp_path)
    p = _progress(store, "r1")
    assert p.phase == "loading" and p.text.startswith("Loading the model")
    assert not w.heldout_done("sft")
    assert _progress(store, "r1").text.startswith("held-out evaluation of sft")
    w.metrics(0, {"heldout/reward": 0.4})
    w.event(0, "heldout", "held-out sft: reward 0.400")
    p = _progress(store, "r1")
    assert (p.phase, p.step, p.total) == ("training", 0, 40) and "step 1 of 40: generating" in p.text
    for step in (1, 2, 3):
        w.metrics(step, {"reward": 0.5, "step_time": 20.0})
    p = _progress(store, "r1", step_s=20.0)
    assert p.text == "step 4 of 40 · 20 s a step · about 12 min left" and p.eta_s == 37 * 20.0
    assert p.fraction == 3 / 40
    stopping = _progress(store, "r1", step_s=20.0, stop_asked=True)
    assert stopping.phase == "stopping" and "after step 4 of 40" in stopping.text
    assert not w.heldout_done("checkpoint-3")
    assert _progress(store, "r1", stop_asked=True).text.startswith("stopping: held-out evaluation of checkpoint-3")
    w.event(3, "stopped", "stopped at step 3 after 60 s")
    w.status("stopped")
    p = _progress(store, "r1")
    assert (p.phase, p.text) == ("stopped", "stopped at step 3 of 40")


def test_a_failed_run_says_why_and_a_resumed_one_trains(store, tmp_path: Path):
    w = RunWriter(store, "r2")
    w.start("tiny-cpu", "grpo", {"steps": 10}, tmp_path)
    w.status("failed", "RunError: No model at /x/models/tiny-sft")
    p = _progress(store, "r2")
    assert p.phase == "failed" and p.text == "failed at step 0 of 10: RunError: No model at /x/models/tiny-sft"
    w.start("tiny-cpu", "grpo", {"steps": 10}, tmp_path)  # resume: loading again, then the resumed landmark
    assert _progress(store, "r2").phase == "loading"
    w.event(0, "resumed", "no checkpoint yet: starting again from step 0")
    assert _progress(store, "r2").phase == "training"


def test_duration_and_seconds_per_step():
    assert [duration(s) for s in (0.2, 45, 89, 600, 5400, 7260)] == ["1 s", "45 s", "89 s", "10 min", "1 h 30 min",
                                                                     "2 h 01 min"]
    assert seconds_per_step([100.0, float("nan"), 10, 12, 11, 0, 13, 9]) == 11
    assert seconds_per_step([]) is None
