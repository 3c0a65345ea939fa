"""Cross-tier pairs (love > okay > nope) for Bradley–Terry, split by image so no image is on both sides.

Images are grouped before the split: renders of the same code at different seeds are near
duplicates, so they go to the same side (train or held-out) together. The split is a pure
function of the images' hashes, so `rm train` and `rm eval` agree on it without storing it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.hashing import code_hash

TIER_RANK: dict[str, int] = {"love": 2, "okay": 1, "nope": 0}
HELDOUT_SHARE = 0.3


@dataclass(frozen=True)
class RatedItem:
    """What training needs of a rated image: its hash, tier, group key and where the PNG lies."""

    hash: str
    tier: str
    group: str
    path: str


def group_key(image_hash: str, code: str | None) -> str:
    """Renders of the same code share a group; an image without code is its own group."""
    return "code:" + code_hash(code) if code else "img:" + image_hash


def _unit(key: str) -> float:
    return int(hashlib.sha256(("split:" + key).encode()).hexdigest()[:12], 16) / float(16 ** 12)


def split_items(items: list[RatedItem], heldout_share: float = HELDOUT_SHARE) -> tuple[list[RatedItem], list[RatedItem]]:
    """(train, heldout): whole groups go one way; per tier about `heldout_share` of the groups are held out."""
    by_tier: dict[str, set[str]] = {}
    for it in items:
        by_tier.setdefault(it.tier, set()).add(it.group)
    held: set[str] = set()
    for groups in by_tier.values():
        ordered = sorted(groups, key=_unit)
        n = max(1, round(len(ordered) * heldout_share)) if len(ordered) >= 2 else 0
        held.update(ordered[:n])
    train = [it for it in items if it.group not in held]
    heldout = [it for it in items if it.group in held]
    return train, heldout


def cross_tier_pairs(items: list[RatedItem]) -> list[tuple[int, int]]:
    """(winner index, loser index) for every pair of items in different tiers."""
    pairs = []
    for i, a in enumerate(items):
        for j, b in enumerate(items):
            if TIER_RANK[a.tier] > TIER_RANK[b.tier]:
                pairs.append((i, j))
    return pairs


def pool_hash(items: list[RatedItem]) -> str:
    """A hash of what a model was trained on: every (image hash, tier), order-free."""
    text = "\n".join(sorted(f"{it.hash}:{it.tier}" for it in items))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def pair_accuracy(scores: list[float], items: list[RatedItem]) -> tuple[float | None, int]:
    """Fraction of cross-tier pairs whose better-tier image scores higher (ties count half), and the pair count."""
    pairs = cross_tier_pairs(items)
    if not pairs:
        return None, 0
    won = sum(1.0 if scores[i] > scores[j] else 0.5 if scores[i] == scores[j] else 0.0 for i, j in pairs)
    return won / len(pairs), len(pairs)
