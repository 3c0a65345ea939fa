"""Helpers of the tests that watch a real `brushwork train` process through its database."""
from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def open_db(home: Path) -> sqlite3.Connection:
    """The data home's database, read beside the training process (it waits out the writer's lock)."""
    return sqlite3.connect(home / "brushwork.db", timeout=30)


def wait_for_run(pred: Callable[[], bool], proc: subprocess.Popen, timeout: float = 1200, poll: float = 0.1) -> None:
    """Poll `pred` until it holds; fail at once when the process exits first, or after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred():
                return
        except sqlite3.OperationalError:  # the database is not created yet
            pass
        if proc.poll() is not None:
            raise AssertionError(f"training exited early ({proc.returncode}):\n{proc.stdout.read()[-4000:]}")
        time.sleep(poll)
    raise AssertionError("timed out waiting for the run")
