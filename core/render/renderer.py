"""Render p5.brush sketches to PNG in a sandboxed headless Chromium: the async `Renderer`.

Design
- Jail (core/render/jail.py): Chromium runs in its own network namespace (no socket anywhere, whatever
  API a sketch finds) and in a cgroup with a memory cap on its whole process tree (prlimit where no
  cgroup is writable); `RenderResult.sandbox` says which. Chromium flags add defence in depth.
- Pool (core/render/pages.py): `pool_size` pages, each in a browser context of its own, have already
  loaded p5, p5.brush and the harness (resources/harness/). A render takes one; afterwards the whole
  context is closed (scripts off first: no unload handler runs) and a fresh one loads in the background.
- Hot canvas: each fresh document also starts p5 ahead of time with a 512×512 WEBGL canvas on which
  p5.brush has drawn once; the sketch's createCanvas(w, h, WEBGL) reuses it, wiped. A sketch that wants
  anything else (P2D, another pixel density, setAttributes, two canvases) is run again on a second,
  brand-new page in its own context where p5 starts the ordinary way (the pool keeps one such cold page
  ready): its first page is stopped and frozen, so none of its unload handlers or storage reach the
  second, and the time of both runs is charged.
- Truth (core/render/capture.py, judge.py): the page's own answer only words the result. Errors come from
  CDP `Runtime.exceptionThrown` with V8's line (not e.stack); the picture is the isolated world's snapshot,
  taken the moment the harness answers, of a canvas the harness made before the sketch ran (any other
  canvas is `forbidden`), then checked here (PNG signature, size, blank); brush calls are counted on a
  node only the harness closure and that world can reach: drawing calls only when p5.brush marked the
  canvas during them (`brush_calls`), everything else apart (`brush_state`).
- Determinism: runtime.js seeds Math.random before the sketch's code runs and calls randomSeed(seed) +
  noiseSeed(seed) before setup(); strokes are then pixel-identical across renders.
- Size: the sketch's own createCanvas(w, h, WEBGL) is honoured (each side ≤ 4096 px); the PNG is always
  resampled to the requested size times pixel_density. Source over MAX_SOURCE_BYTES is refused (`input`).
- Finish: after setup() when there is no draw(); else after the frame that called noLoop(), or after
  `frames` draw() frames (default 1).
- Timeout and load: a render first takes a page (waiting in the pool's queue is not charged; no page within
  max(WALL_FACTOR × timeout, 30 s): `overloaded`), then one of `sketch_slots` (= cores) slots; its clock
  starts then. The sketch is charged for its runs, never less than its main thread's CPU time, not for a
  cold page or for time its processes waited for a CPU (clock.py). Everything while it holds the slot ends
  within WALL_FACTOR × timeout + GRACE_S: stopped at the wall bound before the sketch used its time, the
  render is `overloaded` (the machine's fault, never cached, not measured); past its time, `timeout`.
- Watchdog: on timeout the script is stopped (Runtime.terminateExecution); if the page then cannot do a
  1-pixel WebGL draw within HEALTH_S (a hung GPU process, a renderer that ignores termination), the whole
  browser tree is killed and a new browser launches at once on the same Playwright driver (a dead driver
  is replaced). A pool that opens no page for PAGE_WAIT_S: the browser and the driver are replaced.
- Errors: syntax / runtime carry line and column in the user's code; `forbidden` = the sketch tried the
  network, navigation, a popup, a dialog, a worker, a dynamic import() or another canvas (recorded outside
  its reach); `memory` = a page crash or the cgroup's out-of-memory count, never an exception's text;
  `blank` = no canvas, a shrunk drawing buffer, or one flat colour; `browser` = the browser or its driver
  really failed.
- Cache: with a Store, the same code + seed + size never renders twice (pixel_density 1, frames 1 only);
  failures in types.UNCACHED_KINDS (the machine's, not the code's) are never cached.
"""
from __future__ import annotations

import asyncio
import os
import time

from playwright.async_api import Error as PlaywrightError

from core.render.clock import MIN_PAGE_WAIT_S, WALL_FACTOR, SketchClock
from core.render.judge import failed, finish, judge, page_failure
from core.render.pages import PagePool
from core.render.sandbox import WarmPage
from core.render.types import (
    MAX_SOURCE_BYTES,
    UNCACHED_KINDS,
    BrowserUnavailable,
    RenderError,
    RenderResult,
    is_cacheable,
)

