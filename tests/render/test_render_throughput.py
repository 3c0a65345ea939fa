"""Throughput without giving up isolation: pages load side by side, refills wait for the group, a pool
sized to a group within memory, several browsers on one code path, a CPU share instead of a hard cap."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest
from sketches import NORMAL, assert_normal, image

from core.paths import REPO_ROOT as REPO
from core.render import Renderer
from core.render.clock import cpu_time
from core.render.jail import CPU_PERIOD_US, cpu_weight
from core.render.pages import PAGE_MB, SKETCH_RESERVE_MB, max_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Busy for ~0.3 s of its own CPU, then a square whose shade encodes i: results cannot be mixed up.
WORK = """
function setup() {
  createCanvas(64, 64, WEBGL);
  let x = 0; const t = performance.now();
  while (performance.now() - t < 300) { x += Math.sqrt(x + 1); }
  background(%d, 80, 40);
  brush.set("HB", "#000000", 1);
  brush.line(-20, 0, 20, 0);
}
"""


def shade(png: bytes) -> int:
    return image(png).getpixel((2, 2))[0]


async def _spin_owner(r: Renderer, wp) -> int:
    """The renderer process whose main thread works while this page spins 300 ms (slow and sure)."""
    pids = wp.pool.jail.page_renderers()
    before = {p: cpu_time(p) or 0.0 for p in pids}
    await wp.cdp.send("Runtime.evaluate", {"expression": "{ const t = performance.now(); "
                                                         "while (performance.now() - t < 300) {} }",
                                           "contextId": wp.world})
    return max(pids, key=lambda p: (cpu_time(p) or 0.0) - before[p])


def test_pages_load_side_by_side_and_each_knows_its_own_renderer():
    async def main():
        r = Renderer(pool_size=4)
        async with r:
            pool = r._pool  # noqa: SLF001 (its loads are the thing under test)
            most = 0
            while pool.ready_count < 4:
                most = max(most, pool._loading)  # noqa: SLF001
                await asyncio.sleep(0.005)
            pages = list(pool._warm.ready._queue)  # noqa: SLF001
            owners = [await _spin_owner(r, wp) for wp in pages]
            return most, [wp.renderer_pid for wp in pages], owners

    most, found, owners = asyncio.run(main())
    assert most >= 2, "page loads ran one at a time"
    assert None not in found and len(set(found)) == 4
    assert found == owners  # the pid each page found is the process that runs it


def test_refills_wait_for_the_group_and_every_render_gets_a_context_of_its_own():
    async def main():
        r = Renderer(pool_size=4)
        async with r:
            assert await r.wait_warm(4, timeout=120)
            pool = r._pool  # noqa: SLF001
            opened = pool.pages_opened
            handed: list = []
            take = pool.take

            async def logged(*a, **kw):
                wp = await take(*a, **kw)
                handed.append(wp)
                return wp

            pool.take = logged
            tasks = [asyncio.ensure_future(r.render(WORK % (40 * i), use_cache=False)) for i in range(4)]
            during = 0
            while not all(t.done() for t in tasks):
                during = max(during, pool.pages_opened - opened + pool._loading)  # noqa: SLF001
                await asyncio.sleep(0.01)
            results = [t.result() for t in tasks]
            t0 = time.perf_counter()
            assert await r.wait_warm(4, timeout=120)
            refill = time.perf_counter() - t0
            await asyncio.sleep(0.5)  # the last contexts close
            return results, during, pool.pages_opened - opened, handed, refill

    results, during, opened, handed, refill = asyncio.run(main())
    for i, result in enumerate(results):
        assert result.ok, result.error
        assert shade(result.png) == 40 * i
    assert during == 0, "a page loaded while the group rendered"
    assert opened == 4, "the pool did not refill once the group was done"
    assert len({id(wp.context) for wp in handed}) == 4 and all(wp.closed for wp in handed)
    print(f"\nrefill of 4 pages after the group: {refill:.1f} s")


def test_a_render_waiting_for_a_page_gets_one_at_once():
    """Busy or not, a render with no page ready makes the pool load one (three renders on one page)."""
    async def main():
        async with Renderer(pool_size=1) as r:
            return await asyncio.gather(*(r.render(WORK % (50 * i), use_cache=False) for i in range(3)))

    for i, result in enumerate(asyncio.run(main())):
        assert result.ok, result.error
        assert shade(result.png) == 50 * i


def test_reserve_grows_the_pool_to_a_group_within_memory():
    assert max_pages(SKETCH_RESERVE_MB + 2 * PAGE_MB) == 2
    assert Renderer(pool_size=8, memory_mb=SKETCH_RESERVE_MB + 2 * PAGE_MB).pool_size == 2

    async def main():
        async with Renderer(pool_size=1) as r:
            assert await r.wait_warm(1, timeout=60)
            size = r.reserve(5)
            ok = await r.wait_warm(5, timeout=180)
            return size, ok, r.sketch_slots, r.pool_size

    size, ok, slots, pool_size = asyncio.run(main())
    assert size == pool_size == min(5, max_pages())
    assert ok
    assert slots == min(size, os.cpu_count() or 1)


def test_several_browsers_take_the_same_path(monkeypatch):
    """What a many-core machine does (one browser per 8 cores), forced on this one: two browsers, each in
    a jail of its own capped at its slice of the cores; renders land on both, each in its own context."""
    monkeypatch.setenv("BRUSHWORK_RENDER_BROWSERS", "2")

    async def main():
        async with Renderer(pool_size=4) as r:
            assert await r.wait_warm(4, timeout=180)
            pools = r._fleet.pools  # noqa: SLF001
            jails = [p.jail for p in pools]
            browser_pids = [j.browser_pid() for j in jails]
            served = [0] * len(pools)
            for i, pool in enumerate(pools):
                def counted(take, i=i):
                    async def take_and_count(*a, **kw):
                        wp = await take(*a, **kw)
                        served[i] += 1
                        return wp
                    return take_and_count
                pool.take = counted(pool.take)
            results = await asyncio.gather(*(r.render(WORK % (30 * i), use_cache=False) for i in range(6)))
            after = await r.render(NORMAL, use_cache=False)
            return r.browsers, jails, browser_pids, results, after, served, r.sketch_slots

    browsers, jails, browser_pids, results, after, used, slots = asyncio.run(main())
    assert browsers == 2
    assert None not in browser_pids and browser_pids[0] != browser_pids[1]
    assert jails[0].dir != jails[1].dir
    if jails[0].cpu_cgroup is not None:
        assert jails[0].cpu_cgroup != jails[1].cpu_cgroup
        assert jails[0].cpus == pytest.approx((os.cpu_count() or 1) / 2)
    assert slots == max(1, min(4, os.cpu_count() or 1))
    for i, result in enumerate(results):
        assert result.ok, result.error
        assert shade(result.png) == 30 * i
    assert after.ok, after.error
    assert_normal(after.png)
    assert min(used) >= 2, f"the renders were not shared between the browsers: {used}"


def test_the_browser_gets_a_cpu_share_and_the_hard_cap_is_only_a_safety_limit(monkeypatch):
    monkeypatch.delenv("BRUSHWORK_RENDER_CPUS", raising=False)

    async def main():
        async with Renderer(pool_size=1) as r:
            jail = r._pool.jail  # noqa: SLF001 (the cgroup is the thing under test)
            if jail.cpu_cgroup is None:
                return None
            files = {f.name: f.read_text().split() for f in jail.cpu_cgroup.iterdir()
                     if f.name in ("cpu.shares", "cpu.weight", "cpu.cfs_quota_us", "cpu.max")}
            return jail.cpu_version, files, r.cpu_limit, r.sandbox

    out = asyncio.run(main())
    if out is None:
        pytest.skip("no writable cpu cgroup here")
    version, files, words, sandbox = out
    cores = os.cpu_count() or 1
    weight = cpu_weight()  # 100 at nice 0 (a suite run under `nice` gets less, as its browser should)
    if version == "v1":
        assert files["cpu.shares"] == [str(max(2, weight * 1024 // 100))]
        assert int(files["cpu.cfs_quota_us"][0]) == cores * CPU_PERIOD_US  # every core: no idle one
    else:
        assert files["cpu.weight"] == [str(weight)]
        assert files["cpu.max"] == [str(cores * CPU_PERIOD_US), str(CPU_PERIOD_US)]
    assert words.startswith("share in force") and "safety limit" in words
    assert sandbox["cpu_weight"] == weight and sandbox["cpus"] == cores


@pytest.mark.parametrize(("nice", "weight"), [(0, 100), (1, 80), (5, 33), (10, 11), (19, 1), (-5, 305)])
def test_the_browser_weighs_what_one_thread_of_its_launcher_weighs(nice, weight):
    """cgroup weights ignore nice: a trainer the studio started at nice 10 gets a browser of a nice-10 thread's
    weight, not one that competes with the studio's GUI thread as an equal (kernel: 1024 at 0, 110 at 10)."""
    assert cpu_weight(nice) == weight


def test_a_niced_process_gets_a_lighter_browser(monkeypatch):
    monkeypatch.delenv("BRUSHWORK_RENDER_CPU_WEIGHT", raising=False)
    code = "import os; os.nice(10); from core.render.jail import cpu_weight; print(cpu_weight())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert int(out.stdout) == cpu_weight(os.nice(0) + 10)  # 11 from a nice-0 suite
    monkeypatch.setenv("BRUSHWORK_RENDER_CPU_WEIGHT", "250")
    assert cpu_weight(10) == 250  # the setting wins
