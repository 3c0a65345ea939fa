"""How well a model orders held-out pairs: all cross-tier pairs, pairs of one prompt, and a binomial CI.

All cross-tier pairs share images, so they are not independent trials and a binomial interval over
them would be far too narrow. The interval is therefore taken over *independent* pairs: a matching
in which every image appears at most once (pairs of the same prompt first, as GRPO compares the
rollouts of one prompt), with an exact Clopper–Pearson interval and a one-sided test against 0.5.
A tie counts as a miss there, so a model that cannot tell two paintings apart never "beats chance".
"""
from __future__ import annotations

from typing import Any

from scipy.stats import binomtest

from core.reward.learned.pairs import TIER_RANK, RatedItem, cross_tier_pairs


def independent_pairs(items: list[RatedItem]) -> list[tuple[int, int]]:
    """(better, worse) index pairs of different tiers, each item in at most one; same-prompt pairs first."""
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []

    def match(indices: list[int]) -> None:
        free = sorted((i for i in indices if i not in used), key=lambda i: (-TIER_RANK[items[i].tier], items[i].hash))
        while len(free) >= 2 and items[free[0]].tier != items[free[-1]].tier:
            better, worse = free.pop(0), free.pop()
            used.update((better, worse))
            pairs.append((better, worse))

    by_prompt: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        if it.prompt_key:
            by_prompt.setdefault(it.prompt_key, []).append(i)
    for key in sorted(by_prompt):
        match(by_prompt[key])
    match(list(range(len(items))))
    return pairs


def _accuracy(scores: list[float], pairs: list[tuple[int, int]]) -> float | None:
    if not pairs:
        return None
    won = sum(1.0 if scores[i] > scores[j] else 0.5 if scores[i] == scores[j] else 0.0 for i, j in pairs)
    return won / len(pairs)


def pair_report(scores: list[float], items: list[RatedItem]) -> dict[str, Any]:
    """Accuracy over all cross-tier pairs and same-prompt pairs, and over independent pairs with a 95 % CI."""
    pairs = cross_tier_pairs(items)
    same = [(i, j) for i, j in pairs if items[i].prompt_key and items[i].prompt_key == items[j].prompt_key]
    indep = independent_pairs(items)
    out: dict[str, Any] = {
        "prompts": len({it.prompt_key for it in items if it.prompt_key}), "images": len(items),
        "pairs": len(pairs), "accuracy": _r(_accuracy(scores, pairs)),
        "same_prompt_pairs": len(same), "same_prompt_accuracy": _r(_accuracy(scores, same)),
        "independent_pairs": len(indep), "independent_accuracy": None, "ci95": None, "p_vs_chance": None,
    }
    if indep:
        wins = sum(scores[i] > scores[j] for i, j in indep)
        test = binomtest(wins, len(indep), 0.5, alternative="greater")
        ci = binomtest(wins, len(indep)).proportion_ci(confidence_level=0.95, method="exact")
        out.update(independent_accuracy=_r(wins / len(indep)), ci95=[_r(ci.low), _r(ci.high)],
                   p_vs_chance=float(f"{test.pvalue:.3g}"))
    return out


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 4)
