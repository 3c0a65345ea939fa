"""The editor never loses work: replacing unsaved edits asks, a deleted sketch says so and is saved again
only on request, a rollout opens with the prompt and seed it was scored with."""
from __future__ import annotations

import pytest

from studio.ops.library import delete_sketches, restore_sketches
from studio.ops.sketches import draft_key
from tests.db_helpers import sql_rows
from tests.studio.conftest import wait_until
from tests.studio.test_editor import PAINT

pytestmark = pytest.mark.gui

MODEL_OUTPUT = "Here is your sketch:\n```js\n" + PAINT.replace("#ff0000", "#00ff00") + "```\nEnjoy!"


def _click(box, text: str) -> None:  # noqa: ANN001 (a QMessageBox)
    next(b for b in box.buttons() if b.text() == text).click()


async def _answer(pane, task, text: str, box_name: str = "replace_box"):  # noqa: ANN001, ANN202
    await wait_until(lambda: getattr(pane, box_name, None) is not None and getattr(pane, box_name).isVisible(),
                     10, "the question")
    _click(getattr(pane, box_name), text)
    return await task


def test_replacing_unsaved_edits_asks_first(make_editor, arun, store, tmp_path):
    pane = make_editor(renderer=None)
    pane.confirm_replace = True
    a = store.add_sketch(PAINT, source="human", title="a")
    b = store.add_sketch(PAINT.replace("-90, -90", "-50, -50"), source="human", title="b")
    md = tmp_path / "answer.md"
    md.write_text(MODEL_OUTPUT)

    async def body():
        await pane.open_sketch(a)
        pane.code.setPlainText(PAINT + "// mine\n")
        # Cancel keeps everything as it was
        assert await _answer(pane, pane.open_sketch(b), "Cancel") is False
        assert pane.sketch.id == a and pane.text.endswith("// mine\n")
        assert "draft of sketch #" in pane.replace_box.informativeText()
        # opening the same sketch again is not a replacement: no question, edits kept
        await pane.open_sketch(a)
        assert pane.text.endswith("// mine\n")
        # without saving: the edits stay a draft of `a`
        assert await _answer(pane, pane.open_sketch(b), "Open without saving") is True
        assert pane.sketch.id == b and store.load_draft(draft_key(a)).text.endswith("// mine\n")
        # saving first: a child version of b, then the file opens (Ctrl+O)
        pane.code.setPlainText(pane.text + "// more\n")
        assert await _answer(pane, pane.open_file(md), "Save version, then open") is True
        child = store.children(b)
        assert len(child) == 1 and child[0].code.endswith("// more\n")
        assert pane.sketch is None and pane.opened_file == "answer.md" and "#00ff00" in pane.text
        # an edited model-output file: the question says the edits would be lost; Cancel keeps them
        pane.code.setPlainText(pane.text + "// edited answer\n")
        assert "lost" in (await _ask_then_cancel(pane, a))
        assert pane.text.endswith("// edited answer\n") and pane.opened_file == "answer.md"
        # a file of the wrong kind is refused before anything is asked
        (tmp_path / "data.csv").write_text("a,b\n1,2\n")
        await pane.open_file(tmp_path / "data.csv")
        assert not pane.replace_box.isVisible() and "Cannot open data.csv" in pane.notice.text
        assert pane.text.endswith("// edited answer\n")
    arun(body(), timeout=120)


async def _ask_then_cancel(pane, sketch_id: int) -> str:  # noqa: ANN001
    task = pane.open_sketch(sketch_id)
    await wait_until(lambda: pane.replace_box.isVisible(), 10, "the question")
    text = pane.replace_box.informativeText()
    _click(pane.replace_box, "Cancel")
    await task
    return text


def test_a_deleted_sketch_says_so_and_is_saved_again_only_on_request(make_editor, arun, store):
    pane = make_editor(renderer=None)
    sid = store.add_sketch(PAINT, source="model", title="mine", prompt="a red square")

    async def body():
        await pane.open_sketch(sid)
        pane.code.setPlainText(PAINT + "// edit\n")
        await delete_sketches(store, pane.bus, [sid])
        assert "was deleted" in pane.notice.text and "deleted from the library" in pane.toolbar.title.text()
        await restore_sketches(store, pane.bus, [sid])  # an Undo in the Library: back to normal
        assert "is back" in pane.notice.text and not pane.sketch_deleted
        await delete_sketches(store, pane.bus, [sid])
        before = sql_rows(store, "SELECT COUNT(*) AS n FROM sketches")[0]["n"]
        await _answer(pane, pane.save_version(), "Cancel", "save_deleted_box")
        assert sql_rows(store, "SELECT COUNT(*) AS n FROM sketches")[0]["n"] == before  # nothing came back
        await _answer(pane, pane.save_version(), "Save as a new sketch", "save_deleted_box")
        new = pane.sketch
        assert new.id != sid and new.parent_id is None and new.code.endswith("// edit\n")
        assert (new.title, new.prompt, new.source) == ("mine", "a red square", "human")
        assert store.get_sketch(sid).deleted_at is not None  # the deleted one stays deleted
        assert not pane.sketch_deleted and "deleted" not in pane.toolbar.title.text()
    arun(body(), timeout=120)


def test_a_rollout_opens_with_its_prompt_and_seed(make_editor, arun, store):
    from core.train.run_writer import RunWriter, SampleRow

    pane = make_editor(renderer=None)
    writer = RunWriter(store, "run-x")
    writer.samples([SampleRow(step=3, prompt="a peach hibiscus", completion="c", code=PAINT, components={},
                              total=0.5, split="heldout", seed=2, checkpoint="checkpoint-3"),
                    SampleRow(step=4, prompt="a blue boat", completion="c", code=PAINT, components={}, total=0.4)])
    (held, train) = [r["id"] for r in sql_rows(store, "SELECT id FROM samples ORDER BY id")]
    assert not sql_rows(store, "SELECT id FROM sketches")  # samples are not library sketches
    held_sketch = store.sketch_for_sample(held, title="run-x · step 3")
    train_sketch = store.sketch_for_sample(train, title="run-x · step 4")
    assert store.sketch_for_sample(held, title="again") == held_sketch  # opened twice: one sketch

    async def body():
        await pane.open_sketch(held_sketch)
        assert pane.toolbar.seed.value() == 2
        assert pane.toolbar.prompt.isVisible() and "a peach hibiscus" in pane.toolbar.prompt.text()
        await pane.open_sketch(train_sketch)
        assert pane.toolbar.seed.value() == 0  # training rollouts are rendered with seed 0
        assert "a blue boat" in pane.toolbar.prompt.text()
    arun(body(), timeout=60)
    sk = store.get_sketch(held_sketch)
    assert (sk.source, sk.run_id, sk.step, sk.meta["seed"], sk.meta["checkpoint"]) == \
        ("model", "run-x", 3, 2, "checkpoint-3")
