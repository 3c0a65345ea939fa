"""Nothing on the GUI thread touches disk or SQLite: a recorded walk through every pane of a real window.

A MainWindow on a real Store (with pool images, a prompt-evolution run and a live training run
written by another process) is clicked through: every pane is shown and used the way a person would
(open a starter from the menu, edit and save, rate and undo, switch rubric presets, choose a training
preset and stop the run, stop an evolution and start a new one, open the diagnostics), then the
window is closed. Meanwhile every file open, directory listing, stat, file-system change, process
start, socket connect, SQLite connect and SQLite statement made *on the GUI thread* is recorded,
and the test fails listing each with the code that made it.

Allowed on the GUI thread: Python's import machinery reading modules (a module imported at first use),
PySide6's import hook (shibokensupport reads an importing module's source to look for
`from __feature__ import`), and `linecache` (formatting a traceback). Not seen by these hooks, so not
judged here: Qt's own C++ file access (QSettings' INI file, fonts, icon themes, Qt resources) and
decoding inside Qt classes; the final `Store.close()` after the window has gone (app teardown).
"""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from core.pool import RatingPool
from tests.synthetic_paintings import synthetic_painting

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
AUDITED = {"open", "os.listdir", "os.scandir", "os.mkdir", "os.remove", "os.rename", "os.rmdir", "os.truncate",
           "os.utime", "os.chmod", "os.link", "os.symlink", "shutil.copyfile", "shutil.move", "shutil.rmtree",
           "glob.glob", "sqlite3.connect", "subprocess.Popen", "os.posix_spawn", "socket.connect"}
ALLOWED_FRAMES = ("<frozen importlib", "shibokensupport", f"{os.sep}linecache.py")


class GuiThreadIo:
    """Records disk, process and SQLite calls made on the GUI (main) thread while `on`."""

    def __init__(self) -> None:
        self.on = False
        self.seen: list[tuple[str, str, str]] = []
        self._busy = threading.local()

    def note(self, what: str, detail: object) -> None:
        if not self.on or threading.current_thread() is not threading.main_thread() or getattr(self._busy, "x", 0):
            return
        self._busy.x = 1  # the recorder's own stack walk must not record itself
        try:
            stack = traceback.extract_stack()[:-2]
            if any(f.filename.startswith(ALLOWED_FRAMES[:2]) or f.filename.endswith(ALLOWED_FRAMES[2]) for f in stack):
                return
            ours = [f for f in stack if f"{os.sep}studio{os.sep}" in f.filename or f"{os.sep}core{os.sep}" in f.filename]
            where = " ← ".join(f"{Path(f.filename).parent.name}/{Path(f.filename).name}:{f.lineno} {f.name}"
                               for f in reversed(ours[-4:])) or "(no project frame)"
            self.seen.append((what, str(detail)[:120], where))
        finally:
            self._busy.x = 0

    def audit(self, event: str, args: tuple) -> None:
        if event in AUDITED and self.on:
            self.note(event, args[0] if args else "")

    def report(self) -> str:
        return "\n".join(f"  {what} {detail!r}\n      at {where}" for what, detail, where in self.seen)


RECORDER = GuiThreadIo()
_HOOKED = False


class RecordedConnection(sqlite3.Connection):
    """Every connection opened during the test: statements on the GUI thread are recorded."""

    def execute(self, sql, *args):  # noqa: ANN001, ANN201 (sqlite3's own signature)
        RECORDER.note("sqlite", sql)
        return super().execute(sql, *args)

    def executemany(self, sql, *args):  # noqa: ANN001, ANN201
        RECORDER.note("sqlite", sql)
        return super().executemany(sql, *args)

    def executescript(self, sql):  # noqa: ANN001, ANN201
        RECORDER.note("sqlite", sql)
        return super().executescript(sql)

    def cursor(self, *args):  # noqa: ANN001, ANN201
        RECORDER.note("sqlite cursor", "")
        return super().cursor(*args)


