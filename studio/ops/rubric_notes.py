"""What the Rubric pane says beside its numbers (no Qt, like rubric_sample.py): components that measured
nothing and why, and which components learned from the very ratings the Spearman is measured against."""
from __future__ import annotations

import numpy as np

from core.reward.registry import component_info
from core.reward.rubric import Rubric
from studio.ops.rubric_sample import ScoredSample, render_count_components

JUDGE_HINT = ("it needs a judge: a key such as $OPENAI_API_KEY (or a local server through "
              "$BRUSHWORK_JUDGE_BASE_URL) and love-rated images in the pool to compare with")


def unmeasured(sample: ScoredSample, rubric: Rubric) -> list[str]:
    """A line per weighted component with no value on any image of the sample: offline, a judged
    component (pairwise) is missing, its weight goes to the others, and nothing else said so."""
    lines = []
    counted = set(render_count_components(rubric)) if no_render_at_all(sample) else set()
    for spec in rubric.specs:
        if spec.weight <= 0 or spec.name not in sample.names or not len(sample.images) or spec.name in counted:
            continue  # (a component that reads the render's counts on pictures with no render: without_render says it)
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


def no_render_at_all(sample: ScoredSample) -> bool:
    """True when no picture of the sample has a stored render with its counts."""
    return bool(len(sample.images)) and sample.uncounted is not None and bool(sample.uncounted.all())


def without_render(sample: ScoredSample, rubric: Rubric) -> list[str]:
    """A line when some pictures have no stored render (imported, synthetic): their totals are made without
    the components that read what the render counted (rubric_sample.combine), and nothing else says so."""
    left_out = [f"{s.name} (gate)" if s.gate else s.name for s in rubric.specs
                if s.name in render_count_components(rubric)]
    missing = 0 if sample.uncounted is None else int(sample.uncounted.sum())
    if not left_out or not missing:
        return []
    which = (f"none of these {missing} images has a stored render" if missing == len(sample.images) else
             f"{missing} of these {len(sample.images)} images have no stored render")
    return [f"Left out: {' and '.join(left_out)}, which read the render's brush counts — {which} (imported or "
            "synthetic pictures). Their totals come from the other components."]
