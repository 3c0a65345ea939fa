"""Components that ask a judge: pairwise against pool references, absolute 0–10 ratings, HPSv3.

References come from `sample_refs` (love tier, colour-matched to the prompt), drawn once per prompt
per run so a GRPO group shares them. Reward = fraction of comparisons won (a tie counts half).
"""
from __future__ import annotations

import asyncio
import random
from typing import Any

from core.pool.sampling import sample_refs
from core.reward.context import ComponentContext
from core.reward.learned.artefacts import NoRewardModel
from core.reward.learned.hpsv3 import hpsv3_score, hpsv3_status
from core.reward.preflight import PreflightContext
from core.reward.registry import register_component, register_preflight
from core.reward.types import Rollout


def _ready_judge(ctx: ComponentContext):
    judge = ctx.judge()
    if judge is None:
        ctx.note(f"{ctx.name}: the preset has no judge {ctx.params.get('judge', 'default')!r}")
        return None
    if judge.unavailable:
        ctx.note(f"{ctx.name}: {judge.unavailable}")
        return None
    return judge


async def references(rollout: Rollout, ctx: ComponentContext) -> list[Any]:
    """k pool images for the rollout's prompt (PoolImage), the same for every rollout of one prompt in a run."""
    pool = ctx.refs_pool
    if pool is None:
        return []
    k = int(ctx.params.get("refs", 2))
    tiers = tuple(ctx.params.get("tiers", ("love",)))
    key = ("refs", rollout.prompt, k, tiers)
    shared = ctx.run.shared
    if key not in shared:
        rng = random.Random(f"{ctx.run.seed}:{rollout.prompt}")
        shared[key] = asyncio.ensure_future(asyncio.to_thread(sample_refs, pool, rollout.prompt, k, tiers, True, rng))
    return await asyncio.shield(shared[key])


async def reference_pngs(refs: list[Any], ctx: ComponentContext) -> list[bytes]:
    """The references' PNG bytes, read once per run (a GRPO group shares them), off the event loop."""
    shared = ctx.run.shared
    for im in refs:
        if ("png", im.path) not in shared:
            shared[("png", im.path)] = asyncio.ensure_future(asyncio.to_thread(im.path.read_bytes))
    return list(await asyncio.gather(*(asyncio.shield(shared[("png", im.path)]) for im in refs)))


async def prefetch_references(rollout: Rollout, ctx: ComponentContext) -> None:
    """Draw and read the references while the gates run, so the first judge call does not wait for them."""
    await reference_pngs(await references(rollout, ctx), ctx)


@register_component("pairwise", judged=True, help="fraction of pairwise comparisons won against pool references",
                    prepare=prefetch_references)
async def pairwise(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """Candidate vs k references, each judged in both orders; won = 1, tie = 0.5, lost = 0."""
    png = rollout.png
    judge = _ready_judge(ctx)
    if png is None or judge is None:
        return None
    refs = await references(rollout, ctx)
    if not refs:
        ctx.note(f"{ctx.name}: no reference images (no pool, or no love-tier images in it)")
        return None
    ref_pngs = await reference_pngs(refs, ctx)
    verdicts = await asyncio.gather(*(judge.judge(png, ref, rollout.prompt) for ref in ref_pngs))
    for im, verdict in zip(refs, verdicts, strict=True):
        ctx.state.refs.append({"id": im.id, "hash": im.hash, "colour_group": im.colour_group, "prompt": im.prompt,
                               "judge": judge.settings.model_id,
                               "winner": verdict.winner if verdict else None,
                               "confidence": round(verdict.confidence, 3) if verdict else None})
    present = [v for v in verdicts if v is not None]
    if not present:
        ctx.note(f"{ctx.name}: every judgement failed (see cost.failures)")
        return None
    return sum({"candidate": 1.0, "tie": 0.5}.get(v.winner, 0.0) for v in present) / len(present)


@register_component("rating", judged=True, help="absolute 0–10 judge rating of one criterion, scaled to [0, 1]")
async def rating(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """params: criterion (recognisability, aesthetics, technique, depth, prompt_adherence), judge."""
    png = rollout.png
    judge = _ready_judge(ctx)
    if png is None or judge is None:
        return None
    return await judge.rate(png, rollout.prompt, str(ctx.params.get("criterion", ctx.name)))


@register_component("hpsv3", judged=True, help="HPSv3 human-preference score (needs the hpsv3 package and local weights)")
async def hpsv3(rollout: Rollout, ctx: ComponentContext) -> float | None:
    """None (with a note) unless the hpsv3 package and local weights ($BRUSHWORK_HPSV3_WEIGHTS or settings.toml) are present."""
    status = hpsv3_status()
    if not status.available:
        ctx.note(f"hpsv3: {status.message}")
        return None
    weights = str(status.weights)
    png = rollout.png
    if png is None:
        return None
    return await asyncio.to_thread(hpsv3_score, weights, png, rollout.prompt)


# -- preflight: can these ever be measured here? (core/reward/preflight.py) -------------------------------
def _pairwise_ready(params: dict[str, Any], ctx: PreflightContext) -> str | None:
    judge = ctx.judge_problem(params)
    if judge is not None:
        return judge
    tiers = tuple(params.get("tiers", ("love",)))
    if ctx.refs_pool is None:
        return "no rating pool to draw references from. Open the library database (brushwork doctor)."
    counts = ctx.refs_pool.counts()
    if not sum(counts.get(t, 0) for t in tiers):
        return (f"no {' or '.join(tiers)}-tier images to compare against. Rate some paintings "
                f"{tiers[0]} in the Rating pane, or build the demo pool: brushwork rm demo-pool.")
    return None


def _hpsv3_ready(params: dict[str, Any], ctx: PreflightContext) -> str | None:
    status = hpsv3_status()
    return None if status.available else status.message


def _preference_ready(params: dict[str, Any], ctx: PreflightContext) -> str | None:
    try:
        from core.reward.learned.model import RewardModel  # deferred: heavy (scipy)
    except ImportError as e:  # the learned model's dependencies (torch) are missing
        return f"the learned reward model cannot load ({e}). Install the training extras: make setup."

    try:
        RewardModel.current()
    except NoRewardModel as e:
        return str(e)
    return None


register_preflight("pairwise", _pairwise_ready)
register_preflight("rating", lambda params, ctx: ctx.judge_problem(params))
register_preflight("hpsv3", _hpsv3_ready)
register_preflight("preference", _preference_ready)
