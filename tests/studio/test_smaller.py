"""The smaller things a newcomer tripped over: a .csv imported as a sketch, search keys that went nowhere,
"All done" over skipped images, "Least sure" before any model, light notices on the dark theme,
dialogs without Close."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
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


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_notices_read_on_either_theme_without_being_told(qtbot, qapp, mode):
    """One NoticeBar (editor and library alike): on the window's background, each kind is a tint of that
    background (a light bar no longer glares on the dark theme) and its text keeps a legible contrast."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from studio.theme import apply_theme
    from studio.widgets.notice_bar import NoticeBar

    root = QWidget()
    qtbot.addWidget(root)
    bars = {kind: NoticeBar(root) for kind in ("info", "warning", "error")}
    layout = QVBoxLayout(root)
    for kind, bar in bars.items():
        layout.addWidget(bar)
        bar.show_message(f"a {kind} notice", kind=kind)
    root.resize(400, 200)
    root.show()
    try:
        apply_theme(qapp, mode, root)
        qtbot.wait(20)
        shot = root.grab().toImage()
        window = root.palette().color(QPalette.ColorRole.Window)
        fills = {}
        for kind, bar in bars.items():
            fill_colour = shot.pixelColor(bar.geometry().topLeft() + QPoint(4, bar.height() // 2))
            text = bar.label.palette().color(QPalette.ColorRole.WindowText)
            assert abs(_luminance(fill_colour) - _luminance(window)) < 0.3, (kind, fill_colour.name(), window.name())
            assert _contrast(fill_colour, text) >= 4.5, (kind, fill_colour.name(), text.name())
            fills[kind] = fill_colour.name()
        assert len(set(fills.values())) == 3, fills  # the kinds can be told apart
        assert all(bar.text for bar in bars.values())
    finally:
        apply_theme(qapp, "light", root)


def test_the_editor_and_the_library_share_one_notice_bar(qtbot, store):
    from studio.panes.editor import EditorPane
    from studio.panes.library import LibraryPane
    from studio.widgets.notice_bar import NoticeBar

    editor, library = EditorPane(store, None, ChangeBus(), Jobs()), LibraryPane(store, None, ChangeBus(), Jobs())
    for pane in (editor, library):
        qtbot.addWidget(pane)
    try:
        assert type(editor.notice) is NoticeBar and type(library.notice) is NoticeBar
        assert editor.notice.timeout_ms is None and library.notice.timeout_ms  # an editor error stays until read
    finally:
        for pane in (editor, library):
            pane.shutdown()


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
