"""The independent second opinion is a signal the training rubric does not contain."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.reward import load_rubric
from core.train.independent import independent_signal
from core.train.rundir import RunError


def test_auto_picks_the_learned_model_when_the_rubric_lacks_it(tmp_path: Path):
    signal, why = independent_signal("auto", load_rubric("offline-default"), tmp_path)
    assert signal is not None and why == "" and signal.label == "learned reward model"
    assert [s.fn for s in signal.rubric.specs] == ["preference"]


def test_auto_falls_back_to_offline_components_the_rubric_does_not_use(tmp_path: Path):
    # seed-v2 fills its HPSv3 slot with the learned model: that model is not independent of it
    training = load_rubric("seed-v2-four-signals")
    signal, _ = independent_signal("auto", training, tmp_path)
    used = {s.fn for s in training.specs} | {"preference"}
    assert signal is not None and not used & {s.fn for s in signal.rubric.specs}
    assert "colour_adherence" in signal.rubric.components and "offline-default" in signal.label
    # a judged workstation rubric without a trained model gets the image statistics too
    signal, _ = independent_signal("auto", load_rubric("pairwise-local"), None)
    assert signal is not None and {"structure", "length_binary", "pairwise"}.isdisjoint(s.fn for s in signal.rubric.specs)


def test_none_when_nothing_independent_is_left_and_errors_for_an_explicit_choice():
    signal, why = independent_signal("auto", load_rubric("offline-default"), None)
    assert signal is None and "no learned reward model" in why and "already in the training rubric" in why
    with pytest.raises(RunError, match="no learned reward model was pinned"):
        independent_signal("preference", load_rubric("offline-default"), None)
    with pytest.raises(RunError, match="every component of offline-default is already"):
        independent_signal("offline-default", load_rubric("offline-default"), None)
    assert independent_signal("none", load_rubric("offline-default"), None)[0] is None
