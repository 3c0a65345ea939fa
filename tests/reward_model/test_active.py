"""Active rating: the Rate pane's "least sure" queue orders images by |P(beats love tier) − 0.5|."""
from __future__ import annotations

import asyncio

import pytest

from core.reward.learned.active import least_sure_first, uncertainty, why_not
from core.reward.learned.train import TrainConfig, train_reward_model
from tests.synthetic_pool import fill_pool, love_png, nope_png, okay_png


def _add_unrated(pool, n: int = 6) -> list[int]:
    makers = (love_png, okay_png, nope_png)
    return [pool.add_image(makers[i % 3](200 + i), prompt=f"new {i}").image.id for i in range(n)]


def test_without_a_model_the_queue_is_unchanged_in_content_and_says_why(pool):
    ids = _add_unrated(pool)
    images = pool.images(unrated=True)
    assert sorted(im.id for im in least_sure_first(images)) == sorted(ids)
    assert "Train it" in why_not()


@pytest.mark.slow
def test_least_sure_comes_first(pool):
    fill_pool(pool, per_tier=8)
    train_reward_model(pool, TrainConfig(steps=80, max_seconds=40))
    assert why_not() is None
    _add_unrated(pool, 9)
    images = pool.images(unrated=True)
    ordered = least_sure_first(images)
    doubt = uncertainty(ordered)
    assert doubt == sorted(doubt)
    assert all(0.0 <= d <= 0.5 for d in doubt)
    assert {im.id for im in ordered} == {im.id for im in images}

    from studio.ops.rating import load_queue  # the Rate pane's queue with the "Least sure" order

    shown = asyncio.run(load_queue(pool, show="unrated", order="least_sure"))
    assert [im.id for im in shown] == [im.id for im in ordered]
