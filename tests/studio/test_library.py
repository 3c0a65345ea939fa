"""Library pane with real renders: starters appear as paintings, filters narrow, delete/undo, open, export."""
from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtTest import QTest

from core.paths import STARTERS
from studio.bus import ChangeBus, Jobs

LINE = """// title: {title}
// prompt: {prompt}
function setup(){{ createCanvas(512,512,WEBGL); background(250); brush.set("HB","#333",1);
  brush.line(-100,-100,{x},100); noLoop(); }}
"""


def sketch(title: str, prompt: str = "", x: int = 100) -> str:
    return LINE.format(title=title, prompt=prompt, x=x)


@pytest.fixture
def make_pane(qtbot, store):
    """Build LibraryPanes shown at a fixed size; returns (pane, bus, jobs). Their work is cancelled after."""
    from studio.panes.library import LibraryPane

    panes = []

    def make(renderer=None, size=(1100, 720)):
        bus, jobs = ChangeBus(), Jobs()
        pane = LibraryPane(store, renderer, bus, jobs)
        qtbot.addWidget(pane)
        panes.append(pane)
        pane.resize(*size)
        pane.show()
        return pane, bus, jobs
    yield make
    for pane in panes:
        pane.shutdown()


class CountingRenderer:
    """The real renderer, counting how many renders run at once."""

    store = None

    def __init__(self, inner):
        self.inner, self.running, self.peak, self.calls = inner, 0, 0, 0

    async def render(self, code, **kw):
        self.running += 1
        self.calls += 1
        self.peak = max(self.peak, self.running)
        try:
            return await self.inner.render(code, **kw)
        finally:
            self.running -= 1


async def settle(pane) -> None:
    """Let Qt paint (which asks for thumbnails) and wait for every task the pane started."""
    await pane.loaded
    for _ in range(3):
        await asyncio.sleep(0.05)
        await pane.idle()


def shown_ids(pane) -> list[int]:
    return [c.id for c in pane.model.cards]


def visible_cards(pane):
    port = pane.grid.viewport().rect()
    return [c for c in pane.model.cards if pane.grid.visualRect(pane.model.index(pane.model._row[c.id])).intersects(port)]


@pytest.mark.slow  # real starter paintings: ~20 s on 2 idle cores, more when the machine is busy
def test_first_start_imports_starters_and_renders_their_thumbnails(make_pane, studio_renderer, arun, store,
                                                                   artifacts):
    starters = sorted(STARTERS.glob("*.js"))
    titles: list[str] = []

    async def body():
        # Starters are real paintings (1-10 s each on 2 busy cores): show one row of four, render those.
        pane, bus, jobs = make_pane(studio_renderer, size=(920, 290))
        jobs.updated.connect(lambda: titles.extend(j.title for j in jobs.active.values()))
        t0 = time.perf_counter()
        await settle(pane)
        elapsed = time.perf_counter() - t0

        cards = pane.model.cards
        assert len(cards) == len(starters) and {c.source for c in cards} == {"starter"}
        visible = visible_cards(pane)
        assert 3 <= len(visible) < len(cards)  # lazy: cards off screen are not rendered
        assert all(c.state == "waiting" and c.thumb is None for c in cards if c not in visible)
        ready = [c for c in visible if c.state == "ready" and c.thumb is not None]
        # Every visible card got its painting, except (on a machine busy with other work) any that
        # took longer than the thumbnail timeout (30 s): such a card must say so, not spin forever.
        slow = [c for c in visible if c not in ready]
        assert ready and all(c.state == "failed" and c.error.startswith("timeout") for c in slow), [
            (c.title, c.state, c.error) for c in visible]
        # real paintings, not flat placeholders: the thumbnail has many distinct colours
        image: QImage = ready[0].thumb.toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20
        assert all(c.title and c.prompt for c in cards)  # captions come from the header comments
        assert store.latest_good_render(store.get_sketch(ready[0].id).code) is not None  # kept for next time
        assert any(t.startswith("Rendering thumbnails") for t in titles) and not jobs.active
        print(f"\n{len(ready)} starter thumbnails rendered in {elapsed:.1f} s ({len(slow)} timed out)")
        pane.grid.select_id(ready[0].id)  # the screenshot shows a selected card and the enabled buttons
        await asyncio.sleep(0.05)
        (artifacts / "screens").mkdir(parents=True, exist_ok=True)
        pane.grab().save(str(artifacts / "screens" / "library.png"))

        # a second pane on the same library: the paintings come from the store, none is rendered again
        pane2, _, _ = make_pane(None, size=(920, 290))  # no renderer at all
        await settle(pane2)
        assert len(pane2.model.cards) == len(starters)  # starters were not imported twice
        assert all(pane2.model.card(c.id).thumb is not None for c in ready)
    arun(body(), 240)


