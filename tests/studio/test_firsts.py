"""What a new user tripped over, across the window and panes: where the studio opens, the open sketch
after a restart, quitting over unsaved edits, G back from the pool, what the Rate caption says,
versions stacked in the Library, and a diff wide enough to read."""
from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from studio.bus import ChangeBus, Jobs
from tests.db_helpers import sql_rows
from tests.studio.conftest import wait_until
from tests.studio.test_rating import fill, make_pane, pool, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui
CODE = "function setup() {\n  createCanvas(128, 128, WEBGL);\n  background(200);\n  noLoop();\n}\n"


def test_first_start_opens_on_the_library(make_window):
    w = make_window()
    assert w.current_pane_name() == "Library"


def test_the_open_sketch_is_reopened_after_a_restart(make_window, store, arun):
    sid = store.add_sketch(CODE, source="human", title="kept open")
    w = make_window()

    async def body():
        await w.editor.open_sketch(sid)
        w.close()
        again = make_window()
        assert again.editor.restored is not None
        await again.editor.restored
        assert again.editor.sketch_id == sid and again.editor.text == CODE
    arun(body())


def test_quitting_over_unsaved_edits_asks_first(make_window, store, arun, qapp):
    qapp.setQuitOnLastWindowClosed(False)  # the window closes inside the running loop, as in the app
    w = make_window()
    w.confirm_close = True
    asked = []

    def answer(which: str) -> None:
        box = w.unsaved_box
        asked.append(box.text())
        button = next(b for b in box.buttons() if which in b.text().lower())
        button.click()

    async def body():
        await wait_until(lambda: w.editor.text, 5, "the editor")
        assert not w.editor.has_unsaved_work  # the untouched example of a new sketch is not asked about
        w.editor.code.setPlainText(CODE)
        QTest.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: w.unsaved_box.isVisible(), 5, "the question")
        answer("cancel")
        await asyncio.sleep(0.05)
        assert asked and "not saved" in asked[0] and w.isVisible()  # cancel keeps the window open
        w.close()
        await wait_until(lambda: w.unsaved_box.isVisible(), 5, "the question again")
        answer("save")
        await wait_until(lambda: not w.isVisible(), 10, "the window to close after saving")
        assert [r["code"] for r in sql_rows(store, "SELECT code FROM sketches WHERE source = 'human'")] == [CODE]
    try:
        arun(body())
    finally:
        qapp.setQuitOnLastWindowClosed(True)


def test_g_goes_to_the_pool_and_back(make_pane, pool, qtbot):  # noqa: F811
    fill(pool, 6)
    pane = make_pane()
    pane.setFocus()
    QTest.keyClick(pane.focusWidget() or pane, "g")
    assert pane.pages.currentIndex() == 1
    settle(qtbot, pane)
    assert pane.focusWidget() is pane.pool_view.grid  # the keyboard stays in the pane
    QTest.keyClick(pane.focusWidget(), "g")
    assert pane.pages.currentIndex() == 0
    QTest.keyClick(pane.focusWidget(), "g")
    QTest.keyClick(pane.focusWidget(), "g")
    assert pane.pages.currentIndex() == 0


def test_rate_caption_shows_the_position_and_the_file_name_not_the_id(make_pane, pool, qtbot, tmp_path):  # noqa: F811
    from core.pool import io as pool_io
    from studio.ops.rating import import_folder  # noqa: F401 (the op the Import menu runs)
    from tests.synthetic_paintings import synthetic_painting

    folder = tmp_path / "renders"
    folder.mkdir()
    for i in range(3):
        (folder / f"sunset-{i}.png").write_bytes(synthetic_painting("#ffa64d", size=96, seed=i))
        (folder / f"sunset-{i}.txt").write_text(f"a sunset, take {i}")
    pool_io.import_folder(pool, folder)
    pane = make_pane()
    im = pane.meta[pane.queue.current]
    caption = pane.info.text
    assert caption.startswith("1 of 3") and f"#{im.id}" not in caption
    assert pane.prompt.text == im.prompt and im.prompt.startswith("a sunset")
    assert im.name.startswith("sunset-") and im.name in caption  # the file it was imported from


def test_versions_of_one_sketch_stack_into_one_card(store, qtbot, arun, studio_loop):
    from studio.panes.library import LibraryPane

    asyncio.set_event_loop(studio_loop)
    root = store.add_sketch(CODE, source="starter", title="stacked")
    child = store.add_sketch(CODE.replace("200", "180"), source="human", parent_id=root, title="stacked")
    newest = store.add_sketch(CODE.replace("200", "160"), source="human", parent_id=child, title="stacked")
    other = store.add_sketch(CODE.replace("200", "10"), source="human", title="alone")
    pane = LibraryPane(store, None, ChangeBus(), Jobs())
    qtbot.addWidget(pane)
    pane.resize(1000, 700)
    pane.show()

    async def body():
        await pane.loaded
        await pane.idle()
        cards = {c.id: c for c in pane.model.cards}
        assert set(cards) == {newest, other}  # one card per sketch, the newest version shows
        assert cards[newest].versions == 3 and cards[other].versions == 1
        pane.grid.select_id(newest)
        await pane.delete_ids([newest])  # deleting the card removes the whole stack …
        assert {r["id"] for r in sql_rows(store, "SELECT id FROM sketches WHERE deleted_at IS NULL")} == {other}
        await pane.undo_delete()  # … and undo brings it all back
        await pane.idle()
        assert {c.id: c.versions for c in pane.model.cards} == {newest: 3, other: 1}
    arun(body())
    pane.shutdown()


def test_diff_opens_side_by_side_in_a_large_resizable_window(make_window, store, arun):
    w = make_window()
    w.resize(1280, 800)
    root = store.add_sketch(CODE, source="starter", title="diffed")
    child = store.add_sketch(CODE.replace("background(200);", "background(20);\n  fill(9);"), source="human",
                             parent_id=root)

    async def body():
        await w.editor.open_sketch(child)
        dialog = w.editor.compare(child)
        assert dialog.isVisible() and dialog.isSizeGripEnabled()
        assert dialog.width() >= 1000 and dialog.height() >= 600
        assert dialog.left.width() >= 400 and dialog.right.width() >= 400  # two readable columns
        left, right = dialog.left.toPlainText().splitlines(), dialog.right.toPlainText().splitlines()
        assert len(left) == len(right)  # aligned line by line
        assert "  background(200);" in left and "  background(20);" in right and "  fill(9);" in right
        assert dialog.changed_lines == 2
        dialog.resize(1200, 760)  # the user can make it bigger
        assert dialog.width() == 1200
        dialog.close()
    arun(body())
