"""The content-addressed render cache: the same code, seed and size never render twice."""
from __future__ import annotations

import asyncio

from sketches import NORMAL

from core.render import Renderer


def test_cache_hit_through_the_store(store):
    async def main():
        async with Renderer(pool_size=1, store=store) as r:
            first = await r.render(NORMAL, seed=3)
            again = await r.render(NORMAL, seed=3)
            other_seed = await r.render(NORMAL, seed=4)
            draft = await r.render(NORMAL, seed=5, pixel_density=0.5)
            bypass = await r.render(NORMAL, seed=3, use_cache=False)
            return first, again, other_seed, draft, bypass

    first, again, other_seed, draft, bypass = asyncio.run(main())
    assert first.ok and not first.cached
    assert again.cached and again.ok and again.png == first.png
    assert again.ms < first.ms
    assert not other_seed.cached
    assert not draft.cached and store.find_render(NORMAL, 5, 512, 512) is None  # drafts are not kept
    assert not bypass.cached
    rec = store.find_render(NORMAL, 3, 512, 512)
    assert rec is not None and rec.ok and rec.png_path.read_bytes() == first.png


def test_errors_are_cached_but_timeouts_are_not(store):
    broken = "function setup() { createCanvas(64, 64, WEBGL);\n  nope(); }"
    slow = "function setup() { createCanvas(64, 64, WEBGL); while (true) {} }"

    async def main():
        async with Renderer(pool_size=1, store=store) as r:
            return [await r.render(code, size=64, timeout=1.0) for code in (broken, broken, slow, slow)]

    b1, b2, s1, s2 = asyncio.run(main())
    assert b1.error.kind == "runtime" and not b1.cached
    assert b2.cached and b2.error == b1.error
    assert s1.error.kind == "timeout" and not s2.cached
