"""Render p5.brush sketches to PNG in a sandboxed headless Chromium: the async `Renderer`.

Design
- Jail (core/render/jail.py): Chromium runs in its own network namespace (no socket anywhere, whatever
  API a sketch finds) and in a cgroup with a memory cap on its whole process tree (prlimit where no
  cgroup is writable) and a CPU share (a hard cap only as a safety limit); `RenderResult.sandbox` says
  which. Chromium flags add defence in depth. Many cores: several browsers, each in its own jail
  (core/render/fleet.py).
- Pool (core/render/pages.py): `pool_size` pages (`reserve()` grows it to a whole GRPO group), each in a
  browser context of its own, have already loaded p5, p5.brush and the harness (resources/harness/). A
  render takes one; afterwards the whole context is closed (scripts off first: no unload handler runs).
  Replacements load side by side once the pool is idle (while the trainer generates), or at once for a
  render that waits.
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
  max(WALL_FACTOR × timeout, 30 s): `overloaded`), then one of `sketch_slots` (= the cores the jails may
  use) slots, held until its page is frozen; its clock starts then. The sketch is charged for its runs,
  never less than its main thread's CPU time, not for a cold page or for time its processes waited for a
  CPU (clock.py). Everything from the slot on ends within WALL_FACTOR × timeout + GRACE_S: stopped at the
  wall bound before the sketch used its time, the render is `overloaded` (the machine's fault, never
  cached, not measured); past its time, `timeout`.
- Watchdog: on timeout the script is stopped (Runtime.terminateExecution); if the page then cannot do a
  1-pixel WebGL draw within HEALTH_S (a hung GPU process, a renderer that ignores termination), the whole
  browser tree is killed and a new browser launches at once on the same Playwright driver (a dead driver
  is replaced). A pool that opens no page for PAGE_WAIT_S: the browser and the driver are replaced.
- Errors: syntax / runtime carry line and column in the user's code; `forbidden` = the sketch tried the
  network, navigation, a popup, a dialog, a worker, a dynamic import() or another canvas (recorded outside
  its reach); `memory` = a page crash or the cgroup's out-of-memory count (a kill that only crashed
  another render's page is that render's, `_killed_elsewhere`), never an exception's text;
  `blank` = no canvas, a shrunk drawing buffer, or one flat colour; `browser` = the browser or its driver
  really failed.
- Cache: with a Store, the same code + seed + size never renders twice (pixel_density 1, frames 1 only),
  not even at once: a twin that arrives while the first is rendering waits for it and takes the cached
  result (a GRPO group's identical completions: 7 % of a tiny-cpu run's rollouts). Failures in
  types.UNCACHED_KINDS (the machine's, not the code's) are never cached, nor shared.
"""
from __future__ import annotations

import asyncio
import time

from playwright.async_api import Error as PlaywrightError

from core.render.clock import MIN_PAGE_WAIT_S, WALL_FACTOR, SketchClock
from core.render.fleet import BrowserFleet
from core.render.jail import Jail
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


