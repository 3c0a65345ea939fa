"""The independent second opinion on held-out images: a signal the policy was never trained on.

A policy that games its rubric raises the rubric's held-out figure without painting better; a signal
it never saw does not move with it, so gaming shows as a split between the two paired rises. Which
signal (`prompts.independent`):
- `auto` (default): the learned reward model (`preference`: your ratings, the painting for its prompt)
  when the training rubric does not use it and the run pinned one; otherwise the components of the
  offline-default preset that the training rubric does not use (a judged workstation rubric then gets
  the offline image statistics); otherwise none, and the run says why;
- `preference`: the learned reward model, or an error before the run starts;
- a preset name or TOML path: its components the training rubric does not use;
- `none`: off.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.reward import RewardError, Rubric, load_rubric
from core.reward.rubric import ComponentSpec
from core.train.rundir import RunError

LEARNED = "preference"
FALLBACK_PRESET = "offline-default"


@dataclass(frozen=True)
class IndependentSignal:
    """The rubric that scores held-out images a second time, and what to call it in figures."""

    rubric: Rubric
    label: str


def _functions(rubric: Rubric) -> set[str]:
    """Component functions the rubric can call, fallbacks and the learned judge included."""
    fns = {s.fn for s in rubric.specs} | {s.fallback for s in rubric.specs if s.fallback}
    if "hpsv3" in fns:  # HPSv3 without weights is filled by the learned model
        fns.add(LEARNED)
    if any(j.backend == "learned" for j in rubric.judge_settings.values()):
        fns.add(LEARNED)
    return fns


def _learned(training: Rubric, reward_model: Path | None) -> tuple[IndependentSignal | None, str]:
    if LEARNED in _functions(training):
        return None, f"the training rubric {training.name} already uses the learned reward model"
    if reward_model is None:
        return None, "no learned reward model was pinned at the start (train one: `brushwork rm train`)"
    spec = ComponentSpec(name=LEARNED, fn=LEARNED, weight=1.0)
    rubric = Rubric(name="independent-learned", specs=[spec], description="the learned reward model alone")
    return IndependentSignal(rubric, "learned reward model"), ""


def _disjoint_preset(training: Rubric, preset: str) -> tuple[IndependentSignal | None, str]:
    try:
        other = load_rubric(preset)
    except RewardError as e:
        raise RunError(f"prompts.independent: {e}") from e
    used = _functions(training)
    specs = [s for s in other.specs if s.fn not in used and (s.fallback or s.fn) not in used]
    if not any(s.weight > 0 for s in specs):
        return None, f"every component of {other.name} is already in the training rubric {training.name}"
    rubric = Rubric(name=f"independent-{other.name}", specs=specs, judge_settings=other.judge_settings,
                    description=f"{other.name} without the training rubric's components")
    names = ", ".join(s.name for s in specs if s.weight > 0)
    return IndependentSignal(rubric, f"{other.name} components the rubric lacks ({names})"), ""


def independent_signal(choice: str, training: Rubric, reward_model: Path | None) -> tuple[IndependentSignal | None, str]:
    """(the signal, "") or (None, why there is none); RunError when an explicit choice cannot be had."""
    choice = choice.strip() or "auto"
    if choice == "none":
        return None, "off (prompts.independent = none)"
    if choice == LEARNED:
        signal, why = _learned(training, reward_model)
        if signal is None:
            raise RunError(f"prompts.independent = {LEARNED!r}: {why}. Choose another signal, or auto.")
        return signal, ""
    if choice != "auto":
        signal, why = _disjoint_preset(training, choice)
        if signal is None:
            raise RunError(f"prompts.independent = {choice!r}: {why}. Choose another preset, or auto.")
        return signal, ""
    signal, why_learned = _learned(training, reward_model)
    if signal is not None:
        return signal, ""
    signal, why_preset = _disjoint_preset(training, FALLBACK_PRESET)
    if signal is not None:
        return signal, ""
    return None, f"{why_learned}; and {why_preset}"