def test_missing_thumbnails_render_in_the_background_a_few_at_a_time(make_pane, studio_renderer, arun, store):
    ids = [store.add_sketch(sketch(f"Line {n}", x=60 + 20 * n), source="model") for n in range(5)]
    broken = store.add_sketch("function setup(){ createCanvas(512,512,WEBGL); notAFunction(); }",
                              source="model", title="Broken")
    counting = CountingRenderer(studio_renderer)
    progress: list[float] = []

    async def body():
        pane, bus, jobs = make_pane(counting)
        jobs.updated.connect(lambda: progress.extend(j.progress or 0 for j in jobs.active.values()))
        await settle(pane)
        assert counting.calls == 6 and counting.peak == 2  # MAX_RENDERS at once
        assert all(pane.model.card(i).state == "ready" for i in ids)
        bad = pane.model.card(broken)
        assert bad.state == "failed" and "notAFunction" in bad.error and bad.thumb is None
        assert progress and max(progress) == 1.0
        pane.errors_only.setChecked(True)  # the failure was stored: the filter finds it
        await settle(pane)
        assert shown_ids(pane) == [broken]
        pane.errors_only.setChecked(False)
        await settle(pane)
        assert counting.calls == 6  # nothing rendered twice
    arun(body(), 240)


def test_cancelling_the_render_job_stops_thumbnails(make_pane, studio_renderer, arun, store):
    from studio.ops import cancel_job

    for n in range(4):
        store.add_sketch(sketch(f"Line {n}", x=50 + 10 * n), source="human")
    counting = CountingRenderer(studio_renderer)

    async def body():
        pane, _, jobs = make_pane(counting)
        await pane.loaded
        for _ in range(1000):  # until the job is listed and both its first renders are under way
            await asyncio.sleep(0.01)
            if jobs.active and counting.running == 2:
                break
        (job,) = jobs.active.values()
        cancel_job(jobs, job)
        await settle(pane)
        assert not jobs.active and counting.calls == 2  # the two in flight were stopped, no more began
        assert {c.state for c in pane.model.cards} == {"waiting"}
        pane.refresh()  # a change elsewhere reloads the grid: still no renders
        await settle(pane)
        assert counting.calls == 2 and not jobs.active
        pane.reload()  # F5 resumes them
        await settle(pane)
        assert {c.state for c in pane.model.cards} == {"ready"}, [(c.state, c.error) for c in pane.model.cards]
        assert counting.calls == 6
    arun(body(), 240)


def test_filters_and_search_narrow_the_grid(make_pane, arun, store):
    human = store.add_sketch(sketch("Harbour at dusk", "boats in a calm harbour"), source="human")
    model = store.add_sketch(sketch("Red sun", "a red sun over hills", 120), source="model")
    broken = store.add_sketch("function setup(){ createCanvas(512,512,WEBGL); undefinedThing(); }",
                              source="model", title="Broken", prompt="anything")
    store.save_render(store.get_sketch(broken).code, 1, 512, 512, png=None, ms=3,
                      error={"kind": "runtime", "message": "undefinedThing is not defined"})

    async def body():
        pane, _, _ = make_pane(None)  # no renderer: filters do not need pictures
        await settle(pane)
        assert sorted(shown_ids(pane)) == sorted([human, model, broken])  # not empty: no starters imported
        pane.search.setText("HARBOUR")
        await settle(pane)
        assert shown_ids(pane) == [human]
        pane.search.setText("sun over")  # prompt text
        await settle(pane)
        assert shown_ids(pane) == [model]
        pane.search.clear()
        pane.source.setCurrentIndex(pane.source.findData("model"))
        await settle(pane)
        assert shown_ids(pane) == [broken, model]
        pane.errors_only.setChecked(True)
        await settle(pane)
        assert shown_ids(pane) == [broken]
        assert pane.model.card(broken).state == "failed" and "undefinedThing" in pane.model.card(broken).error
        pane.source.setCurrentIndex(pane.source.findData("human"))
        await settle(pane)
        assert shown_ids(pane) == [] and pane._stack.currentWidget() is pane.empty
        assert "No sketch matches" in pane.empty.text()
        assert not pane.rating.isEnabled()  # rating tiers: a hook for later
    arun(body(), 240)


