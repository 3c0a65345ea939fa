"""TaskSet: the asyncio tasks one pane started, so it can wait for them all or cancel them all on close.

Panes spawn coroutines (thumbnail loads, run polls) that must not outlive them; an error in one goes
to the pane's `on_error` rather than vanishing with the task.
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
