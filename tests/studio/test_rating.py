"""The Rate pane with pytest-qt: keys, progress, undo under a filter, preloading, the pool view, and
an end-to-end run (import, rate 50 by keyboard, undo one, kill -9 the app, restart, nothing lost)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from core.pool import RatingPool
from studio.bus import ChangeBus, Jobs
from tests.synthetic_paintings import synthetic_painting

REPO = Path(__file__).resolve().parent.parent.parent
COLOURS = {"peach": "#ffa64d", "blue": "#3b6fc4", "pink": "#ec7fb0", "red": "#c8283a", "yellow": "#f2c72e",
           "purple": "#7d4fb0", "green": "#3f9a3a", "brown": "#8a5a3b"}


def fill(pool: RatingPool, n: int, size: int = 160) -> list[int]:
    names = list(COLOURS)
    return [pool.add_image(synthetic_painting(COLOURS[names[i % 8]], size=size, seed=i),
                           prompt=f"draw a {names[i % 8]} hibiscus, study {i}").image.id for i in range(n)]


@pytest.fixture
def pool(store) -> RatingPool:
    return RatingPool(store)


@pytest.fixture
def make_pane(qtbot, pool, studio_loop):
    from studio.panes.rating import RatePane

    asyncio.set_event_loop(studio_loop)  # the pane's reads and commits are tasks; Qt events step them
    made = []

    def make(size=(1200, 820)):
        bus = ChangeBus()
        pane = RatePane(pool, bus, Jobs())
        qtbot.addWidget(pane)
        pane.resize(*size)
        pane.show()
        qtbot.waitExposed(pane)
        made.append(pane)
        settle(qtbot, pane)
        return pane
    yield make
    for pane in made:
        pane.shutdown()


def settle(qtbot, pane) -> None:
    """Wait until every queued rating is committed and every read has come back."""
    qtbot.waitUntil(lambda: pane.ready, timeout=10000)


def press(qtbot, pane, key) -> None:
    before = pane.view.paint_count
    QTest.keyClick(pane, key)
    qtbot.waitUntil(lambda: pane.view.paint_count > before, timeout=3000)
    settle(qtbot, pane)


def test_keys_rate_skip_back_undo_and_progress(make_pane, pool, qtbot):
    fill(pool, 12)
    pane = make_pane()
    assert pane.progress.text.startswith("0 / 12 rated · 0 love · 0 okay · 0 nope")
    order = list(pane.queue.ids)
    assert pane.view.image_id == order[0]
    press(qtbot, pane, "1")
    press(qtbot, pane, "2")
    press(qtbot, pane, "3")
    press(qtbot, pane, Qt.Key.Key_Space)
    assert pane.view.image_id == order[4]
    assert [pool.tier(i) for i in order[:4]] == ["love", "okay", "nope", None]
    assert pane.progress.text.startswith("3 / 12 rated · 1 love · 1 okay · 1 nope")
    press(qtbot, pane, Qt.Key.Key_Left)
    press(qtbot, pane, Qt.Key.Key_Left)
    assert pane.view.image_id == order[2] and pane.view.tier == "nope"  # back shows what was rated
    press(qtbot, pane, "2")  # a re-rate keeps history
    assert [e.tier for e in pool.history(order[2])] == ["nope", "okay"]
    press(qtbot, pane, "z")
    assert pool.tier(order[2]) == "nope" and pane.view.image_id == order[2]
    QTest.keyClick(pane, "z", Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, pane)
    assert pool.tier(order[2]) is None
    assert pane.progress.text.startswith("2 / 12 rated · 1 love · 1 okay · 0 nope")
    QTest.keyClick(pane, "?")
    assert pane.cheatsheet.isVisible()
    QTest.keyClick(pane, Qt.Key.Key_Escape)
    assert not pane.cheatsheet.isVisible()


def test_undo_under_unrated_filter_brings_the_image_back(make_pane, pool, qtbot):
    fill(pool, 10)
    pane = make_pane()
    assert pane.filters.values()["show"] == "unrated"
    first = pane.queue.current
    press(qtbot, pane, "1")
    # the filter is re-applied (as after any filter change): the rated image is no longer in the queue
    pane.filters.colour_box.setCurrentIndex(0)
    pane.reload()
    settle(qtbot, pane)
    assert first not in pane.queue.ids
    press(qtbot, pane, "z")
    assert pane.view.image_id == first and pane.queue.current == first
    assert pool.tier(first) is None
    press(qtbot, pane, "3")
    assert pool.tier(first) == "nope"


def test_filters_narrow_the_queue(make_pane, pool, qtbot):
    ids = fill(pool, 16)
    pool.rate(ids[0], "love")
    pane = make_pane()
    assert len(pane.queue) == 15
    pane.filters.set_show("love")
    settle(qtbot, pane)
    assert pane.queue.ids == [ids[0]]
    pane.filters.set_show("all")
    pane.filters.colour_box.setCurrentIndex(pane.filters.colour_box.findData("blue"))
    settle(qtbot, pane)
    assert {pool.image(i).colour_group for i in pane.queue.ids} == {"blue"} and len(pane.queue) == 2
    pane.filters.colour_box.setCurrentIndex(0)
    pane.filters.text.setText("study 3")
    qtbot.waitUntil(lambda: len(pane.queue) == 1, timeout=2000)
    pane.filters.text.setText("")
    pane.filters.order_box.setCurrentIndex(pane.filters.order_box.findData("prompt"))
    settle(qtbot, pane)
    prompts = [pool.image(i).prompt for i in pane.queue.ids]
    assert prompts == sorted(prompts)


def test_next_images_are_decoded_ahead(make_pane, pool, qtbot):
    from studio.panes.rating import PRELOAD_AHEAD

    fill(pool, 10, size=512)
    pane = make_pane()
    upcoming = pane.queue.upcoming(PRELOAD_AHEAD)
    sizes = {i: pane.view.target_size(512, 512) for i in upcoming}
    qtbot.waitUntil(lambda: all(pane.preloader.cached(i, sizes[i]) for i in upcoming), timeout=10000)
    misses = pane.preloader.misses
    for _ in range(PRELOAD_AHEAD):
        press(qtbot, pane, "2")
    assert pane.preloader.misses == misses  # every next image came from the cache
    assert pane.view.image.width() == sizes[upcoming[0]].width()  # decoded at the view's size, not 512


def test_a_thumbnail_stands_in_until_the_full_decode_lands(make_pane, pool, qtbot):
    fill(pool, 6, size=512)
    pane = make_pane()
    following = pane.queue.upcoming(1)[0]
    # decoding ahead starts once the first image is painted, which a loaded machine may still be doing
    qtbot.waitUntil(lambda: pane.preloader.peek_thumbnail(following) is not None, timeout=10000)
    qtbot.waitUntil(lambda: pane.preloader.idle, timeout=10000)
    pane.preloader.clear(keep_thumbnails=True)  # as if keys came faster than the full-size decoder
    QTest.keyClick(pane, Qt.Key.Key_Space)
    assert pane.view.preview and pane.view.image.width() <= 192  # the thumbnail, shown at once
    want = pane.view.target_size(512, 512).width()
    qtbot.waitUntil(lambda: not pane.view.preview and pane.view.image.width() == want, timeout=10000)
    assert pane.view.image_id == pane.queue.current


def test_pool_view_groups_by_colour_and_pins(make_pane, pool, qtbot, artifacts):
    ids = fill(pool, 48, size=256)
    for i in ids[:30]:
        pool.rate(i, "love" if i % 3 else "okay")
    pool.rate(ids[30], "nope")
    pane = make_pane(size=(1280, 860))
    for key in ("1", "2", "1", "3", Qt.Key.Key_Space):
        press(qtbot, pane, key)
    pane.pin_current()
    settle(qtbot, pane)
    assert pane.side.pinned_id == pane.queue.current
    (artifacts / "screens").mkdir(exist_ok=True)
    pane.grab().save(str(artifacts / "screens" / "rate.png"))
    QTest.keyClick(pane, "g")
    assert pane.pages.currentIndex() == 1
    settle(qtbot, pane)
    grid = pane.pool_view.grid
    groups = [s.group for s in grid.sections]
    assert groups[:8] == ["red", "peach", "yellow", "green", "blue", "purple", "pink", "brown"]
    peach = next(s for s in grid.sections if s.group == "peach")
    assert {im.colour_group for im in peach.images} == {"peach"}
    assert all(im.tier in ("love", "okay") for s in grid.sections for im in s.images)
    counts = pool.counts()
    assert sum(len(s.images) for s in grid.sections) == counts["love"] + counts["okay"] == 33
    assert all(s.thin for s in grid.sections if s.group != "neutral")  # ≤ 3 love each, below 10
    pane.pool_view.min_love.setValue(2)
    settle(qtbot, pane)
    assert not next(s for s in grid.sections if s.group == "peach").thin
    pane.pool_view.min_love.setValue(10)
    settle(qtbot, pane)
    pane.grab()  # the first paint asks for the thumbnails; the second shows them
    settle(qtbot, pane)
    pane.grab().save(str(artifacts / "screens" / "pool.png"))
    target = peach.images[0].id
    rect = grid._thumb_rect(peach, 0)
    QTest.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))
    settle(qtbot, pane)
    assert pane.side.pinned_id == target and pane.pages.currentIndex() == 0


def test_empty_pool_says_what_to_do(make_pane):
    pane = make_pane()
    assert pane.queue.current is None
    assert "Import a folder" in pane.view.placeholder
    QTest.keyClick(pane, "1")  # nothing to rate: nothing happens


APP = textwrap.dedent("""
    import asyncio, sys, time
    import qasync
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from core.pool import RatingPool
    from core.store import Store
    from studio.bus import ChangeBus, Jobs
    from studio.panes.rating import RatePane

    app = QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    pane = RatePane(RatingPool(Store()), ChangeBus(), Jobs())
    pane.resize(1200, 820)
    pane.show()
    report = loop.run_until_complete(pane.import_folder(sys.argv[1]))
    print("imported", len(report.imported), flush=True)
    while not pane.ready:  # the import's change reloads the queue in the background
        app.processEvents()
    for i in range(50):
        current = pane.queue.current
        before = pane.view.paint_count
        QTest.keyClick(pane, "123"[i % 3])
        while pane.view.paint_count == before:  # the next image is on screen: no waiting on the app
            app.processEvents()
        print("rated", current, flush=True)
    QTest.keyClick(pane, "z")
    while not pane.ready:  # the undo is committed (and every rating before it)
        app.processEvents()
    print("undone", pane.view.image_id, flush=True)
    print("ready", flush=True)
    time.sleep(600)
