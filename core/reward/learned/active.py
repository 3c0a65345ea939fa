"""Active rating: the images the learned model is least sure about, so each rating teaches it the most.

"Least sure" = P(image beats the love tier) closest to 0.5. Scoring needs each image's features
(~10 ms each), so at most `limit` images are ordered (a seeded random subset of a larger list);
the rest follow in random order. Without a trained model the list comes back shuffled, unchanged
otherwise, and `why_not` says how to get one.
"""
from __future__ import annotations

import random

from core.pool.pool import PoolImage
from core.reward.learned.artefacts import NoRewardModel, current_dir

LIMIT = 300


def uncertainty(images: list[PoolImage]) -> list[float]:
    """|P(beats love tier) − 0.5| per image, for its own prompt, under the current model (NoRewardModel without one)."""
    # deferred: the model brings scipy, and torch once it scores
    from core.reward.learned.model import RewardModel  # deferred: heavy (scipy)

    model = RewardModel.current()
    pngs = [im.path.read_bytes() for im in images]
    prompts = [im.prompt for im in images]
    return [abs(p - 0.5) for p in model.prob_vs_love(model.utilities(pngs, prompts))] if pngs else []


def least_sure_first(images: list[PoolImage], limit: int = LIMIT, seed: int = 0) -> list[PoolImage]:
    """`images` reordered: the model's least sure first (at most `limit` of them scored)."""
    rest = list(images)
    random.Random(seed).shuffle(rest)
    scored, rest = rest[:limit], rest[limit:]
    try:
        doubt = uncertainty(scored)
    except NoRewardModel:
        return scored + rest
    order = sorted(range(len(scored)), key=lambda i: (doubt[i], scored[i].id))
    return [scored[i] for i in order] + rest


def why_not() -> str | None:
    """None when a model can order the queue; else the sentence to show."""
    return None if current_dir() else ("No reward model yet: the 'least sure' order needs one. "
                                       "Train it in the Rubric pane (Retrain) or with brushwork rm train.")
