"""Did the policy improve on held-out prompts? A paired difference with a prompt-clustered interval.

Seeds of one prompt are not independent samples: they share the prompt's difficulty. So each prompt is
one cluster: its scores are averaged over seeds first, the two checkpoints are paired by prompt, and the
interval comes from resampling prompts (a percentile bootstrap of the mean per-prompt difference, which
is the prompt-clustered bootstrap). The Wilcoxon signed-rank test on the same per-prompt differences
gives a p-value that does not lean on normality. Only prompts measured at both checkpoints count.
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 10_000


@dataclass(frozen=True)
class Rise:
    """The paired held-out difference `after - before` over prompts (None where it cannot be computed)."""

    prompts: int                 # prompts measured at both checkpoints (the number of clusters)
    before: float | None         # mean over prompts of the per-prompt mean over seeds
    after: float | None
    delta: float | None          # mean per-prompt difference
    ci_low: float | None         # prompt-clustered bootstrap interval of `delta`
    ci_high: float | None
    p_value: float | None        # Wilcoxon signed-rank, two-sided; 1.0 when no prompt changed
    better: int = 0              # prompts whose mean rose / fell / stayed
    worse: int = 0
    unchanged: int = 0

    def to_dict(self, prefix: str = "") -> dict[str, float | int | None]:
        return {f"{prefix}{k}": v for k, v in asdict(self).items()}

    def sentence(self, what: str = "held-out reward") -> str:
        """'held-out reward +0.041 (95 % CI +0.012 to +0.070, n = 50 prompts, Wilcoxon p = 0.004)'."""
        if self.delta is None:
            return f"{what}: not enough prompts measured at both checkpoints (n = {self.prompts})"
        ci = ("" if self.ci_low is None else f"95 % CI {self.ci_low:+.3f} to {self.ci_high:+.3f}, ")
        p = "" if self.p_value is None else f", Wilcoxon p = {self.p_value:.3g}"
        return f"{what} {self.delta:+.3f} ({ci}n = {self.prompts} prompts{p})"


def per_prompt_means(samples: Iterable[tuple[str, float | None]]) -> dict[str, float]:
    """{prompt: mean over its measured seeds}; prompts with no measured sample are left out."""
    by_prompt: dict[str, list[float]] = defaultdict(list)
    for prompt, value in samples:
        if value is not None and math.isfinite(value):
            by_prompt[prompt].append(float(value))
    return {p: statistics.fmean(v) for p, v in by_prompt.items() if v}


def paired_rise(before: Mapping[str, float], after: Mapping[str, float], *, seed: int = 0,
                confidence: float = CONFIDENCE, resamples: int = BOOTSTRAP_RESAMPLES) -> Rise:
    """The paired difference of two checkpoints' per-prompt means (see per_prompt_means)."""
    shared = sorted(set(before) & set(after))
    n = len(shared)
    if n == 0:
        return Rise(0, None, None, None, None, None, None)
    b = np.array([before[p] for p in shared])
    a = np.array([after[p] for p in shared])
    diff = a - b
    better, worse = int((diff > 1e-12).sum()), int((diff < -1e-12).sum())
    base = dict(prompts=n, before=float(b.mean()), after=float(a.mean()), delta=float(diff.mean()),
                better=better, worse=worse, unchanged=n - better - worse)
    if n < 2:
        return Rise(**base, ci_low=None, ci_high=None, p_value=None)
    if np.ptp(diff) == 0.0:  # every prompt moved by the same amount: the interval is that point
        low = high = float(diff[0])
    else:
        res = stats.bootstrap((diff,), np.mean, confidence_level=confidence, n_resamples=resamples,
                              method="percentile", random_state=np.random.default_rng(seed))
        low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    p = 1.0 if better + worse == 0 else float(stats.wilcoxon(diff, zero_method="wilcox").pvalue)
    return Rise(**base, ci_low=low, ci_high=high, p_value=p)


def rise_between(before: Iterable[tuple[str, float | None]], after: Iterable[tuple[str, float | None]],
                 **kw) -> Rise:
    """paired_rise over (prompt, value) samples of two evaluations (several seeds per prompt)."""
    return paired_rise(per_prompt_means(before), per_prompt_means(after), **kw)
