"""Pictures with no stored render (synthetic, imported) still get totals in the Rubric pane: made without the
components that read what the render counted, while a picture whose render is stored keeps the full rubric.
A real SQLite pool, a real render for the one picture that has it, the pane's own scoring process."""
from __future__ import annotations

import asyncio

import numpy as np
import pytest

from core.pool import RatingPool
from core.pool.demo_sketches import starter_sketches
from core.reward import load_rubric
from studio.ops.rubric import score_sample, shutdown_executor
from studio.ops.rubric_notes import unmeasured, without_render
from studio.ops.rubric_sample import Setting, combine, render_count_components, without_render_counts
from tests.synthetic_pool import fill_pool

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _render_and_add(pool: RatingPool, code: str, prompt: str) -> int:
    from core.render import Renderer

    async def go() -> bytes:
        renderer = Renderer(pool_size=1, store=pool.store)
        try:
            result = await renderer.render(code, seed=0, size=128, timeout=120)
        finally:
            await renderer.close()
        assert result.ok and result.brush_calls, result.error
        return result.png
    return pool.add_image(asyncio.run(go()), prompt=prompt, code=code).image.id


def test_unrendered_pictures_are_totalled_without_the_render_counts_and_the_banner_says_so(store):
    pool = RatingPool(store)
    fill_pool(pool, per_tier=3)
    starter = next(s for s in starter_sketches(1) if s.tier == "love")
    rendered = _render_and_add(pool, starter.code, "a flower in watercolour")
    pool.rate(rendered, "love")
    rubric = load_rubric("offline-default")
    assert render_count_components(rubric) == ["structure", "brush_variety"]
    try:
        sample = asyncio.run(score_sample(pool, rubric, n=40))
    finally:
        shutdown_executor()
    ids = [im.id for im in sample.images]
    assert len(ids) == 10 and sample.uncounted is not None
    assert [bool(u) for u in sample.uncounted] == [i != rendered for i in ids]
    row, col = ids.index(rendered), sample.names.index

    full = rubric.combine(sample.values, sample.prompts, names=sample.names)
    structure = sample.values[:, col("structure")]
    # The rule itself: an unmeasured gate gives no total, so without help every synthetic picture would
    # vanish from the ranking (and the Spearman with it) ...
    unknown = sample.uncounted & np.isnan(structure)
    assert unknown.any() and np.isnan(full[unknown]).any()
    assert (np.isnan(full[unknown]) | (full[unknown] == 0.0)).all()  # (0: another gate closed it)
    # ... while the rendered picture was measured by every component and keeps the full rubric's total.
    assert structure[row] == 1.0 and np.isfinite(sample.values[row, col("brush_variety")])
    totals = combine(sample, {s.name: Setting(s.weight, s.gate) for s in rubric.specs})  # the preset's sliders
    assert np.isfinite(full[row]) and totals[row] == full[row]
    # The pictures without a render get the total of the rubric without structure and brush_variety.
    reduced = without_render_counts(rubric).combine(sample.values, sample.prompts, names=sample.names)
    fill = sample.uncounted & np.isnan(full)
    assert fill.any() and np.isfinite(totals[fill]).all() and np.array_equal(totals[fill], reduced[fill])
    # a gate closed without a render (blank: structure; flat clip-art: brushwork) keeps its 0
    assert np.all(totals[full == 0.0] == 0.0) and (structure == 0.0).any()

    lines = without_render(sample, rubric)
    assert lines == ["Left out: structure (gate) and brush_variety, which read the render's brush counts — 9 of "
                     "these 10 images have no stored render (imported or synthetic pictures). Their totals come "
                     "from the other components."]
    # brush_variety was measured on the rendered picture: not "contributes nothing"
    assert not any(line.startswith("brush_variety") for line in unmeasured(sample, rubric))
