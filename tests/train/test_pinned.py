"""A run is fixed at its start: the system prompt text, the rubric TOML and the reward model are copied into
the run folder, and what a person changes afterwards (a promoted prompt, an edited preset, a retrained
reward model) does not reach the run, its held-out evaluations or its resume."""
from __future__ import annotations

import json

import pytest

from core.prompts.system import use_as_training_prompt
from core.train.config import RunConfig
from core.train.heldout_eval import format_prompt
from core.train.pinned import apply_pins, pin_inputs, read_pinned, release_pins
from core.train.rundir import RunError


def test_the_promoted_prompt_and_the_rubric_are_read_once(tmp_path, brushwork_home):
    preset = tmp_path / "mine.toml"
    preset.write_text('name = "mine"\n[components.coverage]\nweight = 1.0\n')
    use_as_training_prompt("Paint with brush.circle only.")
    cfg = RunConfig(prompt_format="chat", system_prompt="@promoted", rubric=str(preset))
    record = pin_inputs(tmp_path, cfg)

    use_as_training_prompt("Paint with brush.line only.")  # promoted in the prompt lab mid-run
    preset.write_text('name = "mine"\n[components.detail]\nweight = 1.0\n')  # the preset edited mid-run
    pinned = read_pinned(tmp_path)
    assert pinned.system_prompt == "Paint with brush.circle only."
    assert pinned.rubric.components == ["coverage"] and pinned.rubric.name == "mine"
    assert pin_inputs(tmp_path, cfg) == record  # a resume keeps what the run started with
    assert record["rubric"]["source"] == str(preset) and record["reward_model"] is None

    class Template:  # records what a chat template was given
        def apply_chat_template(self, messages, **kw):
            return json.dumps(messages)
    text = format_prompt(cfg, "a red apple", Template(), pinned.system_prompt)
    assert "brush.circle" in text and "brush.line" not in text


def test_a_changed_copy_is_refused(tmp_path, brushwork_home):
    pin_inputs(tmp_path, RunConfig(prompt_format="chat", system_prompt="Paint."))
    (tmp_path / "system_prompt.txt").write_text("Paint otherwise.")
    with pytest.raises(RunError, match="system_prompt.txt .*no longer match"):
        read_pinned(tmp_path)


@pytest.mark.slow
def test_a_reward_model_trained_mid_run_does_not_replace_the_runs(tmp_path, store, brushwork_home):
    from core.pool import RatingPool
    from core.reward.learned.artefacts import current_dir
    from core.reward.learned.model import RewardModel
    from core.reward.learned.train import TrainConfig, train_reward_model
    from tests.synthetic_pool import fill_pool

    pool = RatingPool(store)
    fill_pool(pool, per_tier=6)
    first = train_reward_model(pool, TrainConfig(steps=5, use_cnn=False, max_seconds=20)).path
    run = tmp_path / "run"
    run.mkdir()
    record = pin_inputs(run, RunConfig(rubric="seed-v2-four-signals"))
    assert record["reward_model"]["source"] == str(first)
    pinned = read_pinned(run)
    apply_pins(pinned)
    try:
        second = train_reward_model(pool, TrainConfig(steps=5, use_cnn=False, max_seconds=20, seed=1)).path
        assert second != first
        assert current_dir() == run / "reward_model"  # the run's copy, not the one just trained
        assert RewardModel.current().path == run / "reward_model"
    finally:
        release_pins()
    assert current_dir() == second  # outside the run, the studio sees the new model
