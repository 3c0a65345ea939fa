"""The pool under pressure: many coroutines at once, cancellation, a killed browser, clean shutdown."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from sketches import NORMAL, assert_normal, image

from core.render import Renderer
from core.render.browser import chromium_pids, descendant_pids

REPO = Path(__file__).resolve().parents[2]


def coloured(i: int) -> str:
    """A sketch whose background encodes i, so results cannot be mixed up unnoticed."""
    return f"""
function setup() {{
  createCanvas(128, 128, WEBGL);
  background({i * 20}, 100, 50);
  fill(255);
  rect(0, 0, 20, 20);
}}
"""


def test_many_coroutines_at_once(renderer):
    # Eight blocking calls from eight threads are eight render() coroutines at once on the session
    # renderer's event loop (SyncRenderer queues them there), four times its two pages.
    with ThreadPoolExecutor(8) as threads:
        results = list(threads.map(lambda i: renderer.render(coloured(i), size=128, use_cache=False), range(8)))
    for i, result in enumerate(results):
        assert result.ok, result.error
        assert image(result.png).getpixel((5, 5))[:3] == (i * 20, 100, 50)


def test_cancelled_render_leaves_the_pool_healthy():
    forever = "function setup() { createCanvas(64, 64, WEBGL); while (true) {} }"

    async def main():
        async with Renderer(pool_size=1) as r:  # one page: the next render must get it back, reloaded
            assert await r.wait_warm(1, timeout=60)
            before = chromium_cpu_s()
            task = asyncio.ensure_future(r.render(forever, timeout=60, use_cache=False))
            # cancelled inside the loop: seen from outside, Chromium burns half a CPU-second more than idle
            deadline = time.monotonic() + 60
            while chromium_cpu_s() - before < 0.5:
                assert time.monotonic() < deadline and not task.done(), "the sketch never started its loop"
                await asyncio.sleep(0.05)
            task.cancel()
            t0 = time.perf_counter()
            try:
                await task
            except asyncio.CancelledError:
                pass
            cancel_s = time.perf_counter() - t0
            after = await r.render(NORMAL, timeout=20, use_cache=False)
            return cancel_s, after

    cancel_s, after = asyncio.run(main())
    assert cancel_s < 1.0
    assert after.ok, after.error
    assert_normal(after.png)


def test_cancel_at_any_step_of_the_page_handover_leaks_no_page():
    """A render cancelled the moment its page is handed over (the Library's job cancelled from the status
    bar) gives that page back: a leaked page is never replaced, and a pool of one would wait for good."""

    async def main():
        async with Renderer(pool_size=1) as r:
            assert await r.wait_warm(1, timeout=60)
            for steps in range(4):  # cancel after 0, 1, 2, 3 turns of the loop: step 1 lands in the gap
                task = asyncio.ensure_future(r.render(NORMAL, size=64, use_cache=False))
                for _ in range(steps):
                    await asyncio.sleep(0)
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
                assert r._pool._owned <= r._pool.size, steps  # noqa: SLF001
                assert await r.wait_warm(1, timeout=60), f"no page came back after a cancel at step {steps}"
            return await r.render(NORMAL, timeout=20, use_cache=False)

    after = asyncio.run(main())
    assert after.ok, after.error
    assert_normal(after.png)


def chromium_cpu_s() -> float:
    """CPU seconds this process's Chromium processes have used so far (read from outside the page)."""
    total = 0.0
    for pid in chromium_pids():
        try:
            t = psutil.Process(pid).cpu_times()
        except psutil.Error:  # gone meanwhile
            continue
        total += t.user + t.system
    return total


def _browser_pid(root: int) -> int:
    """The main Chromium process below `root` (the one whose parent is not Chromium)."""
    procs = descendant_pids(root)
    for pid, name in procs.items():
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        if "chrom" in name.lower() and "chrom" not in procs.get(parent, ""):
            return pid
    raise AssertionError(f"no chromium among {procs}")


def test_killed_browser_is_relaunched_on_the_next_render():
    script = f"""
import asyncio, json, os, signal, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from sketches import NORMAL
from test_render_pages import _browser_pid
from core.render import Renderer
from core.render.browser import descendant_pids

async def main():
    async with Renderer(pool_size=1) as r:
        first = await r.render(NORMAL, use_cache=False)
        pid = _browser_pid(os.getpid())
        os.kill(pid, signal.SIGKILL)
        while pid in descendant_pids(os.getpid()):  # until the kernel has it (zombies are not listed)
            await asyncio.sleep(0.01)
        second = await r.render(NORMAL, timeout=20, use_cache=False)
        print(json.dumps([first.ok, second.ok, second.error and second.error.kind, r.browser_launches]))

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    first_ok, second_ok, second_kind, launches = json.loads(out.stdout.strip().splitlines()[-1])
    assert first_ok and second_ok, second_kind
    assert launches == 2


def test_close_leaves_no_chromium_behind():
    # In a child process, so the session renderer's own Chromium cannot blur the count.
    script = """
