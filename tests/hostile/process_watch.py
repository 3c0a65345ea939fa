"""Watching `brushwork render` from outside, as a script the tests run in a subprocess.

  python tests/hostile/process_watch.py leftovers SKETCH [CLI ARGS...]
      Runs the CLI as a child of this process, which makes itself a child subreaper first: any process of
      the CLI's tree that outlives its parent is re-parented here, so Chromium processes left behind are
      counted whether or not a cgroup holds them. Prints {"rc", "at_exit", "after_1s", "after_4s"}.
  python tests/hostile/process_watch.py rss SKETCH [CLI ARGS...]
      Samples the resident memory of the CLI's Python and of its Playwright driver (node) every 20 ms.
      Prints {"rc", "python_mb", "driver_mb"} (peaks).
"""
from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
PR_SET_CHILD_SUBREAPER = 36


def _cli(sketch: str, args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "core.cli", "render", sketch, *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _chromium_left() -> int:
    """Live (not zombie) Chromium processes below this one; adopted orphans are reaped as we go."""
    count = 0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower() and child.status() != psutil.STATUS_ZOMBIE:
                count += 1
        except psutil.Error:
            continue
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    return count


def leftovers(sketch: str, args: list[str]) -> dict:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        return {"error": "cannot become a subreaper"}
    proc = _cli(sketch, args)
    rc = proc.wait(timeout=600)
    exited = time.monotonic()
    out = {"rc": rc, "at_exit": _chromium_left()}
    for label, at in (("after_1s", 1.0), ("after_4s", 4.0)):
        time.sleep(max(0.0, exited + at - time.monotonic()))
        out[label] = _chromium_left()
    return out


def rss(sketch: str, args: list[str]) -> dict:
    proc = _cli(sketch, args)
    cli = psutil.Process(proc.pid)
    peak_python = peak_driver = 0
    while proc.poll() is None:
        try:
            peak_python = max(peak_python, cli.memory_info().rss)
            children = cli.children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:  # Chromium's come and go: each one on its own
            try:
                if child.name().startswith("node"):  # "node-MainThread" on recent Node
                    peak_driver = max(peak_driver, child.memory_info().rss)
            except psutil.Error:
                continue
        time.sleep(0.02)
    return {"rc": proc.returncode, "python_mb": round(peak_python / 2**20, 1), "driver_mb": round(peak_driver / 2**20, 1)}


if __name__ == "__main__":
    what, sketch, *rest = sys.argv[1:]
    print(json.dumps({"leftovers": leftovers, "rss": rss}[what](sketch, rest)), flush=True)
