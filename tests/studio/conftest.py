"""Fixtures for the studio's GUI tests: a qasync loop (Qt + asyncio in one thread) and a warm Renderer."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

qasync = pytest.importorskip("qasync")


@pytest.fixture(scope="module")
def studio_loop(qapp):
    """A qasync QEventLoop, as studio/app.py runs; tests drive it with `arun`."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()  # joins qasync's executor threads; a live QThread at exit aborts Python (rc 134)


@pytest.fixture(scope="module")
def studio_renderer(studio_loop):
    """One async Renderer started in that loop for the module (no cache: every render is real)."""
    from core.render import BrowserUnavailable, Renderer

    asyncio.set_event_loop(studio_loop)
    r = Renderer(pool_size=2)
    try:
        studio_loop.run_until_complete(r.start())
    except BrowserUnavailable as e:
        pytest.skip(f"no Chromium: {e}")
    yield r
    studio_loop.run_until_complete(r.close())


_LIVE_PANES: list[Any] = []


async def quiesce(renderer: Any = None) -> None:
    """Stop the panes' background work and let the renderer's pages finish reloading.

    pytest-qt processes Qt events between tests while the asyncio loop is not running; qasync then
    runs pending callbacks outside a running loop, which breaks Playwright calls in flight. So each
    test ends with nothing in flight.
    """
    import shiboken6

    for pane in _LIVE_PANES:
        if not shiboken6.isValid(pane) or not shiboken6.isValid(pane.live):
            continue  # a failed test's pane may already be gone; do not hide its error behind ours
        pane.live.stop()
        pane.tasks.cancel_all()
    _LIVE_PANES.clear()
    await asyncio.sleep(0.05)
    if renderer is not None and getattr(renderer, "_pool", None) is not None:
        await renderer._pool.wait_ready(renderer.pool_size, timeout=15)
    await asyncio.sleep(0.05)


@pytest.fixture
def arun(studio_loop, studio_renderer) -> Callable[..., Any]:
    """Run a coroutine to completion in the studio loop (safety timeout), then quiesce."""
    asyncio.set_event_loop(studio_loop)

    async def guarded(coro: Coroutine, timeout: float) -> Any:
        try:
            return await asyncio.wait_for(coro, timeout)
        finally:
            await quiesce(studio_renderer)

    def run(coro: Coroutine, timeout: float = 90.0) -> Any:
        return studio_loop.run_until_complete(guarded(coro, timeout))
    return run


async def wait_until(condition: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
    """Poll `condition` while the loop (and Qt) keep running; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)


@pytest.fixture
def make_editor(qtbot, store, studio_renderer):
    """Build an EditorPane on the test's store with the module's renderer, shown at a fixed size."""
    from studio.bus import ChangeBus, Jobs
    from studio.panes.editor import EditorPane

    def make(renderer: Any = studio_renderer, size: tuple[int, int] = (1200, 760)) -> Any:
        pane = EditorPane(store, renderer, ChangeBus(), Jobs())
        qtbot.addWidget(pane)
        pane.resize(*size)
        pane.show()
        _LIVE_PANES.append(pane)
        return pane

    return make