import asyncio, json, sys
from core.render import Renderer
from core.render.browser import chromium_pids

async def main():
    r = Renderer(pool_size=2)
    await r.start()
    await r.wait_warm(2)
    ok = (await r.render("function setup(){ createCanvas(64,64,WEBGL); background(0); rect(0,0,9,9); }",
                          size=64, use_cache=False)).ok
    during = chromium_pids()
    await r.close()  # returns once the browser's whole process tree is gone
    print(json.dumps([ok, len(during), chromium_pids()]))

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    ok, during, after = json.loads(out.stdout.strip().splitlines()[-1])
    assert ok
    assert during >= 3  # browser + GPU/utility + renderer processes were really there
    assert after == []


def test_descendant_scan_sees_children():
    child = subprocess.Popen(["sleep", "5"])
    try:
        assert child.pid in descendant_pids(os.getpid())
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait()


def test_a_failed_page_load_is_replaced_not_fatal(monkeypatch):
    """One harness page that fails to load (e.g. interrupted) must not leave the pool short for good."""
    import core.render.pages as pool_module

    real_open = pool_module.open_warm_page
    failures = {"left": 1}

    async def flaky_open(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("interrupted page load")
        return await real_open(*args, **kwargs)

    monkeypatch.setattr(pool_module, "open_warm_page", flaky_open)

    async def main():
        async with Renderer(pool_size=1) as r:
            first = await r.render(NORMAL, use_cache=False)
            second = await r.render(NORMAL, use_cache=False)
            return first, second

    first, second = asyncio.run(main())
    assert failures["left"] == 0  # the failure really happened
    assert first.ok, first.error
    assert second.ok, second.error
    assert_normal(second.png)


def test_a_steady_stream_of_renders_never_piles_up_finished_pages():
    """Two renders always in flight (a folder, a pool, a held-out set) keep the pool busy for good. Each
    sketch ends quietly holding a 120 MB heap: finished pages must not wait to be closed until the stream
    ends, or they add up past the memory cap and fail renders that did nothing wrong."""
    from core.render import SyncRenderer

    heavy = """
let keep;
function setup() {
  createCanvas(64, 64, WEBGL);
  keep = new Float64Array(15e6).fill(%d);  // 120 MB, still referenced when the sketch has finished
  background(keep[0] * 10 %% 255, 90, 60);
  fill(255);
  rect(0, 0, 20, 20);
}
"""
    with SyncRenderer(pool_size=2, memory_mb=1536) as r:
        if r.renderer.sandbox.get("caps") != "cgroup":
            pytest.skip("no memory cgroup here: the cap is per process (prlimit), nothing adds up")
        with ThreadPoolExecutor(2) as threads:
            results = list(threads.map(lambda i: r.render(heavy % i, size=64, timeout=30, use_cache=False),
                                       range(16)))
    assert [res.error for res in results if not res.ok] == []


def test_a_neighbours_memory_bomb_does_not_fail_a_render_beside_it():
    """The memory cap is the browser's, shared by the renders in flight: the kill lands on the page that
    grew (its render: `memory`), and a render beside it that finished on a page still alive keeps its
    picture, rather than being blamed for a kill it did not cause (in a GRPO group, a bomb would zero
    its neighbours and raise its own advantage)."""
    from core.render import SyncRenderer

    bomb = """
const hoard = [];
function setup() {
  createCanvas(64, 64, WEBGL);
  for (;;) hoard.push(new Float64Array(2e7).fill(1.5));  // 160 MB a step, outside V8's heap limit
}
"""
    innocent = """
function setup() {
  createCanvas(64, 64, WEBGL);
  background(30, 90, 160);
  const until = Date.now() + 2500;  // still running while the bomb grows and is killed
  while (Date.now() < until) {}
  fill(255);
  rect(0, 0, 20, 20);
}
"""
    with SyncRenderer(pool_size=2, memory_mb=1536) as r:
        if r.renderer.sandbox.get("caps") != "cgroup":
            pytest.skip("no memory cgroup here: each process has its own cap (prlimit), nothing is shared")
        assert r.wait_warm(2, timeout=60)
        with ThreadPoolExecutor(2) as threads:
            beside = threads.submit(r.render, innocent, size=64, timeout=30, use_cache=False)
            time.sleep(0.3)
            bombed = threads.submit(r.render, bomb, size=64, timeout=30, use_cache=False)
            beside, bombed = beside.result(), bombed.result()
    assert bombed.error is not None and bombed.error.kind == "memory", bombed.error
    assert beside.ok, beside.error
