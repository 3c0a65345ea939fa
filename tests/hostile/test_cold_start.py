"""A sketch that needs a cold start gets a brand-new page: its first page's unload handlers never run,
nothing it stored there reaches the second, and a hung handler cannot turn its failure into the machine's."""
from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))
from sketches import NORMAL, assert_normal  # noqa: E402

from core.render import Renderer  # noqa: E402
from core.render.clock import GRACE_S, WALL_FACTOR  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# 20 s of work in the first page's pagehide, handed to the cold page through sessionStorage if it ran.
PAGEHIDE_WORK = """
const carried = sessionStorage.getItem("work") || localStorage.getItem("work") || window.name;
function keep(what) { sessionStorage.setItem("work", what); localStorage.setItem("work", what); window.name = what; }
addEventListener("pagehide", () => { const t = performance.now(); while (performance.now() - t < 20000) {} keep("pagehide"); });
addEventListener("unload", () => keep("unload"));
addEventListener("beforeunload", () => keep("beforeunload"));
document.addEventListener("visibilitychange", () => keep("visibilitychange"));
addEventListener("freeze", () => keep("freeze"));
function setup() {
  createCanvas(512, 512, WEBGL);
  pixelDensity(2);
  if (carried) throw new Error("carried over: " + carried);
  background(255);
  noStroke();
  fill(0, 0, 255);
  rect(-40, -40, 80, 80);
}
"""

HANGING_PAGEHIDE_FAILURE = """addEventListener("pagehide", () => { while (true) {} });
addEventListener("unload", () => { while (true) {} });
function setup() {
  createCanvas(64, 64, WEBGL);
  pixelDensity(2);
  nope();
}
"""


def test_unload_handlers_of_the_first_page_never_run():
    async def main():
        async with Renderer(pool_size=1) as r:
            assert await r.wait_warm(1, timeout=120)
            return await r.render(PAGEHIDE_WORK, timeout=5, use_cache=False)

    result = asyncio.run(main())
    print(f"\npagehide attack: {result.error and result.error.kind or 'ok'} in {result.ms / 1000:.1f} s, "
          f"charged {result.charged_ms:.0f} ms")
    assert result.ok, result.error  # "carried over" would be a runtime error
    assert result.ms < 20_000, "the 20 s pagehide handler ran"


def test_a_hung_pagehide_does_not_make_a_failure_the_machines():
    """The sketch's own error, at its line, in well under a timeout; the render queued behind it is not held."""
    timeout = 5.0

    async def main():
        async with Renderer(pool_size=1) as r:
            assert await r.wait_warm(1, timeout=120)
            t0 = time.perf_counter()
            attacked = asyncio.ensure_future(r.render(HANGING_PAGEHIDE_FAILURE, size=64, timeout=timeout, use_cache=False))
            await asyncio.sleep(0.05)
            innocent = asyncio.ensure_future(r.render(NORMAL, timeout=30, use_cache=False))
            a = await attacked
            b = await innocent
            return a, b, time.perf_counter() - t0

    attacked, innocent, wall = asyncio.run(main())
    print(f"\nhung pagehide + error: {attacked.error.kind} in {attacked.ms / 1000:.1f} s; the render queued "
          f"behind it done after {wall:.1f} s")
    assert attacked.error.kind == "runtime" and attacked.error.line == 6, attacked.error
    assert attacked.ms / 1000 < timeout * WALL_FACTOR + GRACE_S
    assert innocent.ok, innocent.error
    assert_normal(innocent.png)
