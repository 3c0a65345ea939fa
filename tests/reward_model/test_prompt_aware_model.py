"""The learned model reads the prompt: on a pool where a hue is loved for one prompt colour and not for another,
it orders held-out pairs of never-seen prompts well above chance, and the image-only ablation cannot."""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
from pathlib import Path

import pytest

from core.render.types import RenderResult
from core.reward.context import ComponentContext, RolloutState, RunContext
from core.reward.judges.base import JudgeSettings
from core.reward.learned import artefacts
from core.reward.learned.dataset import load_rated
from core.reward.learned.heldout import pair_report
from core.reward.learned.model import RewardModel, evaluate
from core.reward.learned.plugin import LearnedJudge, preference
from core.reward.learned.train import TrainConfig, train_reward_model
from core.reward.types import Rollout
from tests.reward_model.prompt_pool import PALETTE, fill_prompt_pool
from tests.synthetic_paintings import synthetic_painting

RM1 = Path(__file__).parent / "fixtures" / "rm1-image-only"  # made by brushwork before prompts (format rm-1)


def _rollout(png: bytes, prompt: str) -> Rollout:
    render = RenderResult(ok=True, png=png, error=None, ms=1.0, sketch_ms=1.0, width=96, height=96)
    return Rollout(prompt=prompt, completion="", code="", render=render)


def _preference(png: bytes, prompt: str) -> tuple[float | None, list[str]]:
    state = RolloutState()
    ctx = ComponentContext("preference", {}, RunContext(), state)
    return asyncio.run(preference(_rollout(png, prompt), ctx)), state.notes


def _paint(colour: str, seed: int) -> bytes:
    return synthetic_painting(PALETTE[colour][0], size=96, seed=seed, leaves=False)


@pytest.mark.slow
def test_reading_the_prompt_beats_chance_on_unseen_prompts_and_the_image_alone_does_not(pool):
    fill_prompt_pool(pool, n_prompts=48)
    image_only = train_reward_model(pool, TrainConfig(use_prompt=False), save=False).to_dict()
    report = train_reward_model(pool, TrainConfig())
    reads = report.to_dict()
    print("\nprompt-aware:", json.dumps(reads["heldout"]), reads["seconds"], "s")
    print("image-only:  ", json.dumps(image_only["heldout"]), image_only["seconds"], "s")
    assert reads["heldout_split"] == image_only["heldout_split"] == "prompt"
    assert reads["heldout"]["images"] == image_only["heldout"]["images"] >= 40  # the same held-out set
    assert reads["reads_prompt"] and not image_only["reads_prompt"]

    held = reads["heldout"]
    assert held["ci95"][0] > 0.5 and held["p_vs_chance"] < 1e-3  # clearly beats chance
    assert held["independent_pairs"] >= 20
    assert held["same_prompt_accuracy"] >= 0.8 and reads["heldout_pair_accuracy"] >= 0.8
    ablation = image_only["heldout"]
    assert ablation["ci95"][0] <= 0.5  # cannot: every hue is loved as often as not
    assert ablation["same_prompt_accuracy"] < 0.65 and image_only["heldout_pair_accuracy"] < 0.65

    # rm eval agrees with rm train on the same unseen prompts
    ev = evaluate(pool)
    assert ev["reads_prompt"] and ev["prompt_note"] is None
    assert ev["unseen_prompts"]["images"] == held["images"]
    assert ev["unseen_prompts"]["accuracy"] == pytest.approx(held["accuracy"], abs=1e-3)

    # one painting, two prompts: the model, the `preference` component and the `learned` judge follow the prompt
    model = RewardModel.current()
    red, blue = _paint("red", 901), _paint("blue", 902)
    for_red, for_blue = "draw a crimson teapot in ink", "draw a navy teapot in ink"
    assert model.prob_beats(red, blue, for_red) > 0.7 > 0.3 > model.prob_beats(red, blue, for_blue)
    (red_for_red, notes), (red_for_blue, _) = _preference(red, for_red), _preference(red, for_blue)
    assert red_for_red > red_for_blue and notes == []
    judge = LearnedJudge(JudgeSettings(backend="learned"))
    assert asyncio.run(judge.judge(red, blue, for_red)).winner == "candidate"
    assert asyncio.run(judge.judge(red, blue, for_blue)).winner == "reference"


