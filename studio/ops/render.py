"""Render operations for the GUI: start/close the async renderer in the qasync loop, render, thumbnails.

The renderer (`core.render.Renderer`) lives directly in the Qt event loop: Playwright's asyncio
subprocess transport works under qasync's QEventLoop (launch, evaluate and close all complete: every studio
test that renders starts its Renderer in that loop, tests/studio/conftest.py, with the versions pinned in
packaging/constraints.txt), so no second asyncio thread is needed. Renders are
cancellable: cancelling the awaiting task cancels the render in the page.
"""
from __future__ import annotations

from typing import Any

from core.render import BrowserUnavailable, Renderer
from core.render.browser import find_chromium
from core.render.types import (
    MACHINE_KINDS as MACHINE_KINDS,  # the editor tells a machine's fault from a sketch's
)
from core.store import Store
from studio.ops import run_in_thread

DEFAULT_TIMEOUT_S = 10.0


class RendererUnavailable(RuntimeError):
    """Chromium is missing or would not start; the message says what to do."""


def chromium_problem() -> str | None:
    """Why renders cannot work on this machine (Chromium missing), or None; instant, no launch."""
    try:
        find_chromium()
    except BrowserUnavailable as e:
        return f"Cannot render sketches: {e}. Set BRUSHWORK_CHROMIUM to a Chromium binary to use another."
    return None


def make_renderer(store: Store | None = None, *, cache: bool = True, pool_size: int = 2) -> Any:
    """A Renderer that starts Chromium on first use (or via start_renderer); caches in `store`."""
    return Renderer(pool_size=pool_size, store=store if cache else None)


async def start_renderer(renderer: Any) -> None:
    """Launch Chromium and warm the pages; raises RendererUnavailable with a clear message."""
    try:
        await renderer.start()
    except BrowserUnavailable as e:
        raise RendererUnavailable(f"Cannot render sketches: {e}.") from e


async def close_renderer(renderer: Any) -> None:
    """Close the renderer and its Chromium (safe to call twice or with None)."""
    if renderer is not None:
        await renderer.close()


async def render_sketch(renderer: Any, code: str, *, seed: int, size: int, timeout: float = DEFAULT_TIMEOUT_S,
                        pixel_density: float = 1.0) -> Any:
    """Render code to a PNG (`RenderResult`); cancel the awaiting task to stop it."""
    return await renderer.render(code, seed=seed, size=size, timeout=timeout, pixel_density=pixel_density)


def _cached_png(store: Store, code: str) -> bytes | None:
    rec = store.latest_good_render(code)
    if rec is not None and rec.png_path is not None:
        try:
            return rec.png_path.read_bytes()
        except OSError:
            return None
    return None


async def cached_png(store: Store, code: str) -> bytes | None:
    """The latest stored render of this exact code (any seed or size), or None; never renders."""
    return await run_in_thread(_cached_png, store, code)


async def thumbnail_png(store: Store, renderer: Any, code: str, *, seed: int = 1, size: int = 512) -> bytes | None:
    """The latest render of this code; rendered (and cached) in the background if there is none."""
    png = await run_in_thread(_cached_png, store, code)
    if png is not None or renderer is None:
        return png
    result = await render_sketch(renderer, code, seed=seed, size=size)
    if result.ok and not getattr(result, "cached", False):
        await run_in_thread(
            store.save_render, code, seed, result.width, result.height, png=result.png, ms=result.ms
        )
    return result.png if result.ok else None
