"""The demo pool: starters and variations as love / okay, poor procedural sketches as nope, labelled demo."""
from __future__ import annotations

import pytest

from core.pool.demo import DEMO_PREFIX, build_demo_pool, is_demo, strip_demo, training_images
from core.pool.demo_sketches import NOPE_MAKERS, demo_sketches, muddy, nope_sketches, starter_sketches
from core.sketch.check import check
from tests.synthetic_pool import love_png


def test_the_demo_sketches_cover_every_tier_and_every_poor_kind():
    sketches = demo_sketches()
    tiers = {t: sum(s.tier == t for s in sketches) for t in ("love", "okay", "nope")}
    assert 50 <= len(sketches) <= 70
    assert tiers["love"] >= 20 and tiers["okay"] >= 10 and tiers["nope"] == 5 * len(NOPE_MAKERS)
    kinds = {s.name.split("-")[0] for s in nope_sketches()}
    assert kinds == {"flat_fill", "one_blob", "scribble", "clipart_flower"}
    for s in sketches:
        report = check(s.code)
        assert report.uses_brush, s.name


def test_the_okay_variation_is_washed_out():
    code = 'brush.fill("#ff0000", 200);\nbrush.scaleBrushes(2);'
    out = muddy(code)
    assert "#ff0000" not in out and "scaleBrushes(1.20)" in out
    assert any(s.tier == "okay" and "~muddy" in s.name for s in starter_sketches())


@pytest.mark.browser
@pytest.mark.slow
def test_build_renders_rates_and_labels_a_demo_pool(pool, renderer):
    sketches = [s for s in starter_sketches(1) if "simple-line" in s.name] + nope_sketches(1)[:2]
    renders = {}

    class Recorded:  # the second build gets the same renders back (seeded determinism: tests/render)
        def render(self, code, seed=0, size=512, timeout=10.0):
            key = (code, seed, size)
            if key not in renders:
                renders[key] = renderer.render(code, seed=seed, size=size, timeout=timeout)
            return renders[key]

    report = build_demo_pool(pool, Recorded(), sketches, size=128)
    assert report.failed == [] and report.added == 3
    images = pool.images()
    assert len(images) == 3 and all(is_demo(im) and im.source == "supplement" for im in images)
    assert sorted(im.tier for im in images) == ["nope", "nope", "okay"]
    assert all(im.width == 128 for im in images)
    assert strip_demo(images[0].prompt) == images[0].prompt[len(DEMO_PREFIX):]
    again = build_demo_pool(pool, Recorded(), sketches, size=128)  # idempotent: same renders, same images
    assert again.added == 0 and again.duplicates == 3 and len(pool.images()) == 3


def test_own_ratings_replace_the_demo_pool(pool):
    for i in range(3):
        pool.rate(pool.add_image(love_png(i), prompt=f"{DEMO_PREFIX}demo {i}").image.id, "love")
    assert len(training_images(pool, min_own=2)) == 3
    for i in range(2):
        pool.rate(pool.add_image(love_png(10 + i), prompt=f"mine {i}").image.id, "okay")
    own = training_images(pool, min_own=2)
    assert len(own) == 2 and not any(is_demo(im) for im in own)
