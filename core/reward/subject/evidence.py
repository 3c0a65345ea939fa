"""Where the recogniser finds the prompt's subject: the parts of the painting its confidence rests on.

The ink map (features.ink_map, 128-px copy) is cut into parts (connected ink, grown by a pixel so a
stroke's grain holds together). Each of the largest parts is taken away, and kept alone, and the
recogniser is asked again (one batch): a part is *evidence* when taking it away costs at least
DROP of the confidence, or when alone it keeps at least ALONE of it. A page the recogniser reads as
one part is all evidence. Colour read over the evidence is the subject's colour, not the page's: a
green apple beside a red swatch is a green apple.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

from core.reward.imagestats import LAYOUT_DELTA_E
from core.reward.subject.features import INK_FULL, input_of
from core.reward.subject.inference import probabilities

MAX_PARTS = 12   # the largest parts are tested; crumbs below them stay on the page in every test
DROP = 0.25      # taking a part away costs this share of the confidence: the subject rests on it
ALONE = 0.5      # a part alone keeps this share of the confidence: it is a subject by itself


def evidence_mask(ink: np.ndarray, weights: dict[str, np.ndarray], label: int) -> np.ndarray | None:
    """Boolean map (the ink map's shape: features.ink_map of the 128-px copy) of the ink the recogniser's
    `label` confidence rests on; None on a blank page."""
    figure = ink > LAYOUT_DELTA_E / INK_FULL
    if not figure.any():
        return None
    parts, n = ndimage.label(ndimage.binary_dilation(figure))
    if n <= 1:
        return figure
    areas = ndimage.sum(figure, parts, index=np.arange(1, n + 1))
    tested = np.argsort(areas)[::-1][:MAX_PARTS] + 1
    batch = [input_of(ink)]
    batch += [input_of(np.where(parts == k, 0.0, ink).astype(np.float32)) for k in tested]
    batch += [input_of(np.where(parts == k, ink, 0.0).astype(np.float32)) for k in tested]
    probs = probabilities(weights, np.stack(batch))[:, label]
    whole, without, alone = probs[0], probs[1:1 + len(tested)], probs[1 + len(tested):]
    chosen = (whole - without >= DROP * whole) | (alone >= ALONE * whole)
    if not chosen.any():  # the confidence rests on no one part: the part that is most a subject alone
        chosen = alone == alone.max()
    return figure & np.isin(parts, tested[chosen])
