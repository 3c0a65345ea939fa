"""The only door from the GUI into core: small functions, async where slow, never blocking the GUI thread.

Working off the GUI thread has one way, in studio/ops/background.py (`run_in_thread` for reads and
blocking calls, `run_in_writer` for writes in order; panes keep their tasks in a TaskSet); `start_job` /
`cancel_job` here run a coroutine as a background job the status bar lists (progress, cancel button).
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.store.home import studio_settings_file
from studio.bus import Job, Jobs
from studio.ops.background import run_in_thread, run_in_writer

__all__ = ["cancel_job", "run_in_thread", "run_in_writer", "start_job", "studio_settings_file"]

T = TypeVar("T")

_tasks: dict[int, asyncio.Task] = {}


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
