"""Render p5.brush sketches to PNG in a sandboxed headless Chromium: the async `Renderer`.

Design
- Pool: one long-lived Chromium (core/render/pool.py) keeps `pool_size` pages that have already
  loaded p5, p5.brush and the harness (resources/harness/). A render takes one and runs; the page then
  reloads in the background — the render itself never waits for p5 to parse.
- Hot canvas: each fresh document also starts p5 ahead of time with a 512×512 WEBGL canvas on which
  p5.brush has drawn once (context made, shaders compiled); the sketch's createCanvas(w, h, WEBGL) reuses
  it, wiped (resized if w×h differ). A sketch that wants anything else (a P2D canvas, two canvases) is
  rerun in a fresh document where p5 starts the ordinary way. Both paths give the same pixels
  (tests/render/test_render_output.py), and an exported page can use the ordinary one.
- Isolation: a harness document runs exactly one sketch. p5 2.x global mode cannot restart inside one
  document, and a fresh document also resets window globals, prototypes and p5.brush state; the origin's
  storage is wiped before each reload and each page has its own browser context, so nothing leaks from
  one sketch to the next (tests/render/test_isolation.py).
- Determinism: resources/harness/runtime.js seeds Math.random before the sketch's code runs and calls
  randomSeed(seed) + noiseSeed(seed) before setup(); strokes are then pixel-identical across renders
  (watercolour fills may differ in a few pixels).
- Size: the sketch's own createCanvas(w, h, WEBGL) is honoured (each side ≤ 4096 px, otherwise a
  `runtime` error at that line, answered at once); the PNG is always resampled to the requested size
  times pixel_density, so callers always get the size they asked for.
- Finish: after setup() when there is no draw(); else after the frame that called noLoop(), or after
  `frames` draw() frames (default 1).
- Watchdog: the render waits at most `timeout` s for the page, then stops the script through the CDP
  session opened with the page (Runtime.terminateExecution) and closes the page — answered at once.
  A crashed page (memory bomb) is `memory`; a dead browser is relaunched by the next render.
- Errors: syntax / runtime carry line and column in the user's code (the sketch runs as its own script
  named sketch.js); `forbidden` = the sketch tried the network, navigation, a popup or a dialog;
  `blank` = it never called createCanvas, removed its canvas, or left the canvas one flat colour.
- Cache: with a Store, the same code + seed + size never renders twice (pixel_density 1, frames 1 only);
  timeouts, crashes and browser failures are not cached since they depend on the machine.
"""
from __future__ import annotations

import asyncio
import base64
import time

from playwright.async_api import Error as PlaywrightError

from core.render.pool import PagePool
from core.render.sandbox import WarmPage, load_harness
from core.render.types import BrowserUnavailable, RenderError, RenderResult

MAX_SIDE = 4096
UNCACHED_KINDS = {"timeout", "memory", "browser"}


def normalize_size(size: int | tuple[int, int]) -> tuple[int, int]:
    """(width, height) from 512 or (640, 480); each side 1…4096."""
    w, h = (size, size) if isinstance(size, int) else tuple(size)
    if not all(isinstance(v, int) and 1 <= v <= MAX_SIDE for v in (w, h)):
        raise ValueError(f"size must be 1…{MAX_SIDE} px per side, not {size!r}")
    return w, h


class Renderer:
    """Async sketch renderer; render() may be awaited from many coroutines at once."""

    def __init__(self, pool_size: int = 2, chromium: str | None = None, hardware_webgl: bool = False,
                 store=None, prewarm: bool = True):
        self.pool_size = max(1, pool_size)
        self.store = store
        self._pool = PagePool(self.pool_size, chromium, hardware_webgl, prewarm)
        self._slots: asyncio.Semaphore | None = None
        self._started = False
        self._start_lock: asyncio.Lock | None = None

    async def start(self) -> None:
        """Launch Chromium and warm the page pool (raises BrowserUnavailable)."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if not self._started:
                self._slots = asyncio.Semaphore(self.pool_size)
                await self._pool.start()
                self._started = True

    async def close(self) -> None:
        """Close every page and the browser."""
        await self._pool.close()
        self._started = False

    async def __aenter__(self) -> Renderer:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def browser_launches(self) -> int:
        return self._pool.launches

    async def wait_warm(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Wait until `count` pages are loaded and idle (benchmarks, tests); False on timeout."""
        await self.start()
        return await self._pool.wait_ready(count, timeout)

    async def render(self, code: str, seed: int = 0, size: int | tuple[int, int] = 512, timeout: float = 10.0,
                     pixel_density: float = 1.0, use_cache: bool = True, frames: int = 1) -> RenderResult:
        """Render one sketch to PNG; never raises for anything the sketch does."""
        t0 = time.perf_counter()
        w, h = normalize_size(size)
        cacheable = self.store is not None and use_cache and pixel_density == 1.0 and frames == 1
        if cacheable:
            hit = self._cached(code, seed, w, h, t0)
            if hit is not None:
                return hit
        try:
            await self.start()
            assert self._slots is not None
            async with self._slots:
                wp = await self._pool.take()
                try:
                    result = await self._run(wp, code, seed, w, h, timeout, pixel_density, frames)
                finally:
                    self._pool.give_back(wp)  # also on cancel: the script is stopped, the page reloaded
        except BrowserUnavailable as e:
            result = _failed(RenderError("browser", str(e)), seed, w, h)
        result.ms = (time.perf_counter() - t0) * 1000
        if cacheable and (result.ok or result.error.kind not in UNCACHED_KINDS):
            self._save(code, result)
        return result

    async def _run(self, wp: WarmPage, code: str, seed: int, w: int, h: int, timeout: float,
                   density: float, frames: int) -> RenderResult:
        opts = {"code": code, "seed": int(seed), "width": w, "height": h, "density": density, "frames": frames}
        wp.busy = True
        deadline = time.perf_counter() + timeout
        try:
            out = await asyncio.wait_for(wp.page.evaluate("o => window.__brushwork.render(o)", opts), timeout)
            if out.get("retryCold"):
                # The sketch wants a canvas the pre-made one cannot stand in for (P2D, two canvases):
                # run it again in a fresh document where p5 starts the ordinary way.
                wp.busy = False
                await load_harness(wp, prewarm=False)
                wp.busy = True
                out = await asyncio.wait_for(wp.page.evaluate("o => window.__brushwork.render(o)", opts),
                                             max(0.1, deadline - time.perf_counter()))
        except TimeoutError:
            error = RenderError("timeout", f"the sketch was still running after {timeout:g} s and was stopped")
            return self._finish(wp, _failed(error, seed, w, h))
        except PlaywrightError as e:
            return self._finish(wp, _failed(self._page_failure(wp, e), seed, w, h))
        wp.busy = False
        await asyncio.sleep(0)  # let route events that raced the result land in wp.forbidden
        error = RenderError(**out["error"]) if out.get("error") else None
        png = base64.b64decode(out["png"].split(",", 1)[1]) if out.get("png") else None
        result = RenderResult(ok=error is None and png is not None, png=png, error=error, ms=0.0,
                              sketch_ms=out.get("sketchMs"), seed=seed, width=w, height=h)
        return self._finish(wp, result)

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
