"""TaskSet: the asyncio tasks one pane started, so it can wait for them all or cancel them all on close.

Panes spawn coroutines (thumbnail loads, run polls, the ops in studio/ops that read in a thread or write
on the store's writer) from their Qt slots; they must not outlive the pane, and an error in one goes to
the pane's `on_error` rather than vanishing with the task. The set holds each task until it ends: the
event loop keeps only weak references.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine


class TaskSet:
    """The asyncio tasks one pane started: spawn, wait for all, cancel all; errors go to `on_error`."""

    def __init__(self, on_error: Callable[[BaseException], None]):
        self.tasks: set[asyncio.Task] = set()
        self.on_error = on_error

    def spawn(self, coro: Coroutine | asyncio.Future) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self._done)
        return task

    @property
    def idle(self) -> bool:
        """No task of this set is still running (tests and benchmarks wait on this)."""
        return not self.tasks

    def _done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.on_error(task.exception())

    async def wait(self) -> None:
        while self.tasks:
            await asyncio.wait(list(self.tasks))

    def cancel_all(self) -> None:
        for task in list(self.tasks):
            task.cancel()
