"""The only door from the GUI into core: small functions, async where slow, never blocking the GUI thread.

Shared helpers live here: `run_in_thread` for blocking core calls, and `start_job` / `cancel_job`
to run a coroutine as a background job the status bar lists (with progress and a cancel button).
"""
from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from core.store.home import studio_settings_file
from studio.bus import Job, Jobs

__all__ = ["cancel_job", "run_in_thread", "start_job", "studio_settings_file"]

T = TypeVar("T")

_tasks: dict[int, asyncio.Task] = {}


async def run_in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking `fn(*args, **kwargs)` in the default executor and await its result."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a task stepped by Qt events outside run_forever (qasync under pytest-qt)
        loop = asyncio.get_event_loop_policy().get_event_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))


def start_job(jobs: Jobs, title: str, work: Callable[[Job], Awaitable[T]]) -> asyncio.Task:
    """Run `work(job)` as a task listed in the status bar until it ends; cancel_job stops it."""
    job = jobs.start(title)

    async def runner() -> T:
        try:
            return await work(job)
        finally:
            _tasks.pop(job.id, None)
            jobs.finish(job)

    task = asyncio.ensure_future(runner())
    _tasks[job.id] = task
    return task


def cancel_job(jobs: Jobs, job: Job) -> None:
    """Mark the job cancelled and cancel its task, if it was started with start_job."""
    jobs.cancel(job)
    task = _tasks.get(job.id)
    if task is not None and not task.done():
        task.cancel()
