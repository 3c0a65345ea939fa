"""Deciding a render's outcome from what the browser saw; the harness's own answer only words it.

Order of truth: anything the browser refused (`forbidden`) outranks every other outcome; then the first
exception V8 reported through CDP (kind and line decided in capture.py); then the isolated world's
snapshot (no picture, a canvas that is not the one p5 was given, a shrunk drawing buffer); then the PNG
itself (check_png: size, signature, one flat colour is `blank`). `memory` is only ever the browser's
word: a crashed page or the cgroup's out-of-memory count (renderer.py), never an exception's text.
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from playwright.async_api import Error as PlaywrightError

from core.render.capture import Capture, capture, check_png, error_from_exception
from core.render.sandbox import WarmPage
from core.render.types import RenderError, RenderResult

WEBGL_COMPLAINT = re.compile(r"p5\.brush (requires a WEBGL canvas|could not resolve an active WEBGL sketch)")
IDLE_CAPTURE_S = 1.0  # a page that cannot answer the isolated world this fast is running the sketch's timers


def failed(error: RenderError, seed: int, w: int, h: int) -> RenderResult:
    """A result with no picture."""
    return RenderResult(ok=False, png=None, error=error, ms=0.0, sketch_ms=None, seed=seed, width=w, height=h)


async def read_capture_stopped(wp: WarmPage) -> Capture:
    """The isolated world's snapshot and counts from a page still busy with the sketch's timers: stopped
    first (terminateExecution, then scripts off), so the sketch cannot hold the answer back."""
    wp.busy = True
    await wp.terminate()
    await wp.freeze()
    return await capture(wp.cdp, wp.world, settle=False)


async def judge(wp: WarmPage, out: dict | None, code: str, seed: int, w: int, h: int, density: float,
                frozen: Callable[[], None] | None = None) -> RenderResult:
    """The outcome of one finished (or broken) harness run on `wp`; `frozen` is called once nothing of the
    page can run any more (the renderer gives the sketch's slot back then)."""
    advisory = RenderError(**out["error"]) if out and out.get("error") else None
    sketch_ms = out.get("sketchMs") if out else None
    cap: Capture | None = None
    quiet = out is not None
    if wp.world is not None and not wp.crashed:
        try:
            cap = await asyncio.wait_for(capture(wp.cdp, wp.world), IDLE_CAPTURE_S)
        except TimeoutError:  # still busy with the sketch's timers: stopped, so it cannot hold the answer
            quiet = False
            cap = await read_capture_stopped(wp)
        for what in cap.refused:
            wp.forbid(what)
    if out is None:  # the harness never answered: something may still be running
        await wp.terminate()
    await wp.freeze()  # nothing the sketch left behind runs after this; its requests so far are in
    wp.settled = quiet and not wp.crashed and not wp.forbidden  # else closed at once (pages.py)
    if frozen is not None:
        frozen()
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
    problem = cap.problem() if cap is not None else RenderError("blank", "the page has no picture")
    if problem is not None and problem.kind == "forbidden":
        wp.forbid(problem.message)  # refusals outrank everything (finish())
    if error is None:
        error = problem or check_png(cap.png, max(1, round(w * density)), max(1, round(h * density)))
    png = cap.png if cap is not None and error is None else None
    return RenderResult(ok=error is None, png=png, error=error, ms=0.0, sketch_ms=sketch_ms, seed=seed, width=w,
                        height=h, brush_calls=None if cap is None else cap.brush_calls,
                        brush_state=None if cap is None else cap.brush_state)


async def page_failure(wp: WarmPage, e: PlaywrightError, alive: Callable[[], bool]) -> RenderError:
    """What a Playwright error during a render means: the page crashed (the browser's `crash` event, never
    an error's text: `memory`), the browser died (`browser`), or the sketch broke the harness (`runtime`)."""
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    for _ in range(10):  # the crash event may trail the failed call by a moment
        if wp.crashed or not alive():
            break
        await asyncio.sleep(0.02)
    if wp.crashed:
        return RenderError("memory", "the page crashed (the sketch probably ran out of memory); it was replaced")
    if not alive():
        return RenderError("browser", f"chromium exited during the render ({text}); it restarts on the next render")
    return RenderError("runtime", f"the harness failed: {text[:300]}")


def finish(pages: list[WarmPage], result: RenderResult) -> RenderResult:
    """Attach console output; anything the browser refused, on any page the render used, outranks all."""
    result.console = [line for wp in pages for line in wp.console][:202]
    refused = []
    for wp in pages:
        refused += [what for what in wp.forbidden if what not in refused]
    if refused and (result.error is None or result.error.kind != "forbidden"):
        result.error = RenderError("forbidden", "the sketch tried " + "; ".join(refused[:20]))
        result.ok, result.png = False, None
    return result
