"""The smaller things a newcomer tripped over: a .csv imported as a sketch, search keys that went nowhere,
"All done" over skipped images, "Least sure" before any model, light notices on the dark theme,
dialogs without Close."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from core.pool import RatingPool
from studio.bus import ChangeBus, Jobs
from tests.studio.test_library import sketch
from tests.studio.test_rating import fill, settle

pytestmark = pytest.mark.gui


def test_a_csv_is_refused_by_the_library_import(store, studio_loop, tmp_path):
    from studio.ops.library import import_paths

    (tmp_path / "data.csv").write_text("x,y\n1,2\n")
    (tmp_path / "good.js").write_text(sketch("Good"))
    report = studio_loop.run_until_complete(import_paths(store, None, [tmp_path / "data.csv", tmp_path / "good.js"]))
    assert len(report.added) == 1 and [s.path.name for s in report.skipped] == ["data.csv"]
    assert "not a sketch" in report.skipped[0].reason
    assert [sk.title for sk in store.list_sketches()] == ["Good"]


def test_search_keys_reach_the_results(qtbot, store, studio_loop):
    from studio.panes.library import LibraryPane

    ids = [store.add_sketch(sketch(f"Boat {i}", x=100 + i), source="human", title=f"Boat {i}") for i in range(3)]
    bus = ChangeBus()
    pane = LibraryPane(store, None, bus, Jobs())
    qtbot.addWidget(pane)
    pane.resize(1000, 700)
    pane.show()
    opened: list[int] = []
    bus.open_sketch.connect(opened.append)
    try:
        studio_loop.run_until_complete(pane.idle())
        qtbot.waitUntil(lambda: pane.grid.model().rowCount() == 3, timeout=10_000)
        pane.search.setFocus()
        QTest.keyClick(pane.search, Qt.Key.Key_Down)
        assert pane.grid.hasFocus() and pane.grid.currentIndex().row() == 0
        pane.search.setFocus()
        QTest.keyClick(pane.search, Qt.Key.Key_Return)
        assert opened and opened[0] in ids
    finally:
        pane.shutdown()


def test_the_end_of_a_list_counts_skipped_images_and_home_goes_back(qtbot, store):
    from studio.panes.rating import RatePane

    pool = RatingPool(store)
    fill(pool, 4)
    pane = RatePane(pool, ChangeBus(), Jobs())
    qtbot.addWidget(pane)
    pane.resize(1100, 800)
    pane.show()
    try:
        settle(qtbot, pane)
        first = pane.queue.current
        QTest.keyClick(pane, Qt.Key.Key_Space)  # skip the first
        for key in "123":
            QTest.keyClick(pane, key)
        settle(qtbot, pane)
        assert pane.queue.current is None
        text = pane._empty_text()
        assert "All done" not in text and "1 of 4 still unrated" in text
        QTest.keyClick(pane, Qt.Key.Key_Home)
        assert pane.queue.current == first
        QTest.keyClick(pane, "1")
        settle(qtbot, pane)
        assert "All done" in pane._empty_text()
        # no reward model: "Least sure" is offered greyed out, saying why
        box = pane.filters.order_box
        item = box.model().item(box.findData("least_sure"))
        assert not item.isEnabled() and "No reward model yet" in item.toolTip()
    finally:
        pane.shutdown()


def test_notices_follow_the_dark_theme():
    from studio.panes.editor_parts import NoticeBar
    from studio.widgets.notice_bar import NoticeBar as LibraryNotice

    bar = NoticeBar()
    bar.show_warning("careful")
    light = bar.styleSheet()
    bar.set_dark(True)
    assert bar.styleSheet() != light and "#4a3b12" in bar.styleSheet()
    lib = LibraryNotice()
    lib.show_message("failed", kind="error")
    lib.set_dark(True)
    assert "#5a1e1c" in lib.styleSheet()


def test_shortcuts_and_diagnostics_have_close(qtbot, store, studio_loop):
    import asyncio

    from studio.main_window import MainWindow

    asyncio.set_event_loop(studio_loop)
    w = MainWindow(store, None, ChangeBus(), Jobs())
    qtbot.addWidget(w)
    try:
        for dlg in (w.show_shortcuts(), w.show_diagnostics()):
            buttons = dlg.findChild(QDialogButtonBox)
            close = buttons.button(QDialogButtonBox.StandardButton.Close)
            assert close is not None and dlg.isVisible()
            close.click()
            assert not dlg.isVisible()
        studio_loop.run_until_complete(asyncio.wait_for(w.diagnostics_dialog.done_task, 120))
    finally:
        for pane in w.panes.values():
            if hasattr(pane, "shutdown"):
                pane.shutdown()


def test_the_wheel_scrolls_the_form_instead_of_changing_a_field(qtbot):
    from dataclasses import dataclass, field

    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

    from studio.widgets.config_form import ConfigForm

    @dataclass
    class Many:
        lora_alpha: int = field(default=32, metadata={"help": "alpha"})
        min_free_mb: int = field(default=200, metadata={"help": "mb"})
        rest: list = field(default_factory=lambda: list(range(3)))

    form = ConfigForm(Many())
    for i in range(30):  # a long form, as the run config's
        form.layout_.addRow(f"filler {i}", QLabel("x"))
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(form)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    spin = form.editors["lora_alpha"][0]

    def wheel(widget) -> QWheelEvent:  # noqa: ANN001
        at = QPointF(widget.rect().center())
        event = QWheelEvent(at, QPointF(widget.mapToGlobal(at.toPoint())), QPoint(0, 0), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(widget, event)
        return event

    # Unfocused: the field keeps its value and leaves the event unaccepted; Qt hands a real (spontaneous)
    # wheel event left unaccepted to the parent, here the scroll area, which scrolls with it.
    event = wheel(spin)
    assert spin.value() == 32 and not event.isAccepted()
    before = area.verticalScrollBar().value()
    wheel(area.viewport())
    assert area.verticalScrollBar().value() > before
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=3000)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=3000)
    wheel(spin)
    assert spin.value() == 31  # a field with the focus takes the wheel
