"""What the Rubric pane says beside its numbers (no Qt, like rubric_sample.py): components that measured
nothing and why, and which components learned from the very ratings the Spearman is measured against."""
from __future__ import annotations

import numpy as np

from core.reward.registry import component_info
from core.reward.rubric import Rubric
from studio.ops.rubric_sample import ScoredSample

JUDGE_HINT = ("it needs a judge: a key such as $OPENAI_API_KEY (or a local server through "
              "$BRUSHWORK_JUDGE_BASE_URL) and love-rated images in the pool to compare with")


def unmeasured(sample: ScoredSample, rubric: Rubric) -> list[str]:
    """A line per weighted component with no value on any image of the sample: offline, a judged
    component (pairwise) is missing, its weight goes to the others, and nothing else said so."""
    lines = []
    for spec in rubric.specs:
        if spec.weight <= 0 or spec.name not in sample.names or not len(sample.images):
            continue
        column = sample.values[:, sample.names.index(spec.name)]
        if np.isfinite(column).any():
            continue
        said = [n.removeprefix(f"{spec.name}:").strip() for n in sample.notes
                if n.startswith(f"{spec.name}:") or f" {spec.name} " in f" {n} "]
        why = said[0] if said else (JUDGE_HINT if component_info(spec.fn).get("judged") else
                                    "it could not be measured on these images")
        lines.append(f"{spec.name} (weight {spec.weight:.2f}) contributes nothing here — {why}. Its weight is "
                     "spread over the components that were measured.")
    return lines


def learned_from_ratings(sample: ScoredSample, rubric: Rubric) -> list[str]:
    """Components whose values come from the learned reward model, which was trained on the pool's
    ratings: a Spearman against those same ratings flatters them."""
    names = []
    for spec in rubric.specs:
        filled = spec.fallback == "preference" and any(f"slot filled by {spec.fallback}" in n for n in sample.notes)
        if (spec.fn == "preference" or filled) and spec.name in sample.names:
            if np.isfinite(sample.values[:, sample.names.index(spec.name)]).any():
                names.append(spec.name)
    return names