class _Slot:
    """One of the `sketch_slots`, held while a sketch runs and given back as soon as its page is frozen:
    what follows (reading the picture, checks) is the renderer's, and another sketch may start."""

    def __init__(self, slots: asyncio.Semaphore):
        self.slots, self.held = slots, False

    async def acquire(self) -> None:
        await self.slots.acquire()
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.slots.release()


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
                 store=None, prewarm: bool = True, memory_mb: int | None = None, browsers: int | None = None):
        self._fleet = BrowserFleet(pool_size, chromium, hardware_webgl, prewarm, memory_mb, browsers)
        self.pool_size = self._fleet.size
        # Sketches running at once are bounded by the cores the jails may use: on a loaded machine a render
        # waits for a core (not charged to its timeout) instead of sharing one and timing out.
        self.sketch_slots = max(1, min(self.pool_size, self._fleet.cores))
        self.fair_clock = True  # False: the timeout is plain wall time (benchmarks compare the two)
        self.store = store
        self._slots: asyncio.Semaphore | None = None
        self._started = False
        self._start_lock: asyncio.Lock | None = None
        self._probes: set[asyncio.Future] = set()
        self._inflight: dict[tuple[str, int, int, int], asyncio.Future] = {}  # cacheable renders running now

    async def start(self) -> None:
        """Launch Chromium and warm the page pool (raises BrowserUnavailable); again after close()."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if not self._started:
                self._slots = asyncio.Semaphore(self.sketch_slots)
                await self._fleet.start()
                self._started = True

    async def close(self) -> None:
        """Close every page and the browsers; returns when no browser process is left."""
        await self._fleet.close()
        self._started = False
        self._start_lock = None

    async def __aenter__(self) -> Renderer:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def _pool(self) -> PagePool:
        """The first browser's pool (the only one below CORES_PER_BROWSER cores)."""
        return self._fleet.pools[0]

    @property
    def browser_launches(self) -> int:
        return self._fleet.launches

    @property
    def browsers(self) -> int:
        return len(self._fleet.pools)

    @property
    def sandbox(self) -> dict:
        """What isolates the browsers: {"netns": bool, "netns_mode", "caps": "cgroup"|"prlimit", "cpus",
        "cpu_weight", "browsers", ...}."""
        jail = self._pool.jail
        return {**jail.sandbox, "browsers": self.browsers} if jail else {"netns": None, "caps": None}

    @property
    def cpu_limit(self) -> str | None:
        """Which CPU limit the browsers run under, in words (None before the first launch)."""
        return self._pool.jail.cpu_limit if self._pool.jail else None

    def reserve(self, pages: int) -> int:
        """Keep `pages` warm pages from now on (a whole GRPO group; bounded by memory); the number in force.
        The new pages load at once when no render is running, else as soon as the running ones end."""
        self.pool_size = self._fleet.resize(max(self.pool_size, pages))
        slots = max(1, min(self.pool_size, self._fleet.cores))
        if self._slots is not None:
            for _ in range(slots - self.sketch_slots):  # a started renderer's semaphore grows (never shrinks)
                self._slots.release()
        self.sketch_slots = max(slots, self.sketch_slots)
        return self.pool_size

    def warm_full(self) -> bool:
        """Every page the pool keeps is loaded and idle (the cold spare too, once one is wanted)."""
        return self._fleet.full

    async def wait_warm(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Wait until `count` pages are loaded and idle (benchmarks, tests); False on timeout."""
        await self.start()
        return await self._fleet.wait_ready(count, timeout)

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
        key = (code, seed, w, h)
        claim: asyncio.Future | None = None
        if cacheable:
            hit, claim = await self._cached_or_claim(key, t0)
            if hit is not None:
                return hit
        try:
            return await self._render_now(code, seed, w, h, timeout, pixel_density, frames, t0, cacheable)
        finally:
            if claim is not None:
                if self._inflight.get(key) is claim:
                    del self._inflight[key]
                claim.set_result(None)

    async def _cached_or_claim(self, key: tuple[str, int, int, int], t0: float
                               ) -> tuple[RenderResult | None, asyncio.Future | None]:
        """The cached render, or a claim on rendering it here. A twin in flight (a GRPO group's identical
        completions) is waited for and its cached result taken: each render still runs in a context of its
        own, but the same sketch at the same seed and size opens one. A twin that left nothing in the cache
        (the machine failed it) is not shared: this render then claims its own turn."""
        while True:
            # SQLite and PNG reads off the event loop (a GUI or a trainer shares this loop)
            hit = await asyncio.to_thread(self._cached, *key, t0)
            if hit is not None:
                return hit, None
            twin = self._inflight.get(key)
            if twin is None:
                claim = asyncio.get_running_loop().create_future()
                self._inflight[key] = claim
                return None, claim
            await asyncio.shield(twin)

    async def _render_now(self, code: str, seed: int, w: int, h: int, timeout: float, pixel_density: float,
                          frames: int, t0: float, cacheable: bool) -> RenderResult:
        try:
            await self.start()
            assert self._slots is not None
            if self._probes:  # a watchdog probe may relaunch the browser: render on the one that follows
                await asyncio.wait(set(self._probes), timeout=HEALTH_S + 5)
            wp = await self._take_page(max(timeout * WALL_FACTOR, MIN_PAGE_WAIT_S))
            slot = _Slot(self._slots)
            try:
                await slot.acquire()
                # The clock starts once the render has a core; from here on one wall bound holds.
                clock = SketchClock(timeout)
                result = await self._run(wp, code, seed, w, h, clock, pixel_density, frames, slot)
                result.charged_ms = clock.charged() * 1000
                result.cpu_ms = clock.main_cpu() * 1000 if self.fair_clock else None
            finally:
                slot.release()
                wp.pool.give_back(wp)  # also on cancel: the script is stopped, the context closed
        except Overloaded as e:
            result = failed(RenderError("overloaded", str(e)), seed, w, h)
        except BrowserUnavailable as e:
            result = failed(RenderError("browser", str(e)), seed, w, h)
        result.ms = (time.perf_counter() - t0) * 1000
        result.sandbox = self.sandbox
        if cacheable and is_cacheable(result):
            await asyncio.to_thread(self._save, code, result)
        return result

    async def _take_page(self, budget: float, cold_for: WarmPage | None = None) -> WarmPage:
        """A page within `budget` seconds (else Overloaded): from the browser with the most pages ready, or a
        cold one from the browser of `cold_for`. If that pool opens no page at all for PAGE_WAIT_S (across
        renders), its browser is wedged: it is killed and relaunched."""
        pool = cold_for.pool if cold_for is not None else self._fleet.pick()
        take = asyncio.ensure_future(pool.take(cold=cold_for is not None))
        handed = False
        deadline = time.perf_counter() + budget
        if cold_for is None:
            take.add_done_callback(lambda _t: setattr(pool, "pending", pool.pending - 1))
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
                if pool.stalled_for() > PAGE_WAIT_S:  # a long queue on a busy machine still makes progress
                    await pool.kill(driver=True)  # the driver may be the one that is stuck
                    raise BrowserUnavailable("chromium opened no page in time; it was restarted")
        finally:
            if not take.done():
                take.cancel()
            elif not handed and not take.cancelled() and take.exception() is None:
                # Cancelled (or out of time) just as the page arrived: give it back. A page nobody holds
                # is never replaced, and the pool would be a page short for good (with one page: wedged).
                pool.give_back(take.result())

    async def _attempt(self, wp: WarmPage, opts: dict, clock: SketchClock) -> dict | None:
        """Run the harness once; its answer (advisory: the page may be patched) or None."""
        jail = wp.pool.jail
        if jail and self.fair_clock:
            clock.watch(jail.sketch_pids(wp.renderer_pid), jail.throttled_s)
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
                   density: float, frames: int, slot: _Slot) -> RenderResult:
        opts = {"code": code, "seed": int(seed), "width": w, "height": h, "density": density, "frames": frames}
        jail = wp.pool.jail
        ooms = jail.oom_kills() if jail else 0
        page, pages = wp, [wp]
        crashes = wp.pool.page_crashes
        try:
            out = await self._attempt(page, opts, clock)
            if out is not None and out.get("retryCold") and not page.exceptions:
                # The sketch wants a canvas the pre-made one cannot stand in for (P2D, two canvases): a second,
                # brand-new page (its own context) where p5 starts the ordinary way. The first runs nothing more.
                await page.terminate()
                await page.freeze()
                await self._count_cpu(page, clock)
                with clock.machine():  # the machine's time, not the sketch's, but inside the one bound
                    page = await self._take_page(max(0.0, clock.machine_left()), cold_for=wp)
                pages.append(page)
                out = await self._attempt(page, opts, clock)
            result = await asyncio.wait_for(judge(page, out, code, seed, w, h, density, frozen=slot.release),
                                            max(0.1, clock.hard_left()))
            await asyncio.wait_for(self._count_cpu(page, clock), max(0.1, clock.hard_left()))
        except TimeoutError:
            result = await self._stopped(page, clock, seed, w, h)
        except Overloaded as e:
            result = failed(RenderError("overloaded", str(e)), seed, w, h)
        except PlaywrightError as e:
            result = failed(await page_failure(page, e, lambda: page.pool.alive), seed, w, h)
        finally:
            for extra in pages[1:]:
                extra.pool.give_back(extra)
        if jail and jail.oom_kills() > ooms and (result.error is None or result.error.kind != "forbidden") \
                and not await _killed_elsewhere(pages, jail, ooms, crashes):
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
            await wp.pool.kill()

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


async def _killed_elsewhere(pages: list[WarmPage], jail: Jail, ooms: int, crashes: int) -> bool:
    """The memory cap killed something while this render ran: was every kill another page's renderer (its
    own sketch's doing: that page crashed) and none of this render's? Then this render keeps its outcome.
    A kill that hit no page (the GPU or browser process) or this one's is this render's too: `memory`."""
    pool = pages[0].pool
    for _ in range(15):  # the crash event may trail the kill by a moment
        if any(p.crashed for p in pages):
            return False
        if pool.page_crashes - crashes >= jail.oom_kills() - ooms:
            return True
        await asyncio.sleep(0.02)
    return False