def test_delete_then_undo_by_button_and_by_ctrl_z(make_pane, arun, store):
    a = store.add_sketch(sketch("Keep me"), source="human")
    b = store.add_sketch(sketch("Delete me", x=130), source="human")

    async def body():
        pane, bus, _ = make_pane(None)
        changes = []
        bus.changed.connect(changes.append)
        await settle(pane)
        pane.grid.select_id(b)
        pane.grid.setFocus()
        QTest.keyClick(pane.grid, Qt.Key.Key_Delete)
        await settle(pane)
        assert shown_ids(pane) == [a] and store.get_sketch(b).deleted_at is not None
        assert pane.notice.isVisible() and "Delete me" in pane.notice.label.text()
        assert any(c.kind == "sketches" and b in c.ids for c in changes)

        pane.notice.action_button.click()  # "Undo"
        await settle(pane)
        assert sorted(shown_ids(pane)) == [a, b] and store.get_sketch(b).deleted_at is None
        assert pane.grid.selected_ids() == [b]  # the restored sketch is selected again

        pane.delete_ids([a, b])
        await settle(pane)
        assert shown_ids(pane) == [] and "2 sketches" in pane.notice.label.text()
        pane.activateWindow()
        pane.grid.setFocus()
        QTest.keyClick(pane.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        await settle(pane)
        assert sorted(shown_ids(pane)) == [a, b]
    arun(body(), 240)


def test_enter_and_double_click_open_in_the_editor(make_pane, arun, store):
    sid = store.add_sketch(sketch("Open me"), source="human")
    opened = []

    async def body():
        pane, bus, _ = make_pane(None)
        await settle(pane)
        bus.open_sketch.connect(opened.append)
        pane.grid.select_id(sid)
        pane.grid.setFocus()
        QTest.keyClick(pane.grid, Qt.Key.Key_Return)
        rect = pane.grid.visualRect(pane.model.index(0))
        QTest.mouseClick(pane.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(pane.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    arun(body(), 240)
    assert opened == [sid, sid]


def test_export_writes_js_png_and_html(make_pane, studio_renderer, arun, store, tmp_path):
    code = sketch("Export me")
    sid = store.add_sketch(code, source="human", title="Export me")

    async def body():
        pane, _, _ = make_pane(studio_renderer)
        await settle(pane)
        pane.grid.select_id(sid)
        await pane.export_selected("js", tmp_path / "out.js")
        assert (tmp_path / "out.js").read_text() == code
        await pane.export_selected("png", tmp_path / "out.png")
        png = QImage(str(tmp_path / "out.png"))
        assert not png.isNull(), pane.notice.label.text()
        assert png.width() == 512 and png.height() == 512
        assert "Exported to" in pane.notice.label.text()

        # a folder that does not exist: said plainly, nothing half-written
        await pane.export_selected("js", tmp_path / "missing" / "out.js")
        assert "folder does not exist" in pane.notice.label.text()
        assert not (tmp_path / "missing").exists()
        return pane
    pane = arun(body(), 240)

    arun(pane.export_selected("html", tmp_path / "out.html"))
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "brush.line(-100,-100,100,100)" in html and len(html) > 100_000  # p5 + p5.brush inlined
    assert "<title>Export me</title>" in html  # the page is named after the sketch, not "Brushwork sketch"


def test_dropped_folder_is_imported_and_bad_files_reported(make_pane, arun, store, tmp_path):
    store.add_sketch(sketch("Already here"), source="human")  # not empty: no starters
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "one.js").write_text(sketch("Dropped one", "first", 111))
    (folder / "two.js").write_text(sketch("Dropped two", "second", 122))
    (folder / "blob.js").write_bytes(b"\x00\x01binary")

    async def body():
        pane, _, _ = make_pane(None)
        await settle(pane)
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(folder))])
        event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        pane.grid.dropEvent(event)
        await settle(pane)
        assert {c.title for c in pane.model.cards} == {"Dropped one", "Dropped two", "Already here"}
        text = pane.notice.label.text()
        assert "Imported 2 sketches" in text and "blob.js: binary data" in text
        assert pane.model.card(pane.grid.selected_ids()[0]).title.startswith("Dropped")

        pane.import_paths([folder])  # again: nothing new
        await settle(pane)
        assert len(pane.model.cards) == 3 and "2 already in the library" in pane.notice.label.text()
    arun(body(), 240)
