"""The SQLite store: migrations, lineage, the render cache, drafts and clear errors."""
from __future__ import annotations

import os
import time

import pytest

from core.store import Store, StoreError
from core.store.migrations import MIGRATIONS
from tests.db_helpers import read_only_database

CODE = "function setup(){ createCanvas(512, 512, WEBGL); brush.line(0, 0, 10, 10); }"


def test_fresh_database_is_wal_and_fully_migrated(store):
    assert store.schema_version == len(MIGRATIONS)
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.path.parent == store.files.parent
    assert os.environ["BRUSHWORK_HOME"] in str(store.path)


def test_reopening_keeps_data_and_does_not_remigrate(brushwork_home):
    s = Store()
    sid = s.add_sketch(CODE, source="starter", title="line")
    s.close()
    s2 = Store()
    assert s2.get_sketch(sid).title == "line"
    assert s2.schema_version == len(MIGRATIONS)


def test_newer_schema_is_refused_with_a_clear_message(brushwork_home):
    s = Store()
    s._write(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    s.close()
    with pytest.raises(StoreError, match="newer than this Brushwork"):
        Store()


def test_lineage_walks_from_root_to_leaf(store):
    root = store.add_sketch(CODE, source="model", prompt="a line")
    e1 = store.add_sketch(CODE + "\n// edit 1", source="human", parent_id=root)
    e2 = store.add_sketch(CODE + "\n// edit 2", source="human", parent_id=e1)
    assert [s.id for s in store.lineage(e2)] == [root, e1, e2]
    assert [s.id for s in store.children(root)] == [e1]
    assert store.get_sketch(e2).parent_id == e1


def test_unknown_source_is_rejected(store):
    with pytest.raises(ValueError, match="source must be one of"):
        store.add_sketch(CODE, source="martian")


def test_soft_delete_and_restore(store):
    sid = store.add_sketch(CODE, source="import", prompt="peach hibiscus")
    store.delete_sketch(sid)
    assert store.list_sketches() == []
    assert [s.id for s in store.list_sketches(include_deleted=True)] == [sid]
    store.restore_sketch(sid)
    assert [s.id for s in store.list_sketches(text="HIBISCUS")] == [sid]


def test_render_cache_is_content_addressed(store):
    assert store.find_render(CODE, 1, 512, 512) is None
    png = b"\x89PNG fake bytes for the cache"
    rec = store.save_render(CODE, 1, 512, 512, png=png, ms=12.5, console=["hi"])
    assert rec.ok and rec.png_path.read_bytes() == png and rec.console == ["hi"]
    assert store.find_render(CODE, 1, 512, 512).png_path == rec.png_path
    # Another seed, size or a single changed byte of code is another key.
    assert store.find_render(CODE, 2, 512, 512) is None
    assert store.find_render(CODE, 1, 256, 256) is None
    assert store.find_render(CODE + " ", 1, 512, 512) is None
    # Identical PNG bytes from another key share one file on disk.
    rec2 = store.save_render(CODE + " ", 1, 512, 512, png=png, ms=3.0)
    assert rec2.png_path == rec.png_path
    assert len(list(store.files.rglob("*.png"))) == 1


def test_render_errors_are_cached_too(store):
    err = {"kind": "runtime", "message": "boom", "line": 3, "column": 7}
    rec = store.save_render(CODE, 0, 512, 512, png=None, ms=5.0, error=err)
    assert not rec.ok and (rec.error_kind, rec.error_line, rec.error_column) == ("runtime", 3, 7)
    assert store.find_render(CODE, 0, 512, 512).error_message == "boom"


def test_cache_miss_when_png_file_vanished(store):
    rec = store.save_render(CODE, 0, 64, 64, png=b"png", ms=1.0)
    rec.png_path.unlink()
    assert store.find_render(CODE, 0, 64, 64) is None


def test_drafts_round_trip(store):
    assert store.load_draft("new") is None
    store.save_draft("new", "let x = 1;")
    store.save_draft("new", "let x = 2;")
    draft = store.load_draft("new")
    assert (draft.key, draft.text) == ("new", "let x = 2;") and abs(draft.updated_at - time.time()) < 60
    store.clear_draft("new")
    assert store.load_draft("new") is None


def test_readonly_database_gives_a_clear_error(tmp_path):
    with read_only_database(tmp_path / "ro") as path, pytest.raises(StoreError, match="Cannot write the database"):
        Store(path).add_sketch("x", source="human")


def test_not_a_database_gives_a_clear_error(brushwork_home):
    brushwork_home.mkdir(parents=True, exist_ok=True)
    (brushwork_home / "brushwork.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a Brushwork database"):
        Store()

