"""Render p5.brush sketches to PNG in a sandboxed headless Chromium: the async `Renderer`.

Design
- Jail (core/render/jail.py): Chromium runs in its own network namespace (no socket anywhere, whatever
  API a sketch finds) and in a cgroup with a memory cap on its whole process tree (prlimit where no
  cgroup is writable); `RenderResult.sandbox` says which. Chromium flags add defence in depth.
- Pool (core/render/pool.py): `pool_size` pages, each in a browser context of its own, have already
  loaded p5, p5.brush and the harness (resources/harness/). A render takes one; afterwards the whole
  context is closed (scripts off first: no unload handler runs) and a fresh one loads in the background.
- Hot canvas: each fresh document also starts p5 ahead of time with a 512×512 WEBGL canvas on which
  p5.brush has drawn once; the sketch's createCanvas(w, h, WEBGL) reuses it, wiped. A sketch that wants
  anything else (P2D, two canvases) is rerun in a fresh document where p5 starts the ordinary way.
- Truth (core/render/capture.py): the page's own answer only words the result. Errors come from CDP
  `Runtime.exceptionThrown` with V8's line (not e.stack); the picture is read in an isolated world from a
  canvas reference taken before the sketch ran, then checked here (PNG signature, size, blank);
  brush.<method> calls are counted on a node only the harness closure and that world can reach.
- Determinism: runtime.js seeds Math.random before the sketch's code runs and calls randomSeed(seed) +
  noiseSeed(seed) before setup(); strokes are then pixel-identical across renders.
- Size: the sketch's own createCanvas(w, h, WEBGL) is honoured (each side ≤ 4096 px); the PNG is always
  resampled to the requested size times pixel_density. Source over MAX_SOURCE_BYTES is refused (`input`).
- Finish: after setup() when there is no draw(); else after the frame that called noLoop(), or after
  `frames` draw() frames (default 1).
- Timeout and load: at most `sketch_slots` (= cores) sketches run at once; a render's clock starts when
  it has a core. The sketch is charged for its runs and the capture, not for waiting for a page, for the
  harness's cold-start reload, or for time its processes waited for a CPU (clock.py), so a busy machine
  does not time it out. The whole call stays bounded: the sketch's stretch by WALL_FACTOR × timeout of
  wall time, page wait and reload together by max(WALL_FACTOR × timeout, 30 s) (no page by then:
  `browser`, never cached).
- Watchdog: on timeout the script is stopped (Runtime.terminateExecution); if the page then cannot do a
  1-pixel WebGL draw within HEALTH_S (a hung GPU process, a renderer that ignores termination), the whole
  browser tree is killed and a new browser launches at once on the same Playwright driver (a dead driver
  is replaced). A pool that opens no page for PAGE_WAIT_S: the browser and the driver are replaced.
- Errors: syntax / runtime carry line and column in the user's code; `forbidden` = the sketch tried the
  network, navigation, a popup, a dialog or a worker (recorded browser-side); `memory` = a page crash or
  the memory cap; `blank` = no canvas, or one flat colour.
- Cache: with a Store, the same code + seed + size never renders twice (pixel_density 1, frames 1 only);
  failures in types.UNCACHED_KINDS (the machine's, not the code's) are never cached.
"""
from __future__ import annotations

import asyncio
import os
import re
import time

from playwright.async_api import Error as PlaywrightError

