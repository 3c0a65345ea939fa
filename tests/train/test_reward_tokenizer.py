"""Training measures length in the policy's own tokens: the trainer hands its tokenizer to the BatchScorer,
which puts it in every scoring pass (training and held-out) where the length component reads it.

The tokenizer is a real byte-level BPE PreTrainedTokenizerFast trained on the corpus (what `brushwork model
tiny` builds), small enough that its count and the approximate one fall on opposite sides of the floor.
"""
from __future__ import annotations

import asyncio

import pytest

from core.reward import rubric_from_dict
from core.reward.offline import code_without_comments
from core.reward.types import Rollout
from core.sketch.tokens import approx_tokens
from core.train.config import RunConfig
from core.train.corpus import Spec, sketch_code
from core.train.heldout_eval import score_heldout
from core.train.rewards import BatchScorer
from core.train.tiny import TinySpec, build_tokenizer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPEC = Spec("tree", "green", "watercolour", "in the centre", "large")


def test_the_length_component_counts_the_policys_tokens_in_training_and_held_out():
    from core.render import Renderer

    tok = build_tokenizer(TinySpec(vocab_size=300, corpus_size=200))
    code = "// the model's own words about its tree, which do not count\n" + sketch_code(SPEC, 0)
    exact = len(tok.encode(code_without_comments(code), add_special_tokens=False))
    approx = approx_tokens(code_without_comments(code))
    assert exact != approx, "this tokenizer must count differently from the estimate for the test to mean anything"
    floor = exact if approx < exact else exact + 1  # the exact count passes it and the estimate fails, or back
    rubric = rubric_from_dict({"name": "length", "components": {
        "length": {"fn": "length_binary", "weight": 1.0, "params": {"min_tokens": floor}}}})
    by_tokens = 1.0 if exact >= floor else 0.0
    by_estimate = 1.0 if approx >= floor else 0.0
    assert by_tokens != by_estimate

    scorer = BatchScorer(rubric, render_size=64, render_timeout=60, renderer=Renderer(pool_size=1),
                         num_generations=2, tokenizer=tok)
    try:
        totals = scorer.reward_function()(prompts=[SPEC.prompt] * 2, completions=[code, code])
        scores = scorer.last.scores
        heldout = scorer.run(score_heldout([Rollout(SPEC.prompt, code, code)], rubric, scorer.renderer,
                                           RunConfig(render_size=64, render_timeout=60), "sft", 0,
                                           shared=scorer.shared))
    finally:
        scorer.close()
    assert all(r.render is not None and r.render.ok for r in scorer.last.rollouts)
    assert [s.components["length"] for s in scores] == [by_tokens, by_tokens]
    assert totals == [by_tokens, by_tokens]
    assert not any("approximate" in n for s in scores for n in s.notes), scores[0].notes
    assert heldout.scores[0].components["length"] == by_tokens  # held-out measures as training does

    # the same rollout scored without the run's tokenizer: the estimate, and the note that says so
    alone = asyncio.run(rubric.score([Rollout(SPEC.prompt, code, code)]))
    assert alone[0].components["length"] == by_estimate
    assert any("approximate token count" in n for n in alone[0].notes)
