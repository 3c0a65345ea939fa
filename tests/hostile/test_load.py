"""Load is not the sketch's fault: 4 × cores renders at once, each needing about one CPU-second, all finish.

Without the bound on running sketches (and the clock that does not charge run-queue waits), each would
share a core with three others and take ~4 s of wall time against its 3 s timeout; `brushwork bench
render --oversubscribe 4` prints the before / after counts.
"""
from __future__ import annotations

import asyncio
import os
import time

import pytest

from core.render import Renderer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Fixed work (not a wall-clock loop): about a second of one core on a 2020s CPU.
WORK = """
function setup() {
  createCanvas(64, 64, WEBGL);
  let a = 0;
  for (let i = 0; i < 4e8; i++) { a = (a + i * 7) %% 1000003; }
  background(%d, a %% 200, 90);
  rect(0, 0, 10, 10);
}
"""


def test_oversubscribed_renders_do_not_time_out():
    cores = os.cpu_count() or 1
    n = 4 * cores
    if os.getloadavg()[0] > 3 * cores:  # others already hold the machine past what this test adds
        pytest.skip(f"load average {os.getloadavg()[0]:.0f} on {cores} cores: the machine is already "
                    "oversubscribed beyond the 4× this test measures (see clock.WALL_FACTOR)")

    async def main():
        async with Renderer(pool_size=2 * cores) as r:
            solo = await r.render(WORK % 0, size=64, timeout=120, use_cache=False)
            t0 = time.perf_counter()
            results = await asyncio.gather(*(r.render(WORK % (i + 1), size=64, timeout=max(3.0, 3 * solo.sketch_ms / 1000),
                                                      use_cache=False) for i in range(n)))
            return solo, results, time.perf_counter() - t0

    solo, results, wall = asyncio.run(main())
    assert solo.ok, solo.error
    timeouts = [r.error for r in results if r.error and r.error.kind == "timeout"]
    print(f"\n{n} renders at once on {cores} cores: solo sketch {solo.sketch_ms:.0f} ms, "
          f"batch wall {wall:.1f} s, timeouts {len(timeouts)}")
    assert timeouts == []
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]


def test_cpu_cap_throttles_the_browser_not_the_sketch_clock(monkeypatch):
    """With the browser tree capped at 0.4 of a core, a spinning sketch is throttled (cpu.stat says so),
    yet the clock charges it about its CPU time, well under its wall time, and a timeout under that wall
    time does not fire: throttled time is the cap's, not the sketch's. (Uncapped on an idle machine,
    charged ≥ in-page time.)"""
    monkeypatch.setenv("BRUSHWORK_RENDER_CPUS", "0.4")
    spin = WORK.replace("4e8", "6e7") % 1

    async def main():
        async with Renderer(pool_size=1) as r:
            jail = r._pool.jail  # noqa: SLF001 (the cgroup is the thing under test)
            if jail.cpu_cgroup is None:
                return None
            first = await r.render(spin, size=64, timeout=60, use_cache=False)
            stat = (jail.cpu_cgroup / "cpu.stat").read_text()
            second = await r.render(spin, size=64, timeout=max(0.5, 0.9 * first.sketch_ms / 1000), use_cache=False)
            return r.sandbox, first, stat, second

    out = asyncio.run(main())
    if out is None:
        pytest.skip("no writable cpu cgroup here")
    sandbox, first, stat, second = out
    throttled = dict(line.split() for line in stat.splitlines())
    print(f"\nunder a 0.4-CPU cap: sketch {first.sketch_ms:.0f} ms in the page, charged {first.charged_ms:.0f} ms; "
          f"then {second.sketch_ms and round(second.sketch_ms)} ms in the page, charged "
          f"{second.charged_ms and round(second.charged_ms)} ms, with a {0.9 * first.sketch_ms / 1000:.2f} s timeout; "
          f"{throttled.get('nr_throttled')} throttled periods")
    assert sandbox["cpus"] == 0.4
    assert first.ok, first.error
    assert int(throttled.get("nr_throttled", throttled.get("nr_throttled_periods", 0))) > 0
    # charged about its CPU time (0.4 of its wall time): neither the cap's throttling (0.8) nor next to
    # nothing, which is what watching a spare renderer instead of the page's own would give (0.2)
    for render in (first, second):
        assert 0.2 * render.sketch_ms < render.charged_ms < 0.8 * render.sketch_ms, render
    assert second.ok, second.error
