"""The studio tests' event loops die on the GUI thread (conftest.close_loop).

A closed qasync loop keeps Qt timers registered for callbacks that never ran; when the garbage collector
later freed it on another thread, Qt could not unregister them and a later processEvents delivered a timer
event to freed memory: `make test`'s studio lane died with SIGSEGV. A call another thread queued before
the close must still find the loop's objects. Run in a child process, as a crash would take pytest with it.
"""
from __future__ import annotations

import subprocess
import sys

from tests.cli_helpers import REPO

SCRIPT = r"""
import asyncio, gc, sys, threading, time
import qasync
from PySide6.QtWidgets import QApplication
from tests.studio.conftest import close_loop

app = QApplication([])
for _ in range(3):
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(asyncio.sleep(0.01))
    for _ in range(5):
        loop.call_later(0.1, print)  # never runs: its Qt timer is still registered when the loop closes
    if "late" in sys.argv:  # a call another thread queued, not yet delivered when the loop closes
        late = threading.Thread(target=loop.call_soon_threadsafe, args=(print,))
        late.start()
        late.join()
    asyncio.set_event_loop(None)
    close_loop(loop) if sys.argv[1] == "close_loop" else loop.close()
    del loop
    collector = threading.Thread(target=gc.collect)  # the loop is cyclic garbage: freed on this thread
    collector.start()
    collector.join()
    for _ in range(30):  # past the timers' time: Qt fires them at whatever is left of their object
        app.processEvents()
        time.sleep(0.01)
print("survived")
"""
WRONG_THREAD = "Timers cannot be stopped from another thread"


def _run(*how: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, *how], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_a_closed_loop_leaves_no_qt_timer_for_another_thread():
    done = _run("close_loop")
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-2000:]
    assert WRONG_THREAD not in done.stderr
    late = _run("close_loop", "late")
    assert late.returncode == 0 and "survived" in late.stdout, late.stderr[-2000:]
    assert "already deleted" not in late.stderr  # the call queued before the close reached a live object
    # without it, Qt says the timers outlived their thread, and the process dies of them
    bare = _run("close")
    assert WRONG_THREAD in bare.stderr or bare.returncode != 0, (bare.returncode, bare.stderr[-2000:])
