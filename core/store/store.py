"""SQLite store through sqlite-utils: WAL, one locked writer per process, forward migrations.

One `Store` is shared by every thread of a process (GUI background jobs, renderer callbacks);
a lock serialises access to its single connection. Other processes (a training run) open their
own Store on the same file: WAL lets them write while the GUI reads.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from core.hashing import bytes_hash, code_hash, render_key
from core.paths import data_home
from core.store.migrations import MIGRATIONS

SOURCES = ("starter", "model", "human", "import")


class StoreError(Exception):
    """The database cannot be opened or written; `message` says what a user can do about it."""


@dataclass(frozen=True)
class Sketch:
    id: int
    code: str
    code_hash: str
    source: str
    parent_id: int | None = None
    prompt: str | None = None
    title: str | None = None
    run_id: str | None = None
    step: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    created_at: float = 0.0
    deleted_at: float | None = None


@dataclass(frozen=True)
class RenderRecord:
    key: str
    code_hash: str
    seed: int
    width: int
    height: int
    png_path: Path | None
    ms: float | None
    error_kind: str | None = None
    error_message: str | None = None
    error_line: int | None = None
    error_column: int | None = None
    console: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_kind is None and self.png_path is not None


def sketch_from_row(row: dict) -> Sketch:
    """A Sketch from a `sketches` row (extra joined columns must be removed first)."""
    row = dict(row)
    row["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
    return Sketch(**row)


class Store:
    """The Brushwork library database (`brushwork.db` in the data home) plus its PNG folder."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else data_home() / "brushwork.db"
        self.files = self.path.parent / "renders"
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA busy_timeout = 5000")
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode survives a killed process (not a power cut) and keeps commits ~1 ms.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.OperationalError as e:
            raise StoreError(self._explain(e)) from e
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a Brushwork database or is damaged ({e}).") from e

    def _explain(self, e: sqlite3.OperationalError) -> str:
        text = str(e)
        if "readonly" in text or "unable to open" in text:
            return f"Cannot write the database {self.path}: {text}. Check the folder's permissions or set BRUSHWORK_HOME."
        if "locked" in text or "busy" in text:
            return f"The database {self.path} is locked by another program: {text}. Close it and retry."
        if "disk" in text and "full" in text:
            return f"The disk holding {self.path} is full: {text}. Free space and retry; nothing was lost."
        return f"Database error on {self.path}: {text}"

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        with self._lock:
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path} has schema v{version}, newer than this Brushwork (v{len(MIGRATIONS)}). Upgrade Brushwork."
                )
            for i in range(version, len(MIGRATIONS)):
                with self.db.conn:  # one transaction per migration
                    self.db.execute("BEGIN")
                    MIGRATIONS[i](self.db)
                    self.db.execute(f"PRAGMA user_version = {i + 1}")

    def write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Run one write statement in its own committed transaction (autocommit)."""
        with self._lock:
            try:
                return self.db.execute(sql, params)
            except sqlite3.OperationalError as e:
                raise StoreError(self._explain(e)) from e

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Read rows as dicts."""
        with self._lock:
            return list(self.db.query(sql, params))

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    # -- sketches -------------------------------------------------------------------------------
    def add_sketch(
        self,
        code: str,
        *,
        source: str,
        prompt: str | None = None,
        parent_id: int | None = None,
        title: str | None = None,
        run_id: str | None = None,
        step: int | None = None,
        meta: dict | None = None,
    ) -> int:
        """Insert a sketch version; returns its id. `parent_id` links an edit to what it edits."""
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        cur = self.write(
            "INSERT INTO sketches (code, code_hash, parent_id, source, prompt, title, run_id, step, meta, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, code_hash(code), parent_id, source, prompt, title, run_id, step,
             json.dumps(meta) if meta else None, time.time()),
        )
        return cur.lastrowid

    def get_sketch(self, sketch_id: int) -> Sketch | None:
        rows = self.query("SELECT * FROM sketches WHERE id = ?", (sketch_id,))
        return sketch_from_row(rows[0]) if rows else None

    def list_sketches(
        self,
        *,
        source: str | None = None,
        text: str | None = None,
        include_deleted: bool = False,
        limit: int = 500,
        offset: int = 0,
    ) -> list[Sketch]:
        """Newest first. `text` matches prompt, title or code (case-insensitive substring)."""
        where, params = [], []
        if not include_deleted:
            where.append("deleted_at IS NULL")
        if source:
            where.append("source = ?")
            params.append(source)
        if text:
            where.append("(prompt LIKE ? OR title LIKE ? OR code LIKE ?)")
            params += [f"%{text}%"] * 3
        sql = "SELECT * FROM sketches" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
        return [sketch_from_row(r) for r in self.query(sql, (*params, limit, offset))]

    def lineage(self, sketch_id: int) -> list[Sketch]:
        """The chain root → … → sketch_id (oldest first)."""
        rows = self.query(
            """WITH RECURSIVE chain(id, depth) AS (
                   SELECT ?, 0 UNION ALL
                   SELECT s.parent_id, c.depth + 1 FROM sketches s JOIN chain c ON s.id = c.id
                   WHERE s.parent_id IS NOT NULL)
               SELECT s.* FROM chain c JOIN sketches s ON s.id = c.id ORDER BY c.depth DESC""",
            (sketch_id,),
        )
        return [sketch_from_row(r) for r in rows]

    def children(self, sketch_id: int) -> list[Sketch]:
        return [sketch_from_row(r) for r in self.query("SELECT * FROM sketches WHERE parent_id = ? ORDER BY id", (sketch_id,))]

    def delete_sketch(self, sketch_id: int) -> None:
        """Soft delete (undoable with restore_sketch)."""
        self.write("UPDATE sketches SET deleted_at = ? WHERE id = ?", (time.time(), sketch_id))

    def restore_sketch(self, sketch_id: int) -> None:
        self.write("UPDATE sketches SET deleted_at = NULL WHERE id = ?", (sketch_id,))

    # -- renders (content-addressed cache) -------------------------------------------------------
    def find_render(self, code: str, seed: int, width: int, height: int) -> RenderRecord | None:
        """A cached render of exactly this code, seed and size, if its PNG is still on disk."""
        rows = self.query("SELECT * FROM renders WHERE key = ?", (render_key(code, seed, width, height),))
        if not rows:
            return None
        rec = self._render(rows[0])
        if rec.png_path is not None and not rec.png_path.exists():
            return None
        return rec

    def save_render(
        self,
        code: str,
        seed: int,
        width: int,
        height: int,
        *,
        png: bytes | None,
        ms: float | None,
        error: dict | None = None,
        console: list[str] | None = None,
    ) -> RenderRecord:
        """Record a render result; the PNG is stored once per content hash under renders/."""
        png_rel = png_hash = None
        if png is not None:
            png_hash = bytes_hash(png)
            png_rel = f"renders/{png_hash[:2]}/{png_hash}.png"
            target = self.path.parent / png_rel
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(".tmp")
                try:
                    tmp.write_bytes(png)
                    tmp.replace(target)
                except OSError as e:
                    tmp.unlink(missing_ok=True)
                    raise StoreError(f"Cannot write the render to {target}: {e.strerror}.") from e
        err = error or {}
        self.write(
            "INSERT OR REPLACE INTO renders (key, code_hash, seed, width, height, png_path, png_hash, ms,"
            " error_kind, error_message, error_line, error_column, console, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (render_key(code, seed, width, height), code_hash(code), seed, width, height, png_rel, png_hash, ms,
             err.get("kind"), err.get("message"), err.get("line"), err.get("column"),
             json.dumps(console or []), time.time()),
        )
        return self.find_render(code, seed, width, height) or self._render(
            self.query("SELECT * FROM renders WHERE key = ?", (render_key(code, seed, width, height),))[0]
        )

    def latest_render(self, code: str) -> RenderRecord | None:
        """The most recent render of this exact code, any seed or size."""
        rows = self.query("SELECT * FROM renders WHERE code_hash = ? ORDER BY id DESC LIMIT 1", (code_hash(code),))
        return self._render(rows[0]) if rows else None

    def _render(self, row: dict) -> RenderRecord:
        return RenderRecord(
            key=row["key"], code_hash=row["code_hash"], seed=row["seed"], width=row["width"], height=row["height"],
            png_path=(self.path.parent / row["png_path"]) if row["png_path"] else None, ms=row["ms"],
            error_kind=row["error_kind"], error_message=row["error_message"], error_line=row["error_line"],
            error_column=row["error_column"], console=json.loads(row["console"] or "[]"),
        )

    # -- drafts (unsaved editor text survives a crash) --------------------------------------------
    def save_draft(self, key: str, text: str) -> None:
        self.write("INSERT OR REPLACE INTO drafts (key, text, updated_at) VALUES (?, ?, ?)", (key, text, time.time()))

    def load_draft(self, key: str) -> str | None:
        rows = self.query("SELECT text FROM drafts WHERE key = ?", (key,))
        return rows[0]["text"] if rows else None

    def clear_draft(self, key: str) -> None:
        self.write("DELETE FROM drafts WHERE key = ?", (key,))
