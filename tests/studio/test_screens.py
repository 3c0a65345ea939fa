"""The studio fits its window: every pane at 900×600, 1280×800 and 1920×1080, light and dark.

Screenshots of all six panes and the Rate pane's Pool page go to
artifacts/screenshots/<pane>-<w>x<h>-<theme>.png (look at them); the assertions are the layout facts
behind "usable" for the Library, Editor, Rate and Pool: the key widgets are shown, inside the window
and not clipped, and no pane needs scrolling to be used. The Rubric, Train and Prompts panes may scroll
down at 900×600 but never sideways: their key controls are shown, within the window's width, and no
label or button of theirs is cut short.
"""
from __future__ import annotations

import asyncio

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QPushButton, QWidget

from core.pool import RatingPool
from studio.bus import ChangeBus, Jobs
from tests.studio.conftest import wait_until
from tests.synthetic_paintings import synthetic_painting

SIZES = [(900, 600), (1280, 800), (1920, 1080)]
COLOURS = ["#ffa64d", "#3b6fc4", "#ec7fb0", "#c8283a", "#f2c72e", "#7d4fb0", "#3f9a3a", "#8a5a3b"]


def clipped(widget: QWidget, window: QWidget) -> str | None:
    """Why `widget` is not fully usable in `window` (hidden, outside, cut by a parent), or None."""
    if not widget.isVisible():
        return "hidden"
    if widget.width() < 8 or widget.height() < 8:
        return f"squashed to {widget.width()}×{widget.height()}"
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    if not window.rect().contains(rect):
        return f"outside the window: {rect} not in {window.rect()}"
    if isinstance(widget, QAbstractScrollArea):
        return None  # its content covers it (visibleRegion is empty); inside the window is what counts
    seen = widget.visibleRegion().boundingRect()
    if seen != widget.rect():
        return f"cut: only {seen} of {widget.rect()} shows"
    return None


def layout_problems(w, widgets: dict[str, QWidget]) -> list[str]:  # noqa: ANN001 (MainWindow)
    """What keeps the pane on screen from being fully usable: scrolling, clipped or hidden widgets."""
    out = []
    area = w.stack.currentWidget()
    if area.verticalScrollBar().maximum() or area.horizontalScrollBar().maximum():
        out.append("the pane scrolls (it does not fit)")
    for what, widget in widgets.items():
        why = clipped(widget, w)
        if why:
            out.append(f"{what} {why}")
    name = w.current_pane_name()
    if name == "Library" and w.panes["Library"].grid.horizontalScrollBar().maximum():
        out.append("the grid scrolls sideways instead of reflowing")
    if name == "Rate":
        hints = w.panes["Rate"].hints
        needed = QLabel(hints.text()).sizeHint().width()  # the strip's text at its natural width
        if needed > hints.width():
            out.append(f"the key strip is cut ({needed} > {hints.width()})")
    if w.bus_messages:
        out.append(f"the status bar said: {w.bus_messages[-1]}")
    return out


def sideways_problems(w, widgets: dict[str, QWidget]) -> list[str]:  # noqa: ANN001 (MainWindow)
    """For a pane that may scroll down: it does not scroll sideways, its key widgets are shown within the
    window's width, and none of its visible one-line labels or buttons is narrower than its text."""
    out = []
    if w.stack.currentWidget().horizontalScrollBar().maximum():
        out.append("the pane scrolls sideways")
    for what, widget in widgets.items():
        left = widget.mapTo(w, QPoint(0, 0)).x()
        if not widget.isVisible():
            out.append(f"{what} hidden")
        elif widget.width() < 8 or widget.height() < 8:
            out.append(f"{what} squashed to {widget.width()}×{widget.height()}")
        elif left < 0 or left + widget.width() > w.width():
            out.append(f"{what} runs past the window's width ({left}..{left + widget.width()} of {w.width()})")
    pane = w.panes[w.current_pane_name()]
    for x in [*pane.findChildren(QLabel), *pane.findChildren(QPushButton)]:
        if not x.isVisible() or not x.text() or (isinstance(x, QLabel) and (x.wordWrap() or x.pixmap())):
            continue
        plain = isinstance(x, QPushButton) or x.textFormat() == Qt.TextFormat.PlainText or not QtGui.Qt.mightBeRichText(x.text())
        needed = x.fontMetrics().horizontalAdvance(x.text().replace("&", "")) if plain else x.sizeHint().width()
        room = x.width() - (8 if isinstance(x, QPushButton) else 0)  # a button's frame and padding
        if needed > room + 1:
            out.append(f"{type(x).__name__} {x.text()[:40]!r} is cut ({room} px for {needed})")
    return out


def scrolling_panes(w) -> dict[str, dict[str, QWidget]]:  # noqa: ANN001 (MainWindow)
    rubric, train, prompts = w.panes["Rubric"], w.panes["Train"], w.panes["Prompts"]
    return {
        "Rubric": {"preset": rubric.preset_box, "rescore": rubric.rescore_button, "save": rubric.save_button,
                   "spearman": rubric.rho_label, "sliders": rubric.controls, "ranking": rubric.grid},
        "Train": {"runs": train.run_list, "start": train.start_button, "stop": train.stop_button,
                  "resume": train.resume_button, "compare": train.overlay, "tabs": train.tabs},
        "Prompts": {"runs": prompts.runs, "new run": prompts.new_button, "from config": prompts.start_button,
                    "stop": prompts.stop_button, "candidates": prompts.table, "lineage": prompts.graph},
    }


