"""The shipped training renders of the subject recogniser (tests/subject_inks.py) are what the sandbox makes
now: the same sketches as the corpus writes them, and fresh renders of every seventh one (each label) match."""
from __future__ import annotations

import asyncio

import numpy as np
import pytest
import subject_inks

from core.reward.subject.features import figure_box
from core.reward.subject.sketches import LABELS
from core.reward.subject.train import render_inks

STRIDE = 7  # 13 of the 88 sketches, every label among them


def test_the_shipped_renders_are_of_the_sketches_the_corpus_makes_now():
    rendered, hashes, settings = subject_inks.load()
    made = subject_inks.sketches()
    assert settings == subject_inks.SETTINGS
    assert [label for label, _ in rendered] == [label for label, _ in made], \
        f"the recogniser's training sketches changed: regenerate with {subject_inks.REGENERATE}"
    stale = [i for i, ((_, code), h) in enumerate(zip(made, hashes, strict=True)) if subject_inks.code_hash(code) != h]
    assert not stale, f"sketches {stale} changed since they were rendered: regenerate with {subject_inks.REGENERATE}"
    assert {label for label, _ in rendered} == set(LABELS)
    assert all(ink.shape == (128, 128) and figure_box(ink) is not None for _, ink in rendered)  # none is blank


@pytest.mark.browser
@pytest.mark.slow
def test_fresh_renders_match_the_shipped_ones():
    rendered, _, settings = subject_inks.load()
    made = subject_inks.sketches()
    picked = list(range(0, len(made), STRIDE))
    assert {made[i][0] for i in picked} == set(LABELS)
    fresh = asyncio.run(render_inks([made[i] for i in picked], settings["render_size"], seeds=picked))
    assert [label for label, _ in fresh] == [made[i][0] for i in picked], "a sketch did not render"
    for i, (_, ink) in zip(picked, fresh, strict=True):
        shipped = rendered[i][1]
        diff = np.abs(np.round(ink * 255.0) / 255.0 - shipped)
        # watercolour fills vary a little between runs (NOTES.md); anything more is another picture
        assert diff.mean() < 0.01 and (diff > 0.1).mean() < 0.01, \
            (i, float(diff.mean()), float((diff > 0.1).mean()), f"regenerate with {subject_inks.REGENERATE}?")
        box, ref = figure_box(ink), figure_box(shipped)
        assert box is not None and ref is not None and np.allclose(box, ref, atol=2.0), (i, box, ref)
