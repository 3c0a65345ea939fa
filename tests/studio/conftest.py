"""Fixtures for the studio's GUI tests: a qasync loop (Qt + asyncio in one thread) and a warm Renderer."""
from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

qasync = pytest.importorskip("qasync")
shiboken6 = pytest.importorskip("shiboken6")
from PySide6.QtWidgets import QApplication  # noqa: E402 (after the skip: no Qt, no studio tests)


# Qt objects must die on the thread they live on (the GUI thread here), but Python's cyclic garbage
# collector runs on whichever thread happens to allocate when a generation fills up: a store writer, a
# decoder, an executor thread of a later test. A Qt object left in a reference cycle by one test was then
# destroyed on such a thread, and a later processEvents crashed (SIGSEGV). So the studio's tests collect
# garbage on the GUI thread after each test (what a test left behind dies there, while Qt is idle), with
# the imports frozen out of the collector's passes as studio/app.py does, so each pass stays cheap.
@pytest.fixture(scope="session", autouse=True)
def _frozen_imports():
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread():
    yield
    gc.collect()


@pytest.fixture(scope="module")
def studio_loop(qapp):
    """A qasync QEventLoop, as studio/app.py runs; tests drive it with `arun`."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    close_loop(loop)


def close_loop(loop: Any) -> None:
    """Close a qasync loop for good, on the GUI thread: its executor threads joined, its Qt timers gone."""
    loop.close()  # joins qasync's executor threads; a live QThread at exit aborts Python (rc 134)
    # close() only flags the loop's timer object stopped: Qt timers stay registered for callbacks that never
    # ran (call_later, wait_for deadlines). Collected later on another thread, it could not unregister them
    # ("QObject::~QObject: Timers cannot be stopped from another thread") and the next processEvents sent a
    # timer event to freed memory. Destroy it here, on its own thread, once the calls other threads queued
    # before the close (call_soon_threadsafe) have reached it.
    QApplication.instance().processEvents()
    shiboken6.delete(loop._timer)


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


def _shown(qtbot: Any, widget_class: type, store: Any, renderer: Any, size: tuple[int, int] | None = None) -> Any:
    """A pane or window built as the studio builds it (its own bus and jobs), registered with qtbot and shown."""
    from studio.bus import ChangeBus, Jobs

    widget = widget_class(store, renderer, ChangeBus(), Jobs())
    qtbot.addWidget(widget)
    if size is not None:
        widget.resize(*size)
    widget.show()
    return widget


@pytest.fixture
def make_window(qtbot, store, studio_loop):
    """Build shown MainWindows on the test's store (renderer: None unless given); their panes shut down after."""
    from studio.main_window import MainWindow

    asyncio.set_event_loop(studio_loop)  # panes start tasks (checks, library loads) on this loop
    made = []

    def make(renderer: Any = None) -> Any:
        made.append(_shown(qtbot, MainWindow, store, renderer))
        return made[-1]
    yield make
    for w in made:
        w.confirm_close = False  # closing at teardown asks nothing
        for pane in w.panes.values():
            if hasattr(pane, "shutdown"):
                pane.shutdown()


@pytest.fixture
def open_pane(qtbot, store, studio_loop):
    """Build a pane class on the test's store (no renderer), shown at `size`; shut down after the test."""
    made = []

    def make(pane_class: type, size: tuple[int, int]) -> Any:
        asyncio.set_event_loop(studio_loop)  # panes start tasks (presets, listings, reads) as they are built
        made.append(_shown(qtbot, pane_class, store, None, size))
        return made[-1]
    yield make
    for pane in made:
        pane.shutdown()


@pytest.fixture
def make_editor(qtbot, store, studio_renderer):
    """Build an EditorPane on the test's store with the module's renderer, shown at a fixed size."""
    from studio.panes.editor import EditorPane

    def make(renderer: Any = studio_renderer, size: tuple[int, int] = (1200, 760)) -> Any:
        _LIVE_PANES.append(_shown(qtbot, EditorPane, store, renderer, size))
        return _LIVE_PANES[-1]

    return make
