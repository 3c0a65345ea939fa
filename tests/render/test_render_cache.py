"""The content-addressed render cache: the same code, seed and size never render twice."""
from __future__ import annotations

import pytest
from sketches import NORMAL


@pytest.fixture
def cached(renderer, store):
    """The session's warm renderer with this test's Store as its cache (no browser launch per test)."""
    renderer.renderer.store = store
    try:
        yield renderer
    finally:
        renderer.renderer.store = None


def test_cache_hit_through_the_store(cached, store):
    first = cached.render(NORMAL, seed=3)
    again = cached.render(NORMAL, seed=3)
    other_seed = cached.render(NORMAL, seed=4)
    draft = cached.render(NORMAL, seed=5, pixel_density=0.5)
    bypass = cached.render(NORMAL, seed=3, use_cache=False)
    assert first.ok and not first.cached
    assert again.cached and again.ok and again.png == first.png
    assert again.ms < first.ms
    assert not other_seed.cached
    assert not draft.cached and store.find_render(NORMAL, 5, 512, 512) is None  # drafts are not kept
    assert not bypass.cached
    rec = store.find_render(NORMAL, 3, 512, 512)
    assert rec is not None and rec.ok and rec.png_path.read_bytes() == first.png


def test_errors_are_cached_but_timeouts_are_not(cached):
    broken = "function setup() { createCanvas(64, 64, WEBGL);\n  nope(); }"
    slow = "function setup() { createCanvas(64, 64, WEBGL); while (true) {} }"
    # A 1 s budget: start with both pages loaded, so no page load shares the GPU process with the sketch.
    assert cached.wait_warm(2, timeout=120)
    b1, b2, s1, s2 = [cached.render(code, size=64, timeout=1.0) for code in (broken, broken, slow, slow)]
    assert b1.error.kind == "runtime" and not b1.cached
    assert b2.cached and b2.error == b1.error
    # A wall-bound stop on a machine others crowd is `overloaded`: uncached just the same.
    assert s1.error.kind in ("timeout", "overloaded") and not s2.cached


def test_identical_renders_at_once_open_one_context(cached, store):
    """A GRPO group's identical completions arrive together: the first renders, the others wait for it and
    take its cached result; another seed or size is another render, and without a store nothing is shared."""
    import asyncio

    code = NORMAL + "\n// twins\n"  # code no other test renders
    assert cached.wait_warm(2, timeout=120)
    inner = cached.renderer
    opened = sum(p.pages_opened for p in inner._fleet.pools)  # noqa: SLF001

    async def group():
        return await asyncio.gather(*(inner.render(code, seed=7, size=96, timeout=30) for _ in range(3)),
                                    inner.render(code, seed=8, size=96, timeout=30))

    *twins, other = cached._call(group())  # noqa: SLF001 (the renderer's own loop)
    assert all(r.ok for r in (*twins, other)), [r.error for r in (*twins, other)]
    assert sorted(r.cached for r in twins) == [False, True, True]
    assert twins[0].png == twins[1].png == twins[2].png and not other.cached
    assert not inner._inflight  # noqa: SLF001 (every claim released)
    # two renders ran (seeds 7 and 8): two pages used, so at most two replacements loaded since
    assert cached.wait_warm(2, timeout=120)
    assert sum(p.pages_opened for p in inner._fleet.pools) - opened <= 2  # noqa: SLF001
