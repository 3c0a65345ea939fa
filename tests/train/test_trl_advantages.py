"""A judge outage inside a GRPO group, through TRL's own code: `GRPOTrainer._generate_and_score_completions`
computes the rewards and advantages from our one reward function, exactly as in training.

Four real sketches of one prompt are the group (a `rollout_func` hands TRL their tokens in place of
sampling); they are rendered and judged pairwise against love-tier references by the stand-in server on
127.0.0.1, which fails every request carrying the third sketch's render. That rollout is not measured:
TRL receives None for it, leaves it out of the group's mean and spread, and gives it advantage 0; under
the old per-component reward functions it would have received a 0 (a large negative advantage).
"""
from __future__ import annotations

import math

import pytest

from core.pool import RatingPool
from core.reward import rubric_from_dict
from core.train.corpus import Spec, sketch_code
from tests.judge_server import LoopbackJudgeServer
from tests.synthetic_paintings import synthetic_painting

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1200)]

SPEC = Spec("flower", "red", "watercolour", "in the centre", "large")
SIZE = 128
OUTAGE = 2


def _rubric(url: str):
    return rubric_from_dict({"name": "judged", "components": {
        "structure": {"gate": True},
        "pairwise": {"weight": 1.0, "params": {"judge": "loop", "refs": 2, "tiers": ["love"]}},
    }, "judges": {"loop": {"backend": "openai", "model": "loopback", "base_url": url, "max_retries": 1,
                           "malformed_retries": 0, "backoff_s": 0.01, "backoff_max_s": 0.02}}})


def _png_of_size(size: int, seed: int) -> bytes:
    """A red painting whose PNG is exactly `size` bytes (padded with a text chunk): the stand-in judge
    prefers the larger image, so references sized between the candidates' renders split the verdicts."""
    import io

    from PIL import Image, PngImagePlugin

    base = Image.open(io.BytesIO(synthetic_painting("#d2302c", size=48, seed=seed)))

    def encoded(pad: int) -> bytes:
        info = PngImagePlugin.PngInfo()
        info.add_text("pad", "x" * pad)
        buf = io.BytesIO()
        base.save(buf, "PNG", pnginfo=info)
        return buf.getvalue()

    data = encoded(size - len(encoded(0)))
    assert len(data) == size, (len(data), size)
    return data


def test_an_unmeasured_rollout_gets_no_advantage_and_no_penalty(tmp_path, store, monkeypatch):
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer
    from trl.trainer.utils import nanstd

    from core.render import Renderer
    from core.train.rewards import BatchScorer
    from core.train.tiny import TinySpec, make_tiny, plain_prompt

    monkeypatch.setenv("TRL_EXPERIMENTAL_SILENCE", "1")
    pool = RatingPool(store)
    codes = [sketch_code(SPEC, seed=s) for s in range(4)]
    out = tmp_path / "model"
    make_tiny(out, TinySpec(vocab_size=1024, hidden_size=32, layers=1, heads=2, corpus_size=200))
    tokenizer = AutoTokenizer.from_pretrained(out)
    prompt = plain_prompt(SPEC.prompt)

    def rollout_func(prompts: list, trainer) -> dict:
        assert prompts == [prompt] * 4  # TRL hands over the group: one prompt, num_generations times
        return {"prompt_ids": [tokenizer(p).input_ids for p in prompts],
                "completion_ids": [tokenizer(c).input_ids + [tokenizer.eos_token_id] for c in codes],
                "logprobs": None}

    with LoopbackJudgeServer() as server:
        scorer = BatchScorer(_rubric(server.openai_url), render_size=SIZE, render_timeout=120, refs_pool=pool,
                             num_generations=4, renderer=Renderer(pool_size=1, store=store))
        try:
            pngs = [scorer.run(scorer.renderer.render(c, seed=0, size=SIZE, timeout=120)).png for c in codes]
            assert all(pngs) and len({len(p) for p in pngs}) == 4
            sizes = sorted(len(p) for p in pngs)
            for i, (lo, hi) in enumerate(((sizes[0], sizes[1]), (sizes[2], sizes[3]))):
                ref = _png_of_size((lo + hi) // 2, seed=i)  # wins: smallest 0, middle two 0.5, largest 1
                pool.rate(pool.add_image(ref, prompt="a red flower").image.id, "love")
            server.fail_sizes = {len(pngs[OUTAGE])}  # the judge is down for this rollout only (cached render)
            args = GRPOConfig(output_dir=str(tmp_path / "out"), num_generations=4, per_device_train_batch_size=4,
                              max_completion_length=400, beta=0.0, use_cpu=True, bf16=False, report_to="none",
                              logging_steps=1, max_steps=1, disable_tqdm=True, log_completions=False)
            trainer = GRPOTrainer(model=AutoModelForCausalLM.from_pretrained(out), args=args,
                                  reward_funcs=[scorer.reward_function()], processing_class=tokenizer,
                                  train_dataset=Dataset.from_list([{"prompt": prompt}] * 4), rollout_func=rollout_func)
            trainer.model.train()
            batch = trainer._generate_and_score_completions([{"prompt": prompt}] * 4)  # noqa: SLF001 (TRL's own path)
            scored = scorer.last
        finally:
            scorer.close()

    received = trainer._logs["rewards"]["total"]  # noqa: SLF001 (what TRL received from our function)
    totals = scored.totals
    assert totals[OUTAGE] is None and math.isnan(received[OUTAGE])
    assert len({t for t in totals if t is not None}) > 1, totals  # the group has a spread to learn from
    assert [r for i, r in enumerate(received) if i != OUTAGE] == pytest.approx([t for t in totals if t is not None])
    assert scored.scores[OUTAGE].components["pairwise"] is None
    assert any(o.startswith("pairwise not measured for 1 of 4") for o in scored.outages)
    advantages = batch["advantages"].tolist()
    assert advantages[OUTAGE] == 0.0  # no signal from a rollout that was not measured: no penalty either
    others = torch.tensor([t for t in totals if t is not None])
    expected = ((others - others.mean()) / (nanstd(others) + 1e-4)).tolist()
    assert [a for i, a in enumerate(advantages) if i != OUTAGE] == pytest.approx(expected, abs=1e-4)
    # TRL's logged reward is the mean of exactly what it trained on, and every component is a metric of its own.
    metrics = trainer._metrics["train"]  # noqa: SLF001
    assert metrics["reward"][-1] == pytest.approx(float(others.mean()))
    assert metrics["rewards/pairwise/mean"][-1] == pytest.approx(
        sum(s.components["pairwise"] for s in scored.scores if s.components["pairwise"] is not None) / 3)
    assert metrics["rubric/measured"][-1] == pytest.approx(0.75)
    print(f"\nTRL received {received}; advantages {[round(a, 4) for a in advantages]}")