@pytest.mark.slow
def test_colour_words_never_seen_in_training_are_read_as_their_colour(pool):
    fill_prompt_pool(pool, n_prompts=24, words=(0,))  # trained on "red", "yellow", "blue", ...
    # the prompt head is what this is about: the CNN is left out to keep the test short
    train_reward_model(pool, TrainConfig(use_cnn=False))
    fill_prompt_pool(pool, n_prompts=24, offset=100, words=(1, 2))  # "crimson", "lemon", "cobalt", ... rated after
    model = RewardModel.current()
    synonyms = {w for _, words in PALETTE.values() for w in words[1:]}
    new = [it for it in load_rated(pool).items if synonyms & set(it.prompt_key.split())]
    assert len(new) == 96 and not {it.prompt_key for it in new} & model.train_prompts
    scores = list(model.utilities([Path(it.path).read_bytes() for it in new], [it.prompt for it in new]))
    report = pair_report(scores, new)
    print("\nunseen colour words:", json.dumps(report))
    assert report["ci95"][0] > 0.5 and report["same_prompt_accuracy"] >= 0.8


def test_a_model_from_before_prompts_keeps_scoring_the_image_and_says_retrain(brushwork_home, capsys):
    root = artefacts.models_dir()
    shutil.copytree(RM1, root / RM1.name)
    (root / "current.json").write_text(json.dumps({"dir": RM1.name}))
    model = RewardModel.current()
    assert model.meta.format == artefacts.IMAGE_ONLY_FORMAT and not model.reads_prompt
    assert "Retrain to use the prompt" in model.prompt_note
    red, blue = _paint("red", 11), _paint("blue", 12)
    p = model.prob_beats(red, blue, "draw a red kite")
    assert 0.0 < p < 1.0 and p == model.prob_beats(red, blue, "draw a blue kite")  # the image alone
    value, notes = _preference(red, "draw a red kite")
    assert value is not None and any("Retrain to use the prompt" in n for n in notes)

    from core.reward.learned.commands import cmd_info

    assert cmd_info(argparse.Namespace(json=True)) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["reads_prompt"] is False and "brushwork rm train" in info["prompt_note"]


def test_a_model_reading_prompts_another_way_refuses_to_load(pool):
    fill_prompt_pool(pool, n_prompts=6)
    report = train_reward_model(pool, TrainConfig(steps=5, use_cnn=False))
    meta = json.loads((report.path / "meta.json").read_text())
    assert meta["format"] == artefacts.FORMAT and meta["prompt_features_version"]
    meta["prompt_features_version"] = "p999"
    (report.path / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(artefacts.NoRewardModel, match="Retrain"):
        artefacts.load_state(report.path)


def test_averaged_over_its_anchor_paintings_every_prompt_scores_the_same(pool):
    fill_prompt_pool(pool, n_prompts=6)  # 24 paintings: every training painting is an anchor
    report = train_reward_model(pool, TrainConfig(steps=40, use_cnn=False))
    model = RewardModel.current()
    assert model.meta.prompt_anchors == report.meta.train_images <= 32
    trained = [it for it in load_rated(pool).items if it.hash in model.train_hashes]
    pngs = [Path(it.path).read_bytes() for it in trained]
    means = [model.utilities(pngs, prompt).mean() for prompt in
             ("draw a crimson kite in ink", "draw a navy fish in pastel", "draw a house", "")]
    assert max(means) - min(means) < 1e-4  # the words alone move no score...
    own = model.utilities(pngs, [it.prompt for it in trained])
    assert abs(own.mean() - means[0]) > 1e-3  # ...while the paintings' own prompts do order them
