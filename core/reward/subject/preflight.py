"""The subject component's preflight (core/reward/preflight.py): without a trained recogniser here, every
rollout's subject is None and a run would silently train on the rest of the rubric, so it refuses first.

It refuses, too, a run whose prompts ask for subjects the recogniser never learnt: there the subject is None
for every rollout, and what is left of offline-default cannot tell a painting of the subject from any
picture in the prompt's colours (measured 2026-12-07 at 512 px: red and green bars drawn with four brushes
0.995, the poppies starter 0.981). A judge can tell them apart; the offline rubric cannot.
"""
from __future__ import annotations

from typing import Any

from core.reward.registry import register_preflight
from core.reward.subject.model import read_meta, recogniser_problem
from core.reward.subject.vocabulary import SUBJECT_WORDS, subject_of

HOW_TO_TRAIN = ("(a few minutes, mostly rendering), or press Train recogniser in the Train pane's box of what a run "
                "needs")
SHOWN = 3  # unjudged prompts quoted in the refusal


def recogniser_ready(params: dict[str, Any], ctx: Any = None) -> str | None:
    """None when a recogniser loads here and knows the subject of every prompt of the run, else what is wrong
    and what to do."""
    problem = recogniser_problem()
    if problem is not None:
        return f"{problem} {HOW_TO_TRAIN}."  # its message ends in the command that trains one
    prompts = list(dict.fromkeys(getattr(ctx, "prompts", ()) or ()))
    meta = read_meta()
    words = meta.words if meta is not None and meta.words else SUBJECT_WORDS
    unjudged = [p for p in prompts if subject_of(p, words) is None]
    if not unjudged:
        return None
    quoted = "; ".join(repr(p) for p in unjudged[:SHOWN]) + (" ..." if len(unjudged) > SHOWN else "")
    return (f"{len(unjudged)} of the run's {len(prompts)} prompts ask for a subject the recogniser does not know "
            f"({quoted}); it knows {', '.join(sorted(words))}, worded as the corpus words them (an article, a number, "
            f"a size, a colour: not \"a lone bare tree\"). On those prompts this rubric cannot tell a "
            "painting of the subject from a pattern in the prompt's colours, and training would learn the pattern. "
            "Train them with a judge (reward.rubric = \"pairwise-local\" or \"seed-v2-four-signals\"), or use "
            "prompts the recogniser knows (prompts.train_prompts = \"procedural\").")


register_preflight("subject", recogniser_ready)
