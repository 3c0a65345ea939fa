"""Start the studio: QApplication + qasync event loop, the Store, the Renderer in that loop, the window.

`brushwork studio` and `make run` call main(). Problems a user can fix (a read-only or locked
database, a missing Chromium) are shown in a message box and printed, never as a traceback.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import sys

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.store import Store, StoreError
from studio.bus import ChangeBus, Jobs
from studio.main_window import MainWindow
from studio.ops.render import (
    RendererUnavailable,
    chromium_problem,
    close_renderer,
    make_renderer,
    start_renderer,
)


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="brushwork studio")
    p.add_argument("--quit-after", type=int, default=None, metavar="MS",
                   help="close the window after MS milliseconds (smoke tests; no blocking dialogs)")
    return p.parse_args(argv)


def _tell(parent: QWidget | None, title: str, text: str, *, fatal: bool, interactive: bool) -> None:
    """Print the problem and show it in a message box (blocking only when fatal and interactive)."""
    print(f"brushwork: {text}", file=sys.stderr)
    icon = QMessageBox.Icon.Critical if fatal else QMessageBox.Icon.Warning
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("startupProblem")
    if fatal and interactive:
        box.exec()
    else:
        box.open()  # non-blocking: the studio keeps working without renders


# Python hands the GIL to a waiting thread after this long (default 5 ms). The GUI thread drops and
# retakes the GIL at every call into Qt, so each paint waited up to 5 ms per call while a reader thread
# parsed metric rows: a 600,000-row run stalled the window ~0.2 s at a time (bench training-pane).
GIL_SWITCH_S = 0.0005


def tune_gil() -> None:
    """Let the GUI thread take the GIL back quickly from background readers (the studio's own setting)."""
    sys.setswitchinterval(GIL_SWITCH_S)


def freeze_startup_objects() -> None:
    """Exempt everything built so far (modules, Qt wrappers, the window) from the garbage collector's
    full passes. Each full pass walked them all with the GIL held — 60–70 ms, from whichever thread
    triggered it, during which the window could not paint; with them frozen a pass takes ~10–20 ms."""
    gc.freeze()


def main(argv: list[str] | None = None) -> int:
    """Run the studio until its window closes; returns the exit status."""
    args = _parse(list(argv or []))
    tune_gil()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    # Offscreen (CI, tests) there is nobody to click OK: never block on a dialog there.
    interactive = args.quit_after is None and app.platformName() != "offscreen"
    app.setApplicationName("Brushwork")
    app.setOrganizationName("Brushwork")
    try:
        store = Store()
    except StoreError as e:
        _tell(None, "Brushwork cannot open its library", str(e), fatal=True, interactive=interactive)
        return 1

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    problem = chromium_problem()
    renderer = None if problem else make_renderer(store)
    bus, jobs = ChangeBus(), Jobs()
    window = MainWindow(store, renderer, bus, jobs)
    freeze_startup_objects()
    closed = asyncio.Event()
    window.closing.connect(closed.set)
    app.setQuitOnLastWindowClosed(False)  # we quit ourselves, after the renderer is closed
    window.show()
    if problem:
        _tell(window, "Rendering unavailable", problem, fatal=False, interactive=interactive)
    if args.quit_after is not None:
        window.confirm_close = False  # a smoke run has nobody to answer "save changes?"
        QTimer.singleShot(args.quit_after, window.close)

    async def warm_up() -> None:
        try:
            await start_renderer(renderer)
        except RendererUnavailable as e:
            _tell(window, "Rendering unavailable", str(e), fatal=False, interactive=interactive)

    async def lifetime() -> None:
        warm = asyncio.ensure_future(warm_up()) if renderer is not None else None
        await closed.wait()
        if warm is not None and not warm.done():
            warm.cancel()
        await close_renderer(renderer)  # no chromium may outlive the studio

    with loop:
        try:
            loop.run_until_complete(lifetime())
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
