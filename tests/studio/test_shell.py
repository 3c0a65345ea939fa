"""The studio shell: opens with six panes, Ctrl+1..6 switches, settings persist, jobs show and cancel,
problems a user can fix (missing Chromium, unusable database) are messages, and quitting leaves no Chromium."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.paths import REPO_ROOT
from tests.studio.conftest import wait_until

PANES = ["Library", "Editor", "Rate", "Rubric", "Train", "Prompts"]


def test_opens_with_six_panes_and_ctrl_digits_switch(make_window, qtbot):
    w = make_window()
    assert [w.switcher.item(i).text() for i in range(w.switcher.count())] == PANES
    assert type(w.panes["Editor"]).__name__ == "EditorPane"
    from studio.main_window import PANE_CLASSES
    assert [type(w.panes[name]) for name in PANES] == [PANE_CLASSES[name] for name in PANES]  # none a placeholder
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow(), timeout=3000)
    for i, name in reversed(list(enumerate(PANES))):
        QTest.keyClick(w, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.ControlModifier)
        assert w.current_pane_name() == name
        assert w.stack.currentWidget().widget() is w.panes[name]


def test_a_pane_that_fails_to_build_says_why_and_the_rest_work(make_window, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from studio import main_window

    class Broken(QWidget):
        def __init__(self, *args: object):
            raise RuntimeError("its database table is missing")

    monkeypatch.setitem(main_window.PANE_CLASSES, "Prompts", Broken)
    w = make_window()
    assert type(w.panes["Prompts"]).__name__ == "PlaceholderPane"
    assert "could not be loaded: RuntimeError: its database table is missing" in w.panes["Prompts"].text
    assert type(w.panes["Editor"]).__name__ == "EditorPane"
    w.show_pane("Prompts")
    assert w.current_pane_name() == "Prompts"


def test_settings_persist_between_windows(make_window, brushwork_home):
    w = make_window()
    w.resize(760, 540)  # within the offscreen screen (800×600): restoreGeometry keeps windows on screen
    w.show_pane("Rate")
    w.set_theme("dark")
    w.editor.toolbar.seed.setValue(4242)
    w.close()
    assert (brushwork_home / "studio.ini").exists()
    again = make_window()
    assert again.current_pane_name() == "Rate"
    assert (again.width(), again.height()) == (760, 540)
    assert again.dark and again.theme_actions["dark"].isChecked()
    assert again.editor.toolbar.seed.value() == 4242
    again.set_theme("light")
    assert not again.dark
    from PySide6.QtWidgets import QApplication
    assert QApplication.palette().window().color().lightness() > 128


def test_shortcut_help_lists_every_pane(make_window):
    w = make_window()
    rows = w.shortcuts()
    keys = {(where, key) for where, key, _ in rows}
    assert {("Window", f"Ctrl+{i}") for i in range(1, 7)} <= keys
    assert {("Editor", k) for k in ("Ctrl+S", "Ctrl+R", "Ctrl+Shift+N", "Ctrl+E")} <= keys
    dlg = w.show_shortcuts()
    from PySide6.QtWidgets import QTableWidget
    table = dlg.findChild(QTableWidget)
    cells = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert dlg.isVisible() and {"Ctrl+S", "Ctrl+E", "Ctrl+6", "F1"} <= cells


def test_jobs_show_progress_and_cancel(make_window, arun):
    from studio.ops import start_job

    w = make_window()
    seen = {}

    async def work(job):
        w.jobs.progress(job, 0.25)
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            seen["cancelled"] = True
            raise

    async def body():
        task = start_job(w.jobs, "Rendering thumbnails", work)
        await wait_until(lambda: w.jobs_bar.isVisible(), 5, "the jobs bar")
        from PySide6.QtWidgets import QLabel, QProgressBar, QToolButton
        assert w.jobs_bar.findChildren(QLabel)[0].text() == "Rendering thumbnails"
        await wait_until(lambda: any(b.value() == 250 for b in w.jobs_bar.findChildren(QProgressBar)), 5, "25 %")
        w.jobs_bar.findChildren(QToolButton)[0].click()
        await wait_until(lambda: task.done(), 5, "the cancelled task")
        assert task.cancelled() and seen.get("cancelled")
        await wait_until(lambda: not w.jobs_bar.isVisible(), 5, "the bar to hide")
    arun(body())


def test_open_sketch_from_bus_switches_to_editor(make_window, arun, store):
    w = make_window()
    w.show_pane("Library")
    sid = store.add_sketch("// from the library\n", source="model")

    async def body():
        w.bus.open_sketch.emit(sid)
        await wait_until(lambda: w.editor.sketch_id == sid, 10, "the editor to open it")
        assert w.current_pane_name() == "Editor" and w.editor.text == "// from the library\n"
    arun(body())


def test_main_window_screenshot(make_window, arun, studio_renderer, artifacts):
    w = make_window(studio_renderer)
    w.resize(1400, 860)
    starter = REPO_ROOT / "resources" / "starters" / "06-charcoal-tree.js"
    w.panes["Library"].shutdown()  # its thumbnails would compete for the two pages; its own tests cover them
    w.editor.live.timeout_s = 60

    async def body():
        from studio.ops.sketches import list_starters
        chosen = [s for s in list_starters() if s.path == starter][0]
        await w.editor.open_starter(chosen)
        await wait_until(lambda: w.editor.last_outcome and w.editor.last_outcome.request.code == w.editor.text,
                         90, "the starter's render")
        await asyncio.sleep(0.3)
        (artifacts / "screens").mkdir(parents=True, exist_ok=True)
        w.grab().save(str(artifacts / "screens" / "main_window.png"))
        assert w.editor.last_outcome.result.ok, w.editor.last_outcome.result.error
        generation = w.editor.live.generation
        w.set_theme("dark")
        assert not w.editor.live._timer.isActive()  # re-highlighting is not an edit: no re-render
        await asyncio.sleep(0.3)
        assert w.editor.live.generation == generation
        w.grab().save(str(artifacts / "screens" / "main_window_dark.png"))
        w.set_theme("light")
    arun(body(), timeout=150)


def _studio(env_extra: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env_extra}
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_missing_chromium_is_a_message_not_a_traceback(brushwork_home):
    proc = _studio({"BRUSHWORK_CHROMIUM": "/nonexistent/chromium", "BRUSHWORK_HOME": str(brushwork_home)},
                   "studio.app", "--quit-after", "1500")
    assert proc.returncode == 0, proc.stderr
    assert "chromium not found" in proc.stderr.lower() and "Cannot render sketches" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unusable_database_is_a_message_through_the_cli(tmp_path):
    home = tmp_path / "bad-home"
    (home / "brushwork.db").mkdir(parents=True)  # a folder where the database file should be
    proc = _studio({"BRUSHWORK_HOME": str(home)}, "core.cli", "studio")
    assert proc.returncode == 1, proc.stderr
    assert "brushwork:" in proc.stderr and "brushwork.db" in proc.stderr
    assert "Traceback" not in proc.stderr


SUBREAPER = r"""
import ctypes, os, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphaned grandchildren come back to us
rc = subprocess.call([sys.executable, "-m", "studio.app", "--quit-after", sys.argv[1]])
time.sleep(0.5)
from core.render.browser import chromium_pids
print("rc", rc, "left", len(chromium_pids()))
"""


def test_quitting_leaves_no_chromium(brushwork_home):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRUSHWORK_HOME": str(brushwork_home)}
    out = subprocess.run([sys.executable, "-c", SUBREAPER, "8000"], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=90)
    assert out.stdout.strip().endswith("rc 0 left 0"), out.stdout + out.stderr
    assert Path(brushwork_home / "studio.ini").exists()
    assert "Traceback" not in out.stderr


def test_switching_panes_moves_the_keyboard_focus_into_the_pane(make_window, qtbot):
    """After a click on "Rate" in the switcher, 1/2/3 must reach the Rate pane, not the list."""
    from PySide6.QtWidgets import QApplication

    w = make_window()
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow(), timeout=3000)
    w.switcher.setFocus()
    for name in ("Rate", "Editor", "Library"):
        w.switcher.setCurrentRow(PANES.index(name))  # what a mouse click on the item does
        focus = QApplication.focusWidget()
        assert focus is not None and w.panes[name].isAncestorOf(focus), (name, focus)
    w.show_pane("Editor")
    assert QApplication.focusWidget() is w.panes["Editor"].code


def test_help_diagnostics_shows_the_doctor_report(make_window, studio_loop):
    import asyncio

    w = make_window()
    dlg = w.show_diagnostics()
    studio_loop.run_until_complete(asyncio.wait_for(dlg.done_task, 120))
    text = dlg.findChild(__import__("PySide6.QtWidgets", fromlist=["QPlainTextEdit"]).QPlainTextEdit).toPlainText()
    assert "doctor" in text and "chromium" in text.lower() and "database" in text
    assert "sk-" not in text  # key values are never shown, only whether they are set
    # a fresh data home has no tiny model: in the studio that is missing, not a warning
    line = next(ln for ln in text.splitlines() if "tiny-model" in ln and "[" in ln)
    assert "[FAIL]" in line and "not built" in line, line


KILL_THE_CLI = r"""
import ctypes, os, signal, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphaned grandchildren come back to us
from core.render.browser import chromium_pids, descendant_pids
proc = subprocess.Popen([sys.executable, "-m", "core.cli", "studio", "--quit-after", "120000"])
def browser_up():
    # Two: the browser and a helper of its own. One alone may be the jail's launcher script, named
    # `chromium` until it execs `unshare`, which is no Chromium for a moment (a race seen under load).
    return len(chromium_pids()) >= 2
deadline = time.time() + 90
while not browser_up() and time.time() < deadline:
    time.sleep(0.2)
started = browser_up()
cmd = open(f"/proc/{proc.pid}/cmdline").read().split("\0")
os.kill(proc.pid, signal.SIGTERM)  # what `kill` of `brushwork studio` does
rc = proc.wait(30)
deadline = time.time() + 20
while descendant_pids() and time.time() < deadline:
    time.sleep(0.2)
print("started", started, "is-studio", cmd[1:3] == ["-m", "studio"], "rc", rc, "left", len(descendant_pids()))
"""


def test_kill_of_brushwork_studio_ends_the_studio_and_its_chromium(brushwork_home):
    """`brushwork studio` becomes the studio (execve): its pid is the studio's, so a kill leaves no orphan."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRUSHWORK_HOME": str(brushwork_home)}
    out = subprocess.run([sys.executable, "-c", KILL_THE_CLI], cwd=REPO_ROOT, env=env, capture_output=True,
                         text=True, timeout=180)
    assert out.stdout.strip().endswith("started True is-studio True rc -15 left 0"), out.stdout + out.stderr