@pytest.fixture
def recorder(monkeypatch):
    """Hooks installed (audit events, os.stat / os.lstat, sqlite3.connect), recording off until a test turns it on."""
    global _HOOKED
    if not _HOOKED:  # an audit hook cannot be removed: install it once, gated by RECORDER.on
        sys.addaudithook(RECORDER.audit)
        _HOOKED = True
    real_connect, real_stat, real_lstat = sqlite3.connect, os.stat, os.lstat

    def connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        kwargs.setdefault("factory", RecordedConnection)
        return real_connect(*args, **kwargs)

    def stat(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        RECORDER.note("os.stat", path)
        return real_stat(path, *args, **kwargs)

    def lstat(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        RECORDER.note("os.lstat", path)
        return real_lstat(path, *args, **kwargs)
    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "lstat", lstat)
    RECORDER.seen.clear()
    yield RECORDER
    RECORDER.on = False


def _prompt_run(home: Path) -> Path:
    """A lineage file as gepa's callbacks write it (two candidates, one on the front)."""
    run = home / "prompt_runs" / "walk"
    run.mkdir(parents=True)
    metrics = {"n": 3, "hallucination_rate": 0.0, "render_rate": 1.0, "uses_brush_rate": 1.0, "score": 0.7}
    events = [
        {"event": "candidate", "idx": 0, "parents": [], "text": "seed", "status": "seed", "iteration": 0,
         "score": 0.2, "metrics": metrics},
        {"event": "candidate", "idx": 1, "parents": [0], "text": "seed\nUse ONLY brush.set", "status": "accepted",
         "iteration": 1, "score": 0.7, "metrics": metrics},
        {"event": "pareto", "iteration": 1, "front": [1]},
    ]
    (run / "lineage.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return run


@pytest.mark.slow
def test_walking_every_pane_touches_no_disk_or_sqlite_on_the_gui_thread(recorder, qtbot, studio_loop,
                                                                      brushwork_home, monkeypatch):
    from core.store import Store
    from studio.bus import ChangeBus, Jobs
    from studio.main_window import MainWindow
    from studio.ops.sketches import draft_key

    asyncio.set_event_loop(studio_loop)  # panes start tasks; Qt events step them
    store = Store()
    pool = RatingPool(store)
    for i, colour in enumerate(["#ffa64d", "#3b6fc4", "#ec7fb0", "#c8283a"] * 2):
        pool.add_image(synthetic_painting(colour, size=160, seed=i), prompt=f"a flower, study {i}")
    _prompt_run(brushwork_home)
    # two live runs: one stopped from the Stop button, one from the question when the window closes
    writers = [subprocess.Popen([sys.executable, "-m", "tests.synthetic_run", "--run-id", run_id,
                                 "--steps", "4000", "--interval", "0.1"], cwd=REPO, env=os.environ.copy())
               for run_id in ("walk-run", "walk-close")]
    window = None
    try:
        recorder.on = True
        window = MainWindow(store, None, ChangeBus(), Jobs())
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        panes = window.panes

        # Library: the starters are imported on first start; search, then clear.
        library = panes["Library"]
        qtbot.waitUntil(lambda: library.loaded.done() and library.model.rowCount() > 0, timeout=30_000)
        QTest.keyClicks(library.search, "flower")
        qtbot.wait(200)
        library.search.clear()
        qtbot.waitUntil(lambda: library.model.rowCount() > 0, timeout=10_000)

        # Editor: File › Open starter fills from the starters folder; open one, edit it, save a version.
        editor = panes["Editor"]
        file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
        starters = next(a.menu() for a in file_menu.actions() if a.menu() is not None)
        starters.aboutToShow.emit()
        qtbot.waitUntil(lambda: any(a.isEnabled() and not a.text().startswith("(") for a in starters.actions()),
                        timeout=10_000)
        next(a for a in starters.actions() if a.isEnabled()).trigger()
        qtbot.waitUntil(lambda: editor.sketch is not None, timeout=20_000)
        editor.code.setFocus()
        QTest.keyClicks(editor.code, "// walked ")
        qtbot.waitUntil(lambda: editor.dirty, timeout=5000)
        editor.save_version()
        qtbot.waitUntil(lambda: not editor.dirty, timeout=20_000)

        # Rate: 1, 2, undo, pin, the pool view and back.
        window.show_pane("Rate")
        rate = panes["Rate"]
        qtbot.waitUntil(lambda: rate.ready and rate.queue.current is not None, timeout=20_000)
        for key in ("1", "2", "z", "p", "g", "g"):
            QTest.keyClick(rate, key)
            qtbot.waitUntil(lambda: rate.ready, timeout=10_000)

        # Rubric: the presets are listed; switch to another one.
        window.show_pane("Rubric")
        rubric = panes["Rubric"]
        qtbot.waitUntil(lambda: rubric.preset_box.count() > 1 and rubric.rubric is not None, timeout=20_000)
        first = rubric.rubric.name
        rubric.preset_box.setCurrentIndex((rubric.preset_box.currentIndex() + 1) % rubric.preset_box.count())
        qtbot.waitUntil(lambda: rubric.rubric is not None and rubric.rubric.name != first, timeout=20_000)

        # Train: the presets fill the New run form; the live run is listed and stopped.
        window.show_pane("Train")
        train = panes["Train"]
        qtbot.waitUntil(lambda: train.preset.count() > 0 and train.form is not None, timeout=20_000)
        train.preset.setCurrentIndex((train.preset.currentIndex() + 1) % train.preset.count())
        qtbot.waitUntil(lambda: {r.id for r in train.running_runs()} == {"walk-run", "walk-close"},
                        timeout=30_000)
        train.select_run("walk-run")
        assert train.stop_selected()
        qtbot.waitUntil(lambda: writers[0].poll() is not None, timeout=20_000)  # SIGTERM reached it

        # Prompts: the run is shown; stop it; a new run from the form (nothing answers: refused, said).
        window.show_pane("Prompts")
        prompts = panes["Prompts"]
        qtbot.waitUntil(lambda: prompts.table.rowCount() == 2, timeout=20_000)
        prompts.stop()
        qtbot.waitUntil(lambda: "stop requested" in prompts.status.text(), timeout=10_000)
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        dialog = prompts.new_run_dialog()
        dialog.base_url.setText("http://127.0.0.1:9/v1")  # the discard port: nothing answers there
        dialog.accept()
        qtbot.waitUntil(lambda: prompts.problem.isVisible(), timeout=20_000)

        # Help › Diagnostics; then close over unsaved editor text and a running run: quit without
        # saving (the text is kept as a draft), stop the run; settings saved, panes shut down.
        diagnostics = window.show_diagnostics()
        qtbot.waitUntil(lambda: diagnostics.done_task.done(), timeout=60_000)
        window.show_pane("Editor")
        QTest.keyClicks(editor.code, "// unsaved ")
        qtbot.waitUntil(lambda: editor.dirty, timeout=5000)
        sketch_id, closed = editor.sketch_id, []
        window.closing.connect(lambda: closed.append(True))
        window.confirm_close = True
        window.close()
        next(b for b in window.unsaved_box.buttons() if b.text() == "Quit without saving").click()
        qtbot.waitUntil(lambda: getattr(train, "close_box", None) is not None and train.close_box.isVisible(),
                        timeout=5000)
        next(b for b in train.close_box.buttons() if b.text() == "Stop the run").click()
        qtbot.waitUntil(lambda: bool(closed), timeout=20_000)
        qtbot.waitUntil(lambda: writers[1].poll() is not None, timeout=20_000)  # the stop went out
        recorder.on = False
        assert not recorder.seen, f"{len(recorder.seen)} disk or SQLite calls on the GUI thread:\n{recorder.report()}"
    finally:
        recorder.on = False
        if window is not None:
            for pane in window.panes.values():
                getattr(pane, "shutdown", lambda: None)()
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
            writer.wait(10)
        store.close()
    from core.store import Store as Reopened

    again = Reopened()  # what the walk left: the saved version, the draft kept at close, the ratings
    try:
        draft = again.load_draft(draft_key(sketch_id))
        assert draft is not None and "// unsaved" in draft.text
        assert RatingPool(again).counts()["rated"] == 1  # 1 and 2, then one undo
    finally:
        again.close()