from core.render.capture import capture, check_png, error_from_exception
from core.render.clock import WALL_FACTOR, SketchClock
from core.render.pool import PagePool
from core.render.sandbox import WarmPage, load_harness
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
WEBGL_COMPLAINT = re.compile(r"p5\.brush (requires a WEBGL canvas|could not resolve an active WEBGL sketch)")
PAGE_WAIT_S = 90.0  # no warm page for this long (the machine is not that slow): the browser is wedged
SETTLE_S = 3.0     # capture and checks may run this long past the sketch's own timeout
__all__ = ["Renderer", "normalize_size", "UNCACHED_KINDS"]


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
            result = _failed(RenderError("input", f"the sketch is {size_bytes:,} bytes; the limit is "
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
            async with self._slots:
                # The call's clock starts once it has a core. Waiting for a page (and for a health probe
                # that may relaunch the browser) is the machine's doing: not charged to the sketch, but
                # inside the hard wall bound, like everything else up to the answer (clock.py).
                clock = SketchClock(timeout)
                with clock.machine():
                    if self._probes:
                        await asyncio.wait(set(self._probes), timeout=max(0.1, min(HEALTH_S + 5, clock.machine_left())))
                    wp = await self._take_page(clock)
                try:
                    if self._pool.jail and self.fair_clock:
                        clock.watch(self._pool.jail.sketch_pids(wp.renderer_pid), self._pool.jail.throttled_s)
                    result = await self._run(wp, code, seed, w, h, clock, pixel_density, frames)
                    result.charged_ms = clock.charged() * 1000
                finally:
                    self._pool.give_back(wp)  # also on cancel: the script is stopped, the context closed
        except BrowserUnavailable as e:
            result = _failed(RenderError("browser", str(e)), seed, w, h)
        result.ms = (time.perf_counter() - t0) * 1000
        result.sandbox = self.sandbox
        if cacheable and is_cacheable(result):
            await asyncio.to_thread(self._save, code, result)
        return result

    async def _take_page(self, clock: SketchClock) -> WarmPage:
        """A warm page before the call's wall bound runs out; if the pool opens no page at all for
        PAGE_WAIT_S (across renders), the browser is wedged: it is killed and relaunched."""
        take = asyncio.ensure_future(self._pool.take())
        handed = False
        try:
            while True:
                left = clock.machine_left()
                if left <= 0:
                    raise BrowserUnavailable(f"no renderer page was ready within {clock.machine_budget():.0f} s (the "
                                             "machine is overloaded); the sketch did not run: try again")
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
        wp.recording = True
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

    async def _run(self, wp: WarmPage, code: str, seed: int, w: int, h: int, clock: SketchClock,
                   density: float, frames: int) -> RenderResult:
        opts = {"code": code, "seed": int(seed), "width": w, "height": h, "density": density, "frames": frames}
        jail = self._pool.jail
        ooms = jail.oom_kills() if jail else 0
        wp.busy = True
        try:
            out = await self._attempt(wp, opts, clock)
            if out is not None and out.get("retryCold") and not wp.exceptions:
                # The sketch wants a canvas the pre-made one cannot stand in for (P2D, two canvases):
                # run it again in a fresh document (same fresh context) where p5 starts the ordinary way.
                await wp.terminate()
                with clock.machine():  # the harness's reload is not the sketch's time, but within the bound
                    try:
                        await asyncio.wait_for(load_harness(wp, prewarm=False), max(0.1, clock.machine_left()))
                    except TimeoutError:
                        return self._finish(wp, _failed(RenderError(
                            "browser", f"the harness page did not reload for this sketch's cold start within "
                                       f"{clock.machine_budget():.0f} s (the machine is overloaded): try again"), seed, w, h))
                wp.busy = True
                out = await self._attempt(wp, opts, clock)
            result = await asyncio.wait_for(self._judge(wp, out, code, seed, w, h, density),
                                            max(0.1, clock.remaining()) + SETTLE_S)
        except TimeoutError:
            await wp.terminate()
            wp.hold = asyncio.ensure_future(self._watchdog(wp))  # answers now; the page closes after it
            self._probes.add(wp.hold)
            wp.hold.add_done_callback(self._probes.discard)
            if clock.charged() >= clock.timeout:
                error = RenderError("timeout", f"the sketch was still running after {clock.timeout:g} s and was stopped")
            else:  # the wall bound, on a machine too busy to give the sketch its time (never cached either)
                error = RenderError("timeout", f"the render was stopped at its wall-time limit of "
                                               f"{clock.timeout * WALL_FACTOR:g} s, the sketch having used "
                                               f"{clock.charged():.1f} s of its {clock.timeout:g} s: the machine is "
                                               "overloaded; try again")
            result = _failed(error, seed, w, h)
        except PlaywrightError as e:
            result = _failed(self._page_failure(wp, e), seed, w, h)
        if jail and jail.oom_kills() > ooms and (result.error is None or result.error.kind != "forbidden"):
            result = _failed(RenderError("memory", "the sketch went over the renderer's memory cap "
                                                   f"({jail.sandbox['memory_mb']} MB) and was stopped"), seed, w, h)
        return self._finish(wp, result)

    async def _judge(self, wp: WarmPage, out: dict | None, code: str, seed: int, w: int, h: int,
                     density: float) -> RenderResult:
        """Decide the outcome from what the browser saw; the harness's answer only words it."""
        advisory = RenderError(**out["error"]) if out and out.get("error") else None
        sketch_ms = out.get("sketchMs") if out else None
        png, counts = None, None
        if wp.world is not None and not wp.crashed:
            pw, ph = max(1, round(w * density)), max(1, round(h * density))
            png, counts, refused = await capture(wp.cdp, wp.world, pw, ph)
            for what in refused:
                wp.forbid(what)
        if out is None:  # the harness never answered: something may still be running
            await wp.terminate()
        await wp.freeze()  # nothing the sketch left behind runs after this; its requests so far are in
        await asyncio.sleep(0.02)
        error = advisory
        if wp.exceptions:
            v8 = error_from_exception(wp.exceptions[0], code)
            # The harness words an error better (p5 name clashes, p5.brush without WEBGL); it never turns
            # a thrown error into something else (a patched page can make it claim `blank`).
            worded = advisory is not None and (advisory.kind != "blank" or WEBGL_COMPLAINT.search(v8.message))
            error = RenderError(advisory.kind, advisory.message, v8.line, v8.column) if worded else v8
        elif error is not None:
            error = RenderError(error.kind, error.message)  # a line only ever comes from V8 ...
        if error is not None and error.kind == "syntax" and error.line is None and advisory is not None:
            # ... except a syntax error's: reported before any line of the sketch could run, so unforgeable
            error = RenderError(error.kind, error.message, advisory.line, advisory.column)
        if error is None:
            if png is None:
                error = RenderError("blank", "the sketch removed its canvas")
            else:
                error = check_png(png, max(1, round(w * density)), max(1, round(h * density)))
        return RenderResult(ok=error is None, png=png if error is None else None, error=error, ms=0.0,
                            sketch_ms=sketch_ms, seed=seed, width=w, height=h, brush_calls=counts)

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

    def _page_failure(self, wp: WarmPage, e: PlaywrightError) -> RenderError:
        text = str(e).splitlines()[0] if str(e) else type(e).__name__
        if wp.crashed or "crash" in text.lower():
            return RenderError("memory", "the page crashed (the sketch probably ran out of memory); it was replaced")
        if not self._pool.alive:
            return RenderError("browser", f"chromium exited during the render ({text}); it restarts on the next render")
        return RenderError("runtime", f"the harness failed: {text}")

    @staticmethod
    def _finish(wp: WarmPage, result: RenderResult) -> RenderResult:
        """Attach console output; anything the browser refused outranks every other outcome."""
        result.console = list(wp.console)
        if wp.forbidden and (result.error is None or result.error.kind != "forbidden"):
            result.error = RenderError("forbidden", "the sketch tried " + "; ".join(wp.forbidden))
            result.ok, result.png = False, None
        return result

    def _cached(self, code: str, seed: int, w: int, h: int, t0: float) -> RenderResult | None:
        try:
            rec = self.store.find_render(code, seed, w, h)
            png = rec.png_path.read_bytes() if rec is not None and rec.png_path is not None else None
        except Exception:  # a broken cache is a miss, never a failed render
            return None
        if rec is None:
            return None
        error = None if rec.error_kind is None else RenderError(
            rec.error_kind, rec.error_message or "", rec.error_line, rec.error_column)
        return RenderResult(ok=error is None and png is not None, png=png, error=error,
                            ms=(time.perf_counter() - t0) * 1000, sketch_ms=None, console=list(rec.console),
                            seed=seed, width=w, height=h, cached=True)

    def _save(self, code: str, result: RenderResult) -> None:
        try:
            self.store.save_render(code, result.seed, result.width, result.height, png=result.png, ms=result.ms,
                                   error=result.error.to_dict() if result.error else None, console=result.console)
        except Exception as e:  # the render is still good; say why it was not kept
            result.console.append(f"brushwork: render not cached: {e}")


def _failed(error: RenderError, seed: int, w: int, h: int) -> RenderResult:
    return RenderResult(ok=False, png=None, error=error, ms=0.0, sketch_ms=None, seed=seed, width=w, height=h)
