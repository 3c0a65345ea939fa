"""Reward-model tests: a pool on the test's store (synthetic tiers: tests.synthetic_pool)."""
from __future__ import annotations

import pytest

from core.pool import RatingPool


@pytest.fixture
def pool(store) -> RatingPool:
    return RatingPool(store)
