"""Cross-tier pairs (love > okay > nope) for Bradley–Terry, split by prompt so no held-out prompt was trained on.

Images are grouped before the split: renders of the same code at different seeds are near
duplicates, and images of the same prompt would teach the model that prompt, so both go to the
same side (train or held-out) together; the held-out pairs are then pairs whose prompts were never
seen in training. An image without a prompt or code is its own group. The split is a pure function
of the images' hashes, codes and prompts, so `rm train` and `rm eval` agree on it without storing it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.hashing import code_hash

TIER_RANK: dict[str, int] = {"love": 2, "okay": 1, "nope": 0}
HELDOUT_SHARE = 0.3


@dataclass(frozen=True)
class RatedItem:
    """What training needs of a rated image: its hash, tier, group key, where the PNG lies, its prompt."""

    hash: str
    tier: str
    group: str
    path: str
    prompt: str = ""
    prompt_key: str = ""  # prompt_features.prompt_key(prompt): "" = no prompt


def group_key(image_hash: str, code: str | None) -> str:
    """Renders of the same code share a group; an image without code is its own group."""
    return "code:" + code_hash(code) if code else "img:" + image_hash


def _unit(key: str) -> float:
    return int(hashlib.sha256(("split:" + key).encode()).hexdigest()[:12], 16) / float(16 ** 12)


def split_units(items: list[RatedItem], by_prompt: bool = True) -> dict[str, str]:
    """Item hash → its split unit: items sharing a code group (or, by_prompt, a prompt) are joined (union–find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for it in items:
        root = find(it.group)
        if by_prompt and it.prompt_key:
            other = find("prompt:" + it.prompt_key)
            if other != root:  # the smaller key wins: the unit's name does not depend on item order
                parent[max(root, other)] = min(root, other)
    return {it.hash: find(it.group) for it in items}


def split_items(items: list[RatedItem], heldout_share: float = HELDOUT_SHARE,
                by_prompt: bool = True) -> tuple[list[RatedItem], list[RatedItem]]:
    """(train, heldout): whole units (prompt ∪ code groups) go one way; about `heldout_share` of each tier's
    units are held out, never a tier's last training unit."""
    unit_of = split_units(items, by_prompt)
    tiers_of: dict[str, set[str]] = {}
    for it in items:
        tiers_of.setdefault(unit_of[it.hash], set()).add(it.tier)
    units_per_tier: dict[str, int] = {}
    for tiers in tiers_of.values():
        for t in tiers:
            units_per_tier[t] = units_per_tier.get(t, 0) + 1
    target = {t: (max(1, round(n * heldout_share)) if n >= 2 else 0) for t, n in units_per_tier.items()}
    held_count = dict.fromkeys(units_per_tier, 0)
    held: set[str] = set()
    for unit in sorted(tiers_of, key=_unit):
        tiers = tiers_of[unit]
        wanted = any(held_count[t] < target[t] for t in tiers)
        keeps_training = all(units_per_tier[t] - held_count[t] > 1 for t in tiers)
        if wanted and keeps_training:
            held.add(unit)
            for t in tiers:
                held_count[t] += 1
    train = [it for it in items if unit_of[it.hash] not in held]
    heldout = [it for it in items if unit_of[it.hash] in held]
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
    """A hash of what a model was trained on: every (image hash, tier, prompt words), order-free."""
    text = "\n".join(sorted(f"{it.hash}:{it.tier}:{it.prompt_key}" for it in items))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def pair_accuracy(scores: list[float], items: list[RatedItem]) -> tuple[float | None, int]:
    """Fraction of cross-tier pairs whose better-tier image scores higher (ties count half), and the pair count."""
    pairs = cross_tier_pairs(items)
    if not pairs:
        return None, 0
    won = sum(1.0 if scores[i] > scores[j] else 0.5 if scores[i] == scores[j] else 0.0 for i, j in pairs)
    return won / len(pairs), len(pairs)
