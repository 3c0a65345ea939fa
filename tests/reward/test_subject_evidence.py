"""subject/evidence.py: where the recogniser's confidence rests. Shipped training renders of the corpus
apple (tests/fixtures/subject_inks.npz) beside a swatch of ink of their own, read by the session's recogniser:
the evidence is the apple, not the swatch, whichever side of the page the swatch lies."""
from __future__ import annotations

import numpy as np
import pytest
import subject_inks

from core.reward.imagestats import LAYOUT_DELTA_E
from core.reward.subject.evidence import evidence_mask
from core.reward.subject.features import INK_FULL
from core.reward.subject.model import load


def _apples() -> list[np.ndarray]:
    rendered, _, _ = subject_inks.load()
    return [ink for label, ink in rendered if label == "apple"]


def test_a_blank_page_has_no_evidence(recogniser):
    weights, meta = load(recogniser)
    assert evidence_mask(np.zeros((128, 128), np.float32), weights, meta.labels.index("apple")) is None


@pytest.mark.parametrize("corner", ["top", "bottom"])
def test_the_evidence_is_the_apple_and_not_a_swatch_beside_it(recogniser, corner):
    weights, meta = load(recogniser)
    label = meta.labels.index("apple")
    checked = 0
    for apple in _apples():
        figure = apple > LAYOUT_DELTA_E / INK_FULL
        ys, _ = np.nonzero(figure)
        rows = slice(2, 20) if corner == "top" else slice(108, 126)
        if (ys.min() < 24 if corner == "top" else ys.max() > 104):
            continue  # no room for a swatch that does not touch the apple
        page = apple.copy()
        page[rows, 20:108] = 0.9  # a dense flat swatch, wider than the apple
        mask = evidence_mask(page, weights, label)
        assert mask is not None
        assert not mask[rows, 20:108].any(), "the swatch was taken for the apple"
        assert (mask & figure).sum() >= 0.8 * figure.sum(), "most of the apple should be evidence"
        checked += 1
    assert checked >= 2, "too few shipped apple renders left room for a swatch"
