"""Migrations: v3 rebuilds `sketches` with data in it; v4's training tables; one source vocabulary."""
from __future__ import annotations

import re
import sqlite3
import time

import pytest
import sqlite_utils

from core.store import POOL_SOURCES, SKETCH_SOURCES, Store, StoreError
from core.store.migrations import MIGRATIONS


def _database_at(path, version: int) -> sqlite3.Connection:
    """A database migrated only up to `version`, the way an older Brushwork left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    db = sqlite_utils.Database(conn)
    for i in range(version):
        MIGRATIONS[i](db)
        conn.execute(f"PRAGMA user_version = {i + 1}")
    return conn


def test_v3_rebuild_keeps_every_row_link_and_index(tmp_path):
    path = tmp_path / "brushwork.db"
    conn = _database_at(path, 2)
    now = time.time()
    conn.execute("INSERT INTO sketches (id, code, code_hash, source, created_at, meta) VALUES "
                 "(1, 'a', 'ha', 'starter', ?, '{\"file\": \"a.js\"}')", (now,))
    conn.execute("INSERT INTO sketches (id, code, code_hash, parent_id, source, prompt, title, run_id, step,"
                 " created_at, deleted_at) VALUES (2, 'b', 'hb', 1, 'human', 'p', 't', 'r', 3, ?, ?)", (now, now))
    conn.execute("INSERT INTO pool_images (id, hash, path, width, height, source, sketch_id, colour_group,"
                 " created_at) VALUES (1, 'h', 'pool/x.png', 8, 8, 'library', 2, 'red', ?)", (now,))
    conn.execute("INSERT INTO rating_events (image_id, action, tier, at) VALUES (1, 'rate', 'love', ?)", (now,))
    before = conn.execute("SELECT * FROM sketches ORDER BY id").fetchall()
    conn.close()

    store = Store(path)
    try:
        assert store.schema_version == len(MIGRATIONS) >= 4
        after = store._db.execute(
            "SELECT id, code, code_hash, parent_id, source, prompt, title, run_id, step, meta, created_at,"
            " deleted_at FROM sketches ORDER BY id").fetchall()
        assert after == before
        assert [s.id for s in store.lineage(2)] == [1, 2]
        assert store._query("SELECT tier FROM ratings WHERE image_id = 1") == [{"tier": "love"}]
        indexes = {r["name"] for r in store._query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"idx_sketches_parent", "idx_sketches_hash"} <= indexes
        # the wider CHECK takes what training and generation write; it still refuses the rest
        assert store.add_sketch("// generated", source="generated", parent_id=1)
        assert store.add_sketch("// rollout", source="model", run_id="r1", step=7)
        with pytest.raises(StoreError):
            store._write("INSERT INTO sketches (code, code_hash, source, created_at) VALUES ('x', 'x', 'martian', 0)")
        # foreign keys are back on after the rebuild
        with pytest.raises(StoreError):
            store._write("INSERT INTO sketches (code, code_hash, source, parent_id, created_at)"
                        " VALUES ('x', 'x', 'human', 999, 0)")
        assert store._query("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
    finally:
        store.close()


def test_v4_tables_take_what_training_writes(store):
    store._write("INSERT INTO runs (id, name, kind, status, created_at) VALUES ('r1', 'tiny', 'grpo', 'running', 0)")
    with pytest.raises(StoreError):
        store._write("INSERT INTO runs (id, status) VALUES ('r2', 'exploded')")
    store.add_metric_rows("r1", 1, {"reward/mean": 0.5, "loss": None})
    store.add_metric_rows("r1", 1, {"reward/mean": 0.75})  # a step written twice keeps the last value
    assert store._query("SELECT key, value FROM metrics ORDER BY key") == [
        {"key": "loss", "value": None}, {"key": "reward/mean", "value": 0.75}]
    store._write("INSERT INTO samples (run_id, step, components, total, split) VALUES ('r1', 1, '{}', 0.1, 'train')")
    store._write("INSERT INTO run_events (run_id, step, kind, message) VALUES ('r1', 1, 'collapse', 'x')")
    store._write("INSERT INTO judgements (key, winner, confidence) VALUES ('k', 'tie', 0.5)")
    with pytest.raises(StoreError):
        store._write("INSERT INTO judgements (key, winner) VALUES ('k', 'candidate')")
    plan = store._query("EXPLAIN QUERY PLAN SELECT * FROM samples WHERE run_id = 'r1' AND step = 1")
    assert "idx_samples_run_step" in " ".join(r["detail"] for r in plan)


def _check_values(sql: str) -> tuple[str, ...]:
    return tuple(re.findall(r"'([a-z]+)'", re.search(r"source IN \(([^)]*)\)", sql).group(1)))


def test_one_source_vocabulary_matches_the_schema(store):
    sketches_sql = store._query("SELECT sql FROM sqlite_master WHERE name = 'sketches'")[0]["sql"]
    pool_sql = store._query("SELECT sql FROM sqlite_master WHERE name = 'pool_images'")[0]["sql"]
    assert _check_values(sketches_sql) == SKETCH_SOURCES
    assert _check_values(pool_sql) == POOL_SOURCES
    for source in SKETCH_SOURCES:
        store.add_sketch(f"// {source}", source=source)


def test_foreign_database_is_refused_untouched(tmp_path):
    path = tmp_path / "brushwork.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program") as e:
        Store(path)
    assert "Move it aside" in str(e.value)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()
