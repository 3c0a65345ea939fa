"""The independent second opinion is a signal the training rubric does not contain."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.reward import Rollout, load_rubric
from core.reward.rubric import rubric_from_dict
from core.train.config import RunConfig
from core.train.corpus import COLOURS, heldout_specs, sketch_code
from core.train.heldout_eval import score_heldout
from core.train.heldout_runner import INDEPENDENT, rise_figures, stored_rise
from core.train.independent import independent_signal
from core.train.rewards import BatchScorer
from core.train.run_writer import RunWriter, SampleRow
from core.train.rundir import RunError


def test_auto_picks_the_learned_model_when_the_rubric_lacks_it(tmp_path: Path):
    signal, why = independent_signal("auto", load_rubric("offline-default"), tmp_path)
    assert signal is not None and why == "" and signal.label == "learned reward model"
    assert [s.fn for s in signal.rubric.specs] == ["preference"]


def test_auto_falls_back_to_offline_components_the_rubric_does_not_use(tmp_path: Path):
    # seed-v2 fills its HPSv3 slot with the learned model: that model is not independent of it
    training = load_rubric("seed-v2-four-signals")
    signal, _ = independent_signal("auto", training, tmp_path)
    used = {s.fn for s in training.specs} | {"preference"}
    assert signal is not None and not used & {s.fn for s in signal.rubric.specs}
    assert "colour_adherence" in signal.rubric.components and "offline-default" in signal.label
    # a judged workstation rubric without a trained model gets the image statistics too
    signal, _ = independent_signal("auto", load_rubric("pairwise-local"), None)
    assert signal is not None and {"structure", "length_binary", "pairwise"}.isdisjoint(s.fn for s in signal.rubric.specs)


def test_none_when_nothing_independent_is_left_and_errors_for_an_explicit_choice():
    signal, why = independent_signal("auto", load_rubric("offline-default"), None)
    assert signal is None and "no learned reward model" in why and "already in the training rubric" in why
    with pytest.raises(RunError, match="no learned reward model was pinned"):
        independent_signal("preference", load_rubric("offline-default"), None)
    with pytest.raises(RunError, match="every component of offline-default is already"):
        independent_signal("offline-default", load_rubric("offline-default"), None)
    assert independent_signal("none", load_rubric("offline-default"), None)[0] is None


GAMED = {"name": "colour-share", "description": "the prompt colour's share of the paint, full only at all of it",
         "components": {"colour_adherence": {"weight": 1.0, "params": {"full_share": 1.0}}}}
# What a policy trained on GAMED learns: a flat disc of the prompt's colour in native p5, no brush at all.
DISC = """function setup() {{
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  noStroke();
  fill("{colour}");
  ellipse(0, 0, 260, 260);
}}
"""


@pytest.mark.slow
@pytest.mark.browser
def test_a_gamed_rubric_rises_alone_and_the_independent_signal_falls(store, brushwork_home):
    """Real renders and scores: the corpus painting of each held-out prompt ("before") against the disc that
    maxes a colour-share rubric ("after"). The rubric's paired rise is significant; the independent signal,
    scored on the same images, falls as significantly: the split a gamed run shows in `runs show`."""
    gamed = rubric_from_dict(GAMED)
    signal, _ = independent_signal("auto", gamed, None)
    assert signal is not None and "colour_adherence" not in signal.rubric.components
    specs = heldout_specs(8, seed=0)
    cfg = RunConfig(render_size=128, render_pool=2, render_timeout=90)
    scorer = BatchScorer(gamed, render_size=cfg.render_size, render_timeout=cfg.render_timeout, render_pool=2)
    writer = RunWriter(store, "gamed")
    writer.start("gamed", "grpo", {}, brushwork_home / "runs" / "gamed")
    writer.event(0, "pinned", "fixed at start", {"independent": signal.label})
    try:
        for step, checkpoint, code in ((0, "sft", sketch_code), (40, "checkpoint-40",
                                                                  lambda s: DISC.format(colour=COLOURS[s.colour]))):
            rollouts = [Rollout(prompt=s.prompt, completion=code(s), code=code(s), seed=0) for s in specs]
            result = scorer.run(score_heldout(rollouts, gamed, scorer.renderer, cfg, checkpoint, step,
                                              independent=signal.rubric))
            assert all(r.render is not None and r.render.ok for r in result.rollouts)
            writer.samples([SampleRow(step, r.prompt, r.completion, r.code, {INDEPENDENT: second}, s.total,
                                      split="heldout", seed=0, checkpoint=checkpoint)
                            for r, s, second in zip(result.rollouts, result.scores, result.independent, strict=True)])
    finally:
        scorer.close()
    figures = rise_figures(stored_rise(store, "gamed"))
    assert figures["heldout_prompts"] == figures["independent_prompts"] == 8
    assert figures["heldout_ci_low"] > 0.1 and figures["heldout_p_value"] < 0.01, figures
    assert figures["independent_ci_high"] < -0.3 and figures["independent_p_value"] < 0.01, figures
