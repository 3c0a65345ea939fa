"""Real subprocesses for the store tests, started together and synchronised by their output lines.

No sleeps: each child prints a line when it reaches a point ("ready", "locked", …); the test waits
for that line, then writes to every child's stdin to release them at once.
"""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class ProcessGroup:
    """Child processes whose stdout lines are collected by reader threads."""

    def __init__(self, commands: list[list[str]]):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, cwd=REPO, env=env) for cmd in commands]
        self.lines: list[queue.SimpleQueue[str]] = [queue.SimpleQueue() for _ in self.procs]
        self.out: list[list[str]] = [[] for _ in self.procs]
        self.err: list[list[str]] = [[] for _ in self.procs]
        self._threads = []
        for i, proc in enumerate(self.procs):
            for stream, sink, q in ((proc.stdout, self.out[i], self.lines[i]), (proc.stderr, self.err[i], None)):
                t = threading.Thread(target=_pump, args=(stream, sink, q), daemon=True)
                t.start()
                self._threads.append(t)

    def __enter__(self) -> ProcessGroup:
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def wait_for_line(self, text: str, timeout: float = 120) -> None:
        """Block until every child has printed a line starting with `text` (or fail, with its stderr)."""
        for i, q in enumerate(self.lines):
            while True:
                try:
                    line = q.get(timeout=timeout)
                except queue.Empty:
                    raise AssertionError(f"child {i} never said {text!r}: {''.join(self.err[i])[-800:]}") from None
                if line is None:
                    raise AssertionError(f"child {i} exited before {text!r}: {''.join(self.err[i])[-800:]}")
                if line.startswith(text):
                    break

    def saw_line(self, text: str) -> bool:
        """Whether every child has printed a line starting with `text` so far (non-blocking)."""
        return all(any(line.startswith(text) for line in out) for out in self.out)

    def release(self) -> None:
        """Let every child go (one line to each stdin, back to back)."""
        for proc in self.procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()

    def finish(self, timeout: float = 120) -> list[tuple[int, str, str]]:
        """(returncode, stdout, stderr) of each child, once all have exited."""
        for proc in self.procs:
            proc.stdin.close()
            proc.wait(timeout=timeout)
        for t in self._threads:
            t.join(timeout)
        return [(p.returncode, "".join(o), "".join(e)) for p, o, e in zip(self.procs, self.out, self.err, strict=True)]


def _pump(stream, sink: list[str], q: queue.SimpleQueue | None) -> None:
    for line in stream:
        sink.append(line)
        if q is not None:
            q.put(line)
    if q is not None:
        q.put(None)


# One holder for the store tests, the Rate pane's contended test and the store and rating benchmarks. OR REPLACE:
# a benchmark takes the lock more than once on one database.
HOLD_SCRIPT = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT OR REPLACE INTO drafts (key, text, updated_at) VALUES ('lock-holder', 'x', 0)")
print("locked", flush=True)
sys.stdin.readline() if float(sys.argv[2]) <= 0 else time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


class HeldLock:
    """Another process holding the database's write transaction until released (or `seconds` pass)."""

    def __init__(self, group: ProcessGroup):
        self.group = group

    @property
    def holding(self) -> bool:
        """True until the holder has committed (and said so)."""
        return not self.group.saw_line("released")

    def release(self) -> None:
        self.group.release()
        self.group.wait_for_line("released")

    def wait(self, timeout: float = 60) -> int:
        """Wait until a timed holder has committed and exited; its exit status."""
        return self.group.procs[0].wait(timeout=timeout)


@contextmanager
def start_held_write_lock(path: Path | str, seconds: float = 0) -> Iterator[HeldLock]:
    """A child process that takes `BEGIN IMMEDIATE` on `path`; yields once it holds the lock.

    seconds <= 0: hold until `release()`; otherwise hold that long (a training step's commit).
    """
    with ProcessGroup([[sys.executable, "-c", HOLD_SCRIPT, str(path), str(seconds)]]) as group:
        group.wait_for_line("locked")
        held = HeldLock(group)
        yield held
        if seconds <= 0 and not group.saw_line("released"):
            held.release()
        group.finish(timeout=max(60.0, seconds + 30))