MAX_SIDE = 4096
HEALTH_S = 2.5     # a 1-pixel WebGL draw slower than this after a timeout means a stuck GPU: relaunch
PAGE_WAIT_S = 90.0  # no warm page for this long (the machine is not that slow): the browser is wedged
__all__ = ["Renderer", "normalize_size", "UNCACHED_KINDS"]


class Overloaded(Exception):
    """The machine could not give the render a page in time: the sketch did not run (or not to its end)."""


def normalize_size(size: int | tuple[int, int]) -> tuple[int, int]:
    """(width, height) from 512 or (640, 480); each side 1…4096."""
    w, h = (size, size) if isinstance(size, int) else tuple(size)
    if not all(isinstance(v, int) and 1 <= v <= MAX_SIDE for v in (w, h)):
        raise ValueError(f"size must be 1…{MAX_SIDE} px per side, not {size!r}")
    return w, h


class Renderer:
    """Async sketch renderer; render() may be awaited from many coroutines at once."""

    def __init__(self, pool_size: int = 2, chromium: str | None = None, hardware_webgl: bool = False,
                 store=None, prewarm: bool = True, memory_mb: int | None = None):
        self.pool_size = max(1, pool_size)
        # Sketches running at once are bounded by cores: on a loaded machine a render waits for a core
        # (not charged to its timeout) instead of sharing one and timing out (see `sketch_slots`).
        self.sketch_slots = max(1, min(self.pool_size, os.cpu_count() or 1))
        self.fair_clock = True  # False: the timeout is plain wall time (benchmarks compare the two)
        self.store = store
        self._pool = PagePool(self.pool_size, chromium, hardware_webgl, prewarm, memory_mb)
        self._slots: asyncio.Semaphore | None = None
        self._started = False
        self._start_lock: asyncio.Lock | None = None
        self._probes: set[asyncio.Future] = set()

    async def start(self) -> None:
        """Launch Chromium and warm the page pool (raises BrowserUnavailable); again after close()."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if not self._started:
                self._slots = asyncio.Semaphore(self.sketch_slots)
                await self._pool.start()
                self._started = True

    async def close(self) -> None:
        """Close every page and the browser; returns when no browser process is left."""
        await self._pool.close()
        self._started = False
        self._start_lock = None

    async def __aenter__(self) -> Renderer:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def browser_launches(self) -> int:
        return self._pool.launches

    @property
    def sandbox(self) -> dict:
        """What isolates the browser: {"netns": bool, "netns_mode", "caps": "cgroup"|"prlimit", ...}."""
        return dict(self._pool.jail.sandbox) if self._pool.jail else {"netns": None, "caps": None}

    async def wait_warm(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Wait until `count` pages are loaded and idle (benchmarks, tests); False on timeout."""
        await self.start()
        return await self._pool.wait_ready(count, timeout)

    async def render(self, code: str, seed: int = 0, size: int | tuple[int, int] = 512, timeout: float = 10.0,
                     pixel_density: float = 1.0, use_cache: bool = True, frames: int = 1) -> RenderResult:
        """Render one sketch to PNG; never raises for anything the sketch does."""
        t0 = time.perf_counter()
        w, h = normalize_size(size)
        size_bytes = len(code.encode("utf-8", "surrogatepass"))
        if size_bytes > MAX_SOURCE_BYTES:
            result = failed(RenderError("input", f"the sketch is {size_bytes:,} bytes; the limit is "
                                        f"{MAX_SOURCE_BYTES:,} (a sketch is a few KB): shorten it"), seed, w, h)
            result.ms = (time.perf_counter() - t0) * 1000
            return result
        cacheable = self.store is not None and use_cache and pixel_density == 1.0 and frames == 1
        if cacheable:
            # SQLite and PNG reads off the event loop (a GUI or a trainer shares this loop)
            hit = await asyncio.to_thread(self._cached, code, seed, w, h, t0)
            if hit is not None:
                return hit
        try:
            await self.start()
            assert self._slots is not None
            if self._probes:  # a watchdog probe may relaunch the browser: render on the one that follows
                await asyncio.wait(set(self._probes), timeout=HEALTH_S + 5)
            wp = await self._take_page(max(timeout * WALL_FACTOR, MIN_PAGE_WAIT_S))
            try:
                async with self._slots:
                    # The clock starts once the render has a core; from here on one wall bound holds.
                    clock = SketchClock(timeout)
                    result = await self._run(wp, code, seed, w, h, clock, pixel_density, frames)
                    result.charged_ms = clock.charged() * 1000
                    result.cpu_ms = clock.main_cpu() * 1000 if self.fair_clock else None
            finally:
                self._pool.give_back(wp)  # also on cancel: the script is stopped, the context closed
        except Overloaded as e:
            result = failed(RenderError("overloaded", str(e)), seed, w, h)
        except BrowserUnavailable as e:
            result = failed(RenderError("browser", str(e)), seed, w, h)
        result.ms = (time.perf_counter() - t0) * 1000
        result.sandbox = self.sandbox
        if cacheable and is_cacheable(result):
            await asyncio.to_thread(self._save, code, result)
        return result

    async def _take_page(self, budget: float, cold: bool = False) -> WarmPage:
        """A page within `budget` seconds (else Overloaded); if the pool opens no page at all for
        PAGE_WAIT_S (across renders), the browser is wedged: it is killed and relaunched."""
        take = asyncio.ensure_future(self._pool.take(cold=cold))
        handed = False
        deadline = time.perf_counter() + budget
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise Overloaded(f"no renderer page was ready within {budget:.0f} s (the machine is "
                                     "overloaded); the sketch did not run to its end: try again")
                done, _ = await asyncio.wait({take}, timeout=min(left, 5.0))
                if done:
                    page = take.result()
                    handed = True
                    return page
                if self._pool.stalled_for() > PAGE_WAIT_S:  # a long queue on a busy machine still makes progress
                    await self._pool.kill(driver=True)  # the driver may be the one that is stuck
                    raise BrowserUnavailable("chromium opened no page in time; it was restarted")
        finally:
            if not take.done():
                take.cancel()
            elif not handed and not take.cancelled() and take.exception() is None:
                # Cancelled (or out of time) just as the page arrived: give it back. A page nobody holds
                # is never replaced, and the pool would be a page short for good (with one page: wedged).
                self._pool.give_back(take.result())

    async def _attempt(self, wp: WarmPage, opts: dict, clock: SketchClock) -> dict | None:
        """Run the harness once; its answer (advisory: the page may be patched) or None."""
        if self._pool.jail and self.fair_clock:
            clock.watch(self._pool.jail.sketch_pids(wp.renderer_pid), self._pool.jail.throttled_s)
        wp.cpu_start = await wp.main_thread_s()
        wp.recording = wp.busy = True
        task = asyncio.ensure_future(wp.page.evaluate("o => window.__brushwork.render(o)", opts))
        seen = asyncio.ensure_future(wp.exception_seen.wait())
        try:
            done: set = set()
            while not done:
                if clock.remaining() <= 0:
                    raise TimeoutError
                # charged time never runs faster than wall time: no need to look before `remaining` passed
                done, _ = await asyncio.wait({task, seen}, timeout=max(0.05, clock.remaining()),
                                             return_when=asyncio.FIRST_COMPLETED)
            if task not in done:  # an error surfaced first: give the harness a moment for its message
                await asyncio.wait({task}, timeout=0.3)
            if not task.done():
                return None
            try:
                return task.result()
            except PlaywrightError:
                if wp.crashed:
                    raise
                return None  # the page broke the harness's reply: judge by what the browser saw
        finally:
            seen.cancel()
            if not task.done():
                task.cancel()

    async def _count_cpu(self, wp: WarmPage, clock: SketchClock) -> None:
        """Add the page's main-thread CPU time for this render (the browser's count) to the clock's floor."""
        if wp.cpu_start is None or not self.fair_clock:
            return
        now = await wp.main_thread_s()
        if now is not None:
            clock.add_main_thread(now - wp.cpu_start)
        wp.cpu_start = None

    async def _run(self, wp: WarmPage, code: str, seed: int, w: int, h: int, clock: SketchClock,
                   density: float, frames: int) -> RenderResult:
        opts = {"code": code, "seed": int(seed), "width": w, "height": h, "density": density, "frames": frames}
        jail = self._pool.jail
        ooms = jail.oom_kills() if jail else 0
        page, pages = wp, [wp]
        try:
            out = await self._attempt(page, opts, clock)
            if out is not None and out.get("retryCold") and not page.exceptions:
                # The sketch wants a canvas the pre-made one cannot stand in for (P2D, two canvases): a second,
                # brand-new page (its own context) where p5 starts the ordinary way. The first runs nothing more.
                await page.terminate()
                await page.freeze()
                await self._count_cpu(page, clock)
                with clock.machine():  # the machine's time, not the sketch's, but inside the one bound
                    page = await self._take_page(max(0.0, clock.machine_left()), cold=True)
                pages.append(page)
                out = await self._attempt(page, opts, clock)
            result = await asyncio.wait_for(judge(page, out, code, seed, w, h, density), max(0.1, clock.hard_left()))
            await asyncio.wait_for(self._count_cpu(page, clock), max(0.1, clock.hard_left()))
        except TimeoutError:
            result = await self._stopped(page, clock, seed, w, h)
        except Overloaded as e:
            result = failed(RenderError("overloaded", str(e)), seed, w, h)
        except PlaywrightError as e:
            result = failed(await page_failure(page, e, lambda: self._pool.alive), seed, w, h)
        finally:
            for extra in pages[1:]:
                self._pool.give_back(extra)
        if jail and jail.oom_kills() > ooms and (result.error is None or result.error.kind != "forbidden"):
            result = failed(RenderError("memory", "the sketch went over the renderer's memory cap "
                                                  f"({jail.sandbox['memory_mb']} MB) and was stopped"), seed, w, h)
        return finish(pages, result)

    async def _stopped(self, wp: WarmPage, clock: SketchClock, seed: int, w: int, h: int) -> RenderResult:
        """The sketch ran out of its time (`timeout`) or the render hit its wall bound first (`overloaded`)."""
        await wp.terminate()
        wp.hold = asyncio.ensure_future(self._watchdog(wp))  # answers now; the page closes after it
        self._probes.add(wp.hold)
        wp.hold.add_done_callback(self._probes.discard)
        try:
            await asyncio.wait_for(self._count_cpu(wp, clock), max(0.05, min(1.0, clock.hard_left())))
        except TimeoutError:
            pass
        if clock.charged() >= clock.timeout:
            return failed(RenderError("timeout", f"the sketch was still running after {clock.timeout:g} s and was "
                                                 "stopped"), seed, w, h)
        # the wall bound, on a machine too busy to give the sketch its time (never cached, not measured)
        return failed(RenderError("overloaded", f"the render was stopped at its wall-time limit of "
                                                f"{clock.timeout * WALL_FACTOR:g} s, the sketch having used "
                                                f"{clock.charged():.1f} s of its {clock.timeout:g} s: the machine "
                                                "is overloaded; try again"), seed, w, h)

    async def _watchdog(self, wp: WarmPage) -> None:
        """After a timeout: stop the script; if the page or its GPU does not answer a tiny WebGL draw in
        HEALTH_S, the whole browser is killed and relaunched by the next render."""
        probe = ("(() => { const c = document.createElement('canvas'); const gl = c.getContext('webgl');"
                 " if (!gl) return true; gl.clearColor(1, 0, 0, 1); gl.clear(gl.COLOR_BUFFER_BIT);"
                 " gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4)); return true; })()")
        try:
            await asyncio.wait_for(wp.cdp.send("Runtime.evaluate", {"expression": probe, "contextId": wp.world,
                                                                      "returnByValue": True}), HEALTH_S)
        except Exception:
            await self._pool.kill()

    def _cached(self, code: str, seed: int, w: int, h: int, t0: float) -> RenderResult | None:
        try:
            rec = self.store.find_render(code, seed, w, h)
            png = rec.png_path.read_bytes() if rec is not None and rec.png_path is not None else None
        except Exception:  # a broken cache is a miss, never a failed render
            return None
        if rec is None or rec.brush_calls is None or rec.brush_state is None:
            return None  # kept before run-time counts were stored: render it again, so it is measured
        error = None if rec.error_kind is None else RenderError(
            rec.error_kind, rec.error_message or "", rec.error_line, rec.error_column)
        return RenderResult(ok=error is None and png is not None, png=png, error=error,
                            ms=(time.perf_counter() - t0) * 1000, sketch_ms=None, console=list(rec.console),
                            seed=seed, width=w, height=h, cached=True, brush_calls=dict(rec.brush_calls),
                            brush_state=dict(rec.brush_state))

    def _save(self, code: str, result: RenderResult) -> None:
        if result.brush_calls is None or result.brush_state is None:
            return  # not measured (no page reached the capture): a cached copy would score differently
        try:
            self.store.save_render(code, result.seed, result.width, result.height, png=result.png, ms=result.ms,
                                   error=result.error.to_dict() if result.error else None, console=result.console,
                                   brush_calls=result.brush_calls, brush_state=result.brush_state)
        except Exception as e:  # the render is still good; say why it was not kept
            result.console.append(f"brushwork: render not cached: {e}")
