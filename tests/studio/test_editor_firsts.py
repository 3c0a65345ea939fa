"""What a new user tripped over in the editor: a stale painting, Enter without indent, console.log
nowhere, allowlist warnings on every starter, exports named `sketch-16.js` in the launch folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from tests.studio.conftest import wait_until
from tests.studio.test_editor import PAINT, shown

BROKEN = "function setup() {\n  createCanvas(256, 256, WEBGL);\n  brush.line(0, 0,\n"
CHATTY = PAINT.replace("  noLoop();", '  console.log("hello from the sketch", 42);\n  noLoop();')
OFF_LIST = PAINT.replace("  noLoop();", "  brush.noFill();\n  noLoop();")  # real p5.brush, not on the allowlist

pytestmark = pytest.mark.gui


@pytest.mark.browser
def test_a_sketch_that_never_rendered_shows_no_other_painting(make_editor, arun, store):
    pane = make_editor()
    pane.live.timeout_s = 60.0  # a busy test machine must not turn the painting into a timeout
    broken_id = store.add_sketch(BROKEN, source="human", title="broken")

    async def body():
        pane.code.setPlainText(PAINT)
        await shown(pane, PAINT, timeout=120)
        assert pane.preview.png is not None
        await pane.open_sketch(broken_id)
        assert pane.preview.png is None and pane.preview.placeholder == "Not rendered yet."
        assert pane.render_status.text() == ""
        await wait_until(lambda: pane.last_outcome is not None, 120, "the broken sketch's render")
        assert not pane.last_outcome.result.ok
        assert pane.preview.png is None  # still nothing: never the previous sketch's painting
        assert "failed" in pane.preview.placeholder
    arun(body(), timeout=300)


@pytest.mark.browser
def test_console_strip_shows_console_log(make_editor, arun):
    pane = make_editor()
    pane.live.timeout_s = 60.0

    async def body():
        pane.code.setPlainText(CHATTY)
        out = await shown(pane, CHATTY, timeout=120)
        assert out.result.ok
        assert any("hello from the sketch" in line and "42" in line for line in pane.console.lines)
        assert pane.console.isVisible()
        pane.code.setPlainText(PAINT)
        await shown(pane, PAINT, timeout=120)
        assert pane.console.lines == []  # the strip belongs to the last render
    arun(body(), timeout=300)


def test_enter_keeps_the_indent_and_closing_brace_dedents(make_editor):
    pane = make_editor(renderer=None)
    pane.code.setPlainText("function setup() {")
    pane.code.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClick(pane.code, Qt.Key.Key_Return)
    QTest.keyClicks(pane.code, "background(0);")
    QTest.keyClick(pane.code, Qt.Key.Key_Return)
    QTest.keyClicks(pane.code, "}")
    assert pane.text == "function setup() {\n  background(0);\n}"


def test_allowlist_warnings_only_for_model_sketches_or_on_request(make_editor, arun, store):
    pane = make_editor(renderer=None)
    human = store.add_sketch(OFF_LIST, source="human", title="mine")
    model = store.add_sketch(OFF_LIST + "\n", source="model", title="the model's")

    def amber() -> list:
        return [m for m in pane.code.marks if m.severity == "warning"]

    async def checked(sketch_id: int | None = None) -> None:
        if sketch_id is not None:
            await pane.open_sketch(sketch_id)
        pane.last_check = None
        pane._check_timer.start()
        await wait_until(lambda: pane.last_check is not None, 30, "the static check")

    async def body():
        await checked(human)
        assert not amber() and "allowlist" not in pane.check_label.text()
        assert pane.check_label.toolTip() == ""
        await checked(model)
        assert [m.message.split(" ")[0] for m in amber()] == ["brush.noFill"]
        assert "off the model allowlist" in pane.check_label.text()
        assert "8 brush methods" in pane.check_label.toolTip()  # explained where it shows
        assert "person writes may use any" in amber()[0].message
        await checked(human)
        pane.allowlist_action.setChecked(True)  # the user asks
        await checked()
        assert amber()
    arun(body())


def test_export_suggests_the_title_in_the_last_export_folder(make_editor, arun, store, tmp_path):
    pane = make_editor(renderer=None)
    sketch_id = store.add_sketch(PAINT, source="starter", title="Peach Hibiscus, at dusk")

    async def body():
        await pane.open_sketch(sketch_id)
        first = pane.suggested_export_path()
        assert first == Path.home() / "peach-hibiscus-at-dusk.js"
        out = tmp_path / "exports" / "mine.js"
        out.parent.mkdir()
        await pane.export_to(out)
        assert out.read_text(encoding="utf-8") == PAINT
        assert pane.suggested_export_path() == out.parent / "peach-hibiscus-at-dusk.js"
    arun(body())