""")


def test_end_to_end_import_rate_50_undo_kill_restart(tmp_path, brushwork_home, qtbot, artifacts, studio_loop):
    folder = tmp_path / "renders"
    folder.mkdir()
    names = list(COLOURS)
    for i in range(64):
        (folder / f"r{i:02d}.png").write_bytes(synthetic_painting(COLOURS[names[i % 8]], size=256, seed=i))
        (folder / f"r{i:02d}.txt").write_text(f"draw a {names[i % 8]} flower")
    env = {**os.environ, "BRUSHWORK_HOME": str(brushwork_home), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", APP, str(folder)], stdout=subprocess.PIPE, text=True,
                            env=env, cwd=REPO)
    lines = []
    try:
        while not lines or lines[-1] != "ready":
            line = proc.stdout.readline()
            assert line, f"the app died: {lines[-3:]}"
            lines.append(line.strip())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert lines[0] == "imported 64"
    rated = [int(line.split()[1]) for line in lines if line.startswith("rated")]
    undone = int(next(line for line in lines if line.startswith("undone")).split()[1])
    assert len(rated) == 50 and undone == rated[-1]

    from core.store import Store
    from studio.panes.rating import RatePane

    pool = RatingPool(Store())  # the restart
    asyncio.set_event_loop(studio_loop)
    assert pool.counts()["rated"] == 49
    assert all(pool.tier(i) is not None for i in rated[:-1]) and pool.tier(undone) is None
    pane = RatePane(pool, ChangeBus(), Jobs())
    qtbot.addWidget(pane)
    pane.resize(1200, 820)
    pane.show()
    settle(qtbot, pane)
    assert pane.progress.text.startswith("49 / 64 rated")
    assert len(pane.queue) == 15 and undone in pane.queue.ids
    pane.show_page(1)
    settle(qtbot, pane)
    shown = {im.id: s.group for s in pane.pool_view.grid.sections for im in s.images}
    assert set(shown) == {i for i in rated[:-1] if pool.tier(i) in ("love", "okay")}
    assert all(pool.image(i).colour_group == g for i, g in shown.items())
    assert len({g for g in shown.values()}) == 8
    pane.shutdown()