def key_widgets(w) -> dict[str, dict[str, QWidget]]:  # noqa: ANN001 (MainWindow)
    lib, ed, rate = w.panes["Library"], w.panes["Editor"], w.panes["Rate"]
    return {
        "Library": {"search": lib.search, "grid": lib.grid, "open": lib.open_button, "delete": lib.delete_button,
                    "export": lib.export_button},
        "Editor": {"code": ed.code, "preview": ed.preview, "render": ed.toolbar.render_button,
                   "save": ed.toolbar.save_button, "check line": ed.check_label,
                   "history": ed.history},
        "Rate": {"image": rate.view, "prompt": rate.prompt, "caption": rate.info, "key strip": rate.hints,
                 "progress": rate.progress, "import": rate.import_button},
    }


def shot(w, path) -> None:  # noqa: ANN001 (a QWidget, a Path)
    """Save a screenshot with light PNG compression (the default level took 0.3 s a picture)."""
    assert w.grab().save(str(path), "PNG", 80)


def seed_data(store) -> int:  # noqa: ANN001 (Store)
    """Starters in the library (with stand-in thumbnails: no renders needed), a small rated pool."""
    from core.library.importing import import_starters
    from studio.ops.library import THUMB_SEED, THUMB_SIZE

    report = import_starters(store)
    for i, sketch_id in enumerate(report.added):
        sk = store.get_sketch(sketch_id)
        png = synthetic_painting(COLOURS[i % 8], size=THUMB_SIZE, seed=i)
        store.save_render(sk.code, THUMB_SEED, THUMB_SIZE, THUMB_SIZE, png=png, ms=1.0)
    pool = RatingPool(store)
    ids = [pool.add_image(synthetic_painting(COLOURS[i % 8], size=256, seed=i),
                          prompt=f"a watercolour study of a flower, number {i}").image.id for i in range(24)]
    for i in ids[:10]:
        pool.rate(i, ("love", "okay", "nope")[i % 3])
    return report.added[8]  # the ink skyline: pens render fast even on a busy machine


@pytest.mark.gui
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_pane_fits_at_three_sizes(theme, store, qtbot, studio_loop, studio_renderer, arun, artifacts):
    from studio.main_window import MainWindow

    asyncio.set_event_loop(studio_loop)
    starter_id = seed_data(store)
    bus = ChangeBus()
    w = MainWindow(store, studio_renderer, bus, Jobs())
    w.bus_messages = []  # errors a pane reported while we looked
    bus.message.connect(lambda text: w.bus_messages.append(text) if "error" in text.lower()
                        or "loop" in text.lower() else None)
    qtbot.addWidget(w)
    w.set_theme(theme)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    out = artifacts / "screenshots"
    out.mkdir(exist_ok=True)
    editor, rate = w.panes["Editor"], w.panes["Rate"]

    async def prepare() -> None:
        await w.panes["Library"].idle()
        editor.live.timeout_s = 60.0  # a loaded test machine must not turn the painting into a timeout
        await editor.open_sketch(starter_id)
        try:
            await wait_until(lambda: editor.last_outcome is not None and editor.last_outcome.result.ok
                             and editor.last_outcome.request.code == editor.text, 120, "the starter's painting")
        except AssertionError:
            outcome = editor.last_outcome
            raise AssertionError(f"no painting: {outcome and outcome.result.error}") from None
        await wait_until(lambda: rate.ready, 10, "the Rate pane's queue")
    arun(prepare(), timeout=180)

    problems: list[str] = []

    async def shoot() -> None:
        # Inside the running loop (as in the app): panes start tasks when they are shown or resized.
        for width, height in SIZES:
            w.resize(width, height)
            for name, widgets in key_widgets(w).items():
                w.show_pane(name)
                await asyncio.sleep(0.15)
                if name == "Library":
                    await w.panes["Library"].idle()
                    await asyncio.sleep(0.1)
                if name == "Rate":  # the picture decoded at the new size
                    await wait_until(lambda: rate.ready and rate.view.image is not None and not rate.view.preview,
                                     20, "the Rate pane's picture")
                shot(w, out / f"{name.lower()}-{width}x{height}-{theme}.png")
                problems.extend(f"{name} at {width}×{height}: {p}" for p in layout_problems(w, widgets))
            rate.show_page(1)  # the Rate pane's Pool page (G)
            await wait_until(lambda: rate.ready, 20, "the pool overview")
            rate.pool_view.grid.repaint()  # asks for the visible thumbnails …
            await wait_until(lambda: rate.ready, 20, "the pool thumbnails")  # … which are decoded off-thread
            shot(w, out / f"pool-{width}x{height}-{theme}.png")
            problems.extend(f"Pool at {width}×{height}: {p}" for p in layout_problems(w, {
                "grid": rate.pool_view.scroll, "summary": rate.pool_view.summary, "tier filter": rate.pool_view.show_box}))
            rate.show_page(0)
            for name, widgets in scrolling_panes(w).items():
                w.show_pane(name)
                if name == "Rubric":  # its sample of the rated pool is scored once, in the background
                    await wait_until(lambda: w.panes["Rubric"].sample is not None
                                     and "scored in" in w.panes["Rubric"].status.text(), 120, "the Rubric sample")
                await asyncio.sleep(0)  # one turn of the loop: the layout follows the new size
                shot(w, out / f"{name.lower()}-{width}x{height}-{theme}.png")
                problems.extend(f"{name} at {width}×{height}: {p}" for p in sideways_problems(w, widgets))
            why = clipped(w.statusBar(), w)
            if why:
                problems.append(f"status bar at {width}×{height}: {why}")
    arun(shoot(), timeout=300)
    assert not problems, "\n".join(problems)
    for pane in w.panes.values():
        if hasattr(pane, "shutdown"):
            pane.shutdown()
