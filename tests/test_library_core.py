"""Sketch import/export without Qt: real files, real SQLite, bad input reported per file."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from core.atomic import temp_path_for
from core.hashing import code_hash
from core.library.entries import list_entries
from core.library.exporting import ExportError, export_html, export_js, export_png, write_atomic
from core.library.importing import import_js, import_starters, parse_header
from core.paths import STARTERS, p5_brush_js
from core.sketch.files import MAX_BYTES

LINE = """// title: Diagonal
// prompt: one pencil line corner to corner
function setup(){ createCanvas(512,512,WEBGL); background(250); brush.set("HB","#333",1);
  brush.line(-100,-100,100,100); noLoop(); }
"""


def sketch(n: int) -> str:
    return LINE.replace("100,100", f"{100 + n},100").replace("Diagonal", f"Diagonal {n}")


def test_header_gives_title_and_prompt():
    assert parse_header(LINE) == {"title": "Diagonal", "prompt": "one pencil line corner to corner"}
    # a `// title:` after the first line of code is not a header
    assert parse_header("function setup(){}\n// title: no") == {}


def test_import_files_and_folders_recursively(store, tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "one.js").write_text(sketch(1))
    (tmp_path / "a" / "deep" / "two.js").write_text(sketch(2))
    (tmp_path / "a" / "notes.png").write_bytes(b"\x89PNG")  # not a sketch suffix: not even looked at
    (tmp_path / "a" / "README.md").write_text("# my sketches")  # .md only when named explicitly
    (tmp_path / "a" / "node_modules").mkdir()
    (tmp_path / "a" / "node_modules" / "lib.js").write_text("var x = 1;")
    loose = tmp_path / "three.js"
    loose.write_text("function setup(){ createCanvas(64,64,WEBGL); }\n")

    report = import_js([tmp_path / "a", loose], store)
    assert len(report.added) == 3 and not report.skipped and not report.duplicates
    got = {s.title: s for s in store.list_sketches()}
    assert set(got) == {"Diagonal 1", "Diagonal 2", "three"}  # no header → the file name
    assert got["Diagonal 1"].prompt == "one pencil line corner to corner"
    assert all(s.source == "import" for s in got.values())
    assert report.summary() == "Imported 3 sketches"


def test_import_twice_does_not_duplicate(store, tmp_path):
    f = tmp_path / "one.js"
    f.write_text(sketch(1))
    first = import_js([f], store)
    again = import_js([f, tmp_path], store)  # the same file given twice more, directly and via its folder
    assert len(store.list_sketches()) == 1
    assert again.added == [] and [i for _, i in again.duplicates] == first.added * 2
    assert "2 already in the library" in again.summary()


def test_reimporting_a_deleted_sketch_restores_it(store, tmp_path):
    f = tmp_path / "one.js"
    f.write_text(sketch(1))
    (sid,) = import_js([f], store).added
    store.delete_sketch(sid)
    assert store.list_sketches() == []
    import_js([f], store)
    assert [s.id for s in store.list_sketches()] == [sid]


def test_bad_files_are_reported_and_the_rest_imported(store, tmp_path):
    good = tmp_path / "good.js"
    good.write_text(sketch(1))
    (tmp_path / "binary.js").write_bytes(b"function setup(){}\x00\x01\x02")
    (tmp_path / "latin1.js").write_bytes("// caf\xe9\nfunction setup(){}".encode("latin-1"))
    (tmp_path / "huge.js").write_text("// x\n" + "a" * (MAX_BYTES + 10))
    (tmp_path / "empty.js").write_text("  \n\n")
    (tmp_path / "broken.js").symlink_to(tmp_path / "nowhere.js")
    os.mkfifo(tmp_path / "fifo.js")  # reading a FIFO would block forever: it must be refused unread
    missing = tmp_path / "missing.js"

    report = import_js([tmp_path, missing], store)
    reasons = {s.path.name: s.reason for s in report.skipped}
    assert len(report.added) == 1 and store.list_sketches()[0].code == sketch(1)
    assert reasons["binary.js"] == "binary data, not text"
    assert reasons["latin1.js"].startswith("not UTF-8 text")
    assert reasons["huge.js"].startswith("too large (1.0 MB")
    assert reasons["empty.js"] == "empty file"
    assert "does not exist" in reasons["broken.js"]
    assert reasons["fifo.js"] == "not a regular file"
    assert "does not exist" in reasons["missing.js"]
    assert len(report.skipped) == 7


def test_unreadable_file_is_reported(store, tmp_path):
    f = tmp_path / "locked.js"
    f.write_text(sketch(1))
    f.chmod(0)
    try:
        if os.access(f, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reads (the broken-link case covers it)")
        report = import_js([f], store)
        assert report.added == [] and report.skipped[0].reason.startswith("cannot be read: Permission denied")
    finally:
        f.chmod(0o644)


def test_raw_model_output_goes_through_extract_code(store, tmp_path):
    raw = tmp_path / "answer.md"
    raw.write_text(f"Here is your painting:\n\n```javascript\n{sketch(5)}```\nEnjoy!\n")
    (tmp_path / "chatter.txt").write_text("I cannot draw that, sorry.")
    report = import_js([raw, tmp_path / "chatter.txt"], store)
    assert len(report.added) == 1, report.skipped
    code = store.get_sketch(report.added[0]).code
    assert "Here is your painting" not in code and "brush.line" in code
    assert [s.reason for s in report.skipped] == ["no sketch code found in this text"]


def test_cancel_stops_between_files(store, tmp_path):
    for n in range(5):
        (tmp_path / f"s{n}.js").write_text(sketch(n))
    seen = []
    report = import_js([tmp_path], store, progress=lambda i, total: seen.append((i, total)),
                       cancelled=lambda: len(seen) >= 2)
    assert report.cancelled and len(report.added) == 2 and seen == [(1, 5), (2, 5)]


def test_starters_import_once_with_their_headers(store):
    assert not store.has_sketches()
    report = import_starters(store)
    assert report.added and not report.skipped, report.skipped
    assert store.has_sketches()
    starters = store.list_sketches(source="starter")
    assert len(starters) == len(report.added) == len(list(STARTERS.glob("*.js")))
    assert all(s.title and s.prompt for s in starters)
    assert import_starters(store).added == []


def test_list_entries_filters_and_finds_latest_render(store, tmp_path):
    ok_id = store.add_sketch(sketch(1), source="human", title="Blue sea", prompt="a calm sea")
    bad_id = store.add_sketch(sketch(2), source="model", title="Broken", prompt="red sun")
    store.add_sketch(sketch(3), source="model", title="Unrendered")
    store.save_render(sketch(1), 0, 512, 512, png=b"\x89PNG fake", ms=10)
    store.save_render(sketch(2), 0, 512, 512, png=None, ms=5, error={"kind": "runtime", "message": "x is undefined"})

    entries = {e.sketch.id: e for e in list_entries(store)}
    assert entries[ok_id].png_path.read_bytes() == b"\x89PNG fake" and entries[ok_id].error is None
    assert entries[bad_id].png_path is None and entries[bad_id].error == "runtime: x is undefined"
    assert [e.sketch.id for e in list_entries(store, has_error=True)] == [bad_id]
    assert [e.sketch.title for e in list_entries(store, source="model")] == ["Unrendered", "Broken"]
    assert [e.sketch.id for e in list_entries(store, text="SEA")] == [ok_id]  # title/prompt, any case
    assert list_entries(store, text="brush.line") == []  # code is not searched
    assert [e.sketch.id for e in list_entries(store, text="red S")] == [bad_id]
    # no stored title/prompt: the header comment of the code gives them
    headed = {e.sketch.id: e for e in list_entries(store)}[bad_id]
    assert (headed.title, headed.prompt) == ("Broken", "red sun")
    plain = store.add_sketch("function setup(){}", source="human")
    assert {e.sketch.id: e for e in list_entries(store)}[plain].title == f"Sketch #{plain}"
    store.delete_sketch(ok_id)
    assert ok_id not in {e.sketch.id for e in list_entries(store)}


def test_export_js_and_png_from_cache(store, tmp_path):
    sid = store.add_sketch(LINE, source="human")
    out = export_js(store.get_sketch(sid), tmp_path / "out.js")
    assert out.read_text() == LINE
    store.save_render(LINE, 3, 256, 256, png=b"\x89PNG cached", ms=1)
    assert export_png(store, None, tmp_path / "a.png", code=LINE, seed=3, size=256).read_bytes() == b"\x89PNG cached"
    assert export_png(store, b"\x89PNG given", tmp_path / "b.png").read_bytes() == b"\x89PNG given"
    with pytest.raises(ExportError, match="never been rendered"):
        export_png(store, None, tmp_path / "c.png", code=sketch(9))
    assert not (tmp_path / "c.png").exists()


def test_atomic_write_keeps_the_old_file_when_the_disk_is_full(tmp_path):
    target = tmp_path / "keep.js"
    target.write_text("old")
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full to simulate a full disk")
    # Writing to /dev/full fails with ENOSPC; simulate by making the temp path a link to it.
    tmp = temp_path_for(target)
    tmp.symlink_to("/dev/full")
    with pytest.raises(ExportError, match="disk is full") as info:
        write_atomic(target, b"new")
    assert info.value.__cause__.errno == errno.ENOSPC
    assert target.read_text() == "old" and not tmp.exists()


def test_write_into_a_missing_or_unwritable_place_is_explained(tmp_path):
    with pytest.raises(ExportError, match="folder does not exist"):
        write_atomic(tmp_path / "no" / "such" / "x.js", b"x")
    (tmp_path / "dir.js").mkdir()
    with pytest.raises(ExportError, match="a folder has that name"):
        write_atomic(tmp_path / "dir.js", b"x")


def test_export_html_inlines_the_libraries(store, tmp_path):
    out = export_html(LINE, tmp_path / "page.html", seed=7, size=256)
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html.lower()
    assert "brush.line(-100,-100,100,100)" in html
    # the p5.brush source is inlined (no network), identified by a long unique slice of it
    brush_src = p5_brush_js().read_text(encoding="utf-8")
    assert brush_src[1000:1200] in html
    assert "<script src=\"http" not in html and code_hash(LINE)  # no CDN links
