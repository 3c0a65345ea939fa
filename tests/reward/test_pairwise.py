"""Pairwise judging against pool references through the seed-v2 preset, over loopback HTTP."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from reward_helpers import love_pool, painting, png_rollout

from core.reward import Accounting, JudgementCache, load_rubric


def _v2(server):
    rubric = load_rubric("seed-v2-four-signals")
    judges = {"default": replace(rubric.judge_settings["default"], base_url=server.openai_url, backoff_s=0.01)}
    return replace(rubric, judge_settings=judges)


def test_a_group_is_judged_against_two_refs_in_both_orders(judge_server, store, monkeypatch):
    monkeypatch.delenv("BRUSHWORK_HPSV3_WEIGHTS", raising=False)
    pool = love_pool(store, n=4)
    rubric = _v2(judge_server)
    group = [png_rollout(painting(size=512, seed=i)) for i in range(3)] + [png_rollout(painting(size=32, seed=9))]
    acc = Accounting()
    scores = asyncio.run(rubric.score(group, refs_pool=pool, cache=JudgementCache(store), accounting=acc))
    assert len(judge_server.requests) == 4 * 2 * 2
    big, small = scores[0], scores[3]
    # the loopback prefers more PNG bytes: 512 px paintings beat the 128 px references, 32 px ones lose
    assert big.components["pairwise"] == 1.0 and small.components["pairwise"] == 0.0
    assert len(big.refs) == 2 and {r["winner"] for r in big.refs} == {"candidate"}
    ref_ids = {r["id"] for r in big.refs}
    assert all({r["id"] for r in s.refs} == ref_ids for s in scores)  # one draw per prompt per run
    assert big.cost["calls"] == 16 and big.cost["tokens_in"] == 16000
    assert big.gates["structure"] == 1.0 and big.total is not None
    # no HPSv3 weights and no learned model in this home: the slot is not measured (never a 0), says why, and
    # the total is made over the components that were
    assert big.components["hpsv3"] is None and "hpsv3" in big.missing
    assert any(n.startswith("hpsv3: HPSv3") for n in big.notes)
    assert any(n.startswith("hpsv3: no reward model has been trained yet") for n in big.notes)


def test_a_closed_gate_spends_no_judge_calls(judge_server, store):
    pool = love_pool(store, n=2)
    broken = png_rollout(None, code="function setup() { brush.fill(", error_kind="syntax")
    score = asyncio.run(_v2(judge_server).score([broken], refs_pool=pool))[0]
    assert score.total == 0.0 and score.gates["structure"] == 0.0
    assert judge_server.requests == []
    assert "pairwise" not in score.missing and any("skipped" in n for n in score.notes)


def test_without_a_pool_or_a_judge_pairwise_is_missing_not_zero(judge_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("BRUSHWORK_JUDGE_BASE_URL", raising=False)
    no_pool = asyncio.run(_v2(judge_server).score([png_rollout(painting())]))[0]
    assert no_pool.components["pairwise"] is None and "pairwise" in no_pool.missing
    no_key = asyncio.run(load_rubric("seed-v2-four-signals").score([png_rollout(painting())]))[0]
    assert no_key.components["pairwise"] is None
    assert any("no OpenAI key" in n for n in no_key.notes)
    assert no_key.total == pytest.approx(1.0)  # the gate and length are measured; the rest renormalises away


REFS_SCRIPT = """
import asyncio, sys
from core.pool import RatingPool
from core.reward.context import ComponentContext, RolloutState, RunContext
from core.reward.judged import references
from core.reward.types import Rollout
from core.store import Store

store = Store()
ctx = ComponentContext("pairwise", {"refs": 2}, RunContext(refs_pool=RatingPool(store), seed=int(sys.argv[1])),
                       RolloutState())
refs = asyncio.run(references(Rollout(prompt="a peach flower", completion="", code=""), ctx))
print(",".join(str(im.id) for im in refs))
store.close()
"""


def test_references_are_drawn_per_prompt_from_the_run_seed_alike_in_every_process(store, brushwork_home):
    import os
    import subprocess
    import sys

    love_pool(store, n=8)

    def draw(seed: int, hash_seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "BRUSHWORK_HOME": str(brushwork_home)}
        out = subprocess.run([sys.executable, "-c", REFS_SCRIPT, str(seed)], capture_output=True, text=True,
                             env=env, cwd=Path(__file__).resolve().parents[2], timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    first = draw(7, "1")
    assert first == draw(7, "2") and len(first.split(",")) == 2  # two processes, one draw
    assert any(draw(seed, "1") != first for seed in (8, 9, 10))  # another run seed draws others
