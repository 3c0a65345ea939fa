"""Background processes the studio starts run below it: nice, and the autogroup of every session in
their tree (the trainer's, and the one Playwright gives each Chromium)."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psutil
import pytest

from studio.ops.launch import autogroup_nice, launch, lower_priority

# A parent that starts a child in a session of its own later, as the trainer's Playwright starts Chromium.
TREE = """
import subprocess, sys, time
time.sleep(0.5)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
time.sleep(30)
"""


def _wait(cond, timeout: float = 15.0):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_launched_tree_runs_at_background_priority(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("BRUSHWORK_BACKGROUND_NICE", raising=False)
    proc = launch([sys.executable, "-c", TREE], tmp_path / "tree.log")
    try:
        root = psutil.Process(proc.pid)
        assert root.nice() >= 10 and os.getsid(proc.pid) == proc.pid  # its own session
        child = _wait(lambda: root.children())[0]
        # a session of its own, as Chromium's: the child is seen as soon as it is forked, and calls setsid()
        # a moment later (on a loaded machine, after this line has looked)
        _wait(lambda: os.getsid(child.pid) == child.pid)
        assert child.nice() >= 10  # inherited from its parent
        if autogroup_nice(proc.pid) is None:
            pytest.skip("no autogroups on this kernel: nice alone decides")
        assert autogroup_nice(proc.pid) >= 10
        _wait(lambda: (autogroup_nice(child.pid) or 0) >= 10)  # the keeper lowered the session made later
    finally:
        for p in psutil.Process(proc.pid).children(recursive=True):
            p.kill()
        proc.kill()
        proc.wait()


def test_lower_priority_of_a_gone_process_is_quiet():
    assert lower_priority(2**22 + 12345) == 0
