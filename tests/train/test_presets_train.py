"""Two GRPO steps on every shipped rubric preset with the tiny model, judged by a stand-in
OpenAI-compatible (and Gemini) server on 127.0.0.1 against a real rating pool and a trained reward model.

A model that paints (tests/train/painting_model.py) makes the rollouts render, so the judges really
judge. Each run checks what the issue asked: it starts (the preflight passes), every rendered rollout of
a pairwise preset is judged against pool references, no outage, the run folder holds the inputs it was
fixed to, and TRL's logged `reward` at each step is the mean of exactly the totals the samples table
holds for that step (the values TRL trained on).
"""
from __future__ import annotations

import json
import signal
import statistics
from pathlib import Path

import pytest

from core.reward import load_rubric, preset_names
from tests.db_helpers import sql_rows
from tests.judge_server import LoopbackJudgeServer
from tests.train.painting_model import MAX_COMPLETION, make_painting_model
from tests.train.tiny_config import write_tiny_run_config

pytestmark = [pytest.mark.slow, pytest.mark.long, pytest.mark.browser, pytest.mark.timeout(2400)]

STEPS = 2


@pytest.fixture(scope="module")
def painting_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("painter") / "model"
    make_painting_model(out)
    return out


@pytest.fixture(scope="module")
def judge():
    with LoopbackJudgeServer() as server:
        yield server


@pytest.fixture
def judged_home(store, judge, tiny_recogniser, monkeypatch):
    """A data home with a rated pool (a love tier to draw references from), a trained reward model and a
    subject recogniser (offline-default's `subject`: the runner refuses a rubric it could never measure),
    and every preset's judges pointed at the stand-in server."""
    from core.pool import RatingPool
    from core.reward.learned.train import TrainConfig, train_reward_model
    from tests.synthetic_pool import fill_pool

    pool = RatingPool(store)
    fill_pool(pool, per_tier=6, size=64)  # small references: the stand-in's verdicts (more bytes wins) split
    train_reward_model(pool, TrainConfig(steps=5, use_cnn=False, max_seconds=20))
    monkeypatch.setenv("BRUSHWORK_JUDGE_BASE_URL", judge.openai_url)
    monkeypatch.setenv("BRUSHWORK_GEMINI_BASE_URL", judge.gemini_url)
    monkeypatch.setenv("GEMINI_API_KEY", "stand-in-key")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("BRUSHWORK_TORCH_THREADS", "1")
    return store


def train(tmp_path: Path, preset: str, model: Path, steps: int = STEPS) -> Path:
    """One in-process `brushwork train` run; the signal handlers it installs are put back afterwards."""
    from core.train.runner import run_training

    # temperature 0.5: the taught sketches, mostly whole: most rollouts render and reach the judges
    cfg = write_tiny_run_config(
        tmp_path / f"{preset}.toml", model, run={"name": preset, "checkpoint_every": 10},
        grpo={"steps": steps, "max_completion_length": MAX_COMPLETION, "learning_rate": 1e-4, "temperature": 0.5},
        reward={"rubric": preset, "render_size": 128, "render_timeout": 120.0})
    run_dir = tmp_path / f"run-{preset}"
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert run_training(cfg, run_dir=run_dir) == 0
    finally:
        for s, h in handlers.items():
            signal.signal(s, h)
    return run_dir


def run_figures(store, run_id: str, rubric) -> dict:
    """Per step: TRL's logged reward, the samples' totals; and the share of rollouts with every weighted
    component measured."""
    rows = sql_rows(store, "SELECT step, components, total, png_hash FROM samples WHERE run_id=? AND split='train'",
                       (run_id,))
    metrics = {(r["step"], r["key"]): r["value"] for r in sql_rows(store,
        "SELECT step, key, value FROM metrics WHERE run_id=?", (run_id,))}
    steps = sorted({r["step"] for r in rows})
    per_step = {s: [r["total"] for r in rows if r["step"] == s] for s in steps}
    comps = [json.loads(r["components"]) for r in rows]
    by_step = {s: [json.loads(r["components"]) for r in rows if r["step"] == s] for s in steps}
    complete = [all(c.get(n) is not None for n in rubric.components) for c in comps]
    # A rollout with no picture, or one a gate closed, scores 0 unjudged (no judge money on a 0): "open" are
    # the rendered ones with every gate open, whose totals are made from the components.
    open_ = [r["png_hash"] is not None and not any(v == 0.0 for k, v in c.items() if k.startswith("gate:"))
             for r, c in zip(rows, comps, strict=True)]
    return {"steps": steps, "totals": per_step, "metrics": metrics, "components": comps, "by_step": by_step,
            "complete": sum(complete) / len(comps), "open": sum(open_),
            "open_complete": sum(c and o for c, o in zip(complete, open_, strict=True)) / max(1, sum(open_))}


@pytest.mark.parametrize("preset", preset_names())
def test_two_steps_on_every_preset(preset, tmp_path, painting_model, judged_home, judge):
    store = judged_home
    before = len(judge.requests)
    run_dir = train(tmp_path, preset, painting_model)
    rubric = load_rubric(preset)
    fig = run_figures(store, run_dir.name, rubric)
    assert fig["steps"] == list(range(1, STEPS + 1))
    for step, totals in fig["totals"].items():
        measured = [t for t in totals if t is not None]
        logged = fig["metrics"][(step, "reward")]
        # TRL's `reward` is the mean of what its one reward function returned (None rows left out); the samples
        # table holds those same values: the logged total is exactly what TRL trained on.
        assert logged == pytest.approx(statistics.fmean(measured), abs=1e-6), (step, totals, logged)
        assert fig["metrics"][(step, "rewards/total/mean")] == pytest.approx(logged, abs=1e-6)
        for name in rubric.components:  # each component is a metric of its own: the mean of its measured values
            values = [c[name] for c in fig["by_step"][step] if c.get(name) is not None]
            if values:
                assert fig["metrics"][(step, f"rewards/{name}/mean")] == pytest.approx(statistics.fmean(values))
    events = sql_rows(store, "SELECT kind, message FROM run_events WHERE run_id=?", (run_dir.name,))
    assert not [e for e in events if e["kind"] == "outage"], events
    assert {"pinned", "finished"} <= {e["kind"] for e in events}
    pinned = json.loads((run_dir / "pinned.json").read_text())
    assert pinned["rubric"]["name"] == preset and (run_dir / "rubric.toml").exists()
    assert (pinned["reward_model"] is not None) == (run_dir / "reward_model" / "meta.json").exists()
    rendered = [c for c in fig["components"] if c.get("gate:structure") == 1.0]
    if "pairwise" in rubric.components:
        assert rendered, "the painting model's rollouts render and pass the gate"
        assert all(c["pairwise"] is not None for c in rendered), fig["components"]  # judged against references
    if rubric.judge_settings:
        assert len(judge.requests) > before
    print(f"\n{preset}: every weighted component measured for {fig['complete']:.0%} of {len(fig['components'])} "
          f"rollouts, {fig['open_complete']:.0%} of the {fig['open']} rendered with every gate open; "
          f"totals {fig['totals']}")
