"""The one way the studio works off the GUI thread: asyncio tasks on the qasync loop, awaiting threads.

- `run_in_thread(fn, ...)`: reads and other blocking calls (files, SQLite reads, subprocesses) on the
  asyncio default executor; the task resumes on the GUI thread with the result.
- `run_in_writer(store, fn, ...)`: writes on core's serial writer (`Store.submit`: one thread, calls in
  the order they were queued), so "rate, then undo" from two key presses commits in that order and
  a key press never waits for another process's write lock.

Ops (studio/ops) are `async def` functions built on these; panes await them in tasks they keep in a
`TaskSet` (studio/panes/tasks.py) and never touch disk or SQLite themselves
(tests/studio/test_gui_thread_io.py walks every pane to check).
Order: a pane spawns one task per key press; asyncio starts tasks in the order they were made
(`call_soon` is FIFO, qasync included), so writes reach `Store.submit` in key order.
"""
from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from core.store import Store

T = TypeVar("T")

__all__ = ["run_in_thread", "run_in_writer"]


def _loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # a task stepped by Qt events outside run_forever (qasync under pytest-qt)
        return asyncio.get_event_loop_policy().get_event_loop()


async def run_in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking `fn(*args, **kwargs)` in the default executor and await its result."""
    return await _loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))


async def run_in_writer(store: Store, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Queue `fn(*args, **kwargs)` on the store's serial writer thread and await its result.

    The call is queued when the task first runs (before any await), so tasks spawned in order
    write in order. Cancelling the awaiting task does not cancel the write: a rating queued behind
    another process's lock still commits (Store.close drains the writer). For short writes a person
    waits on; a long job (an import of thousands of files) runs through run_in_thread instead, so
    it does not hold up every rating behind it.
    """
    return await asyncio.shield(asyncio.wrap_future(store.submit(fn, *args, **kwargs), loop=_loop()))
