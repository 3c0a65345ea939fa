"""SQLite store through sqlite-utils: WAL, one writer connection per Store, reads on their own.

A process opens one Store and shares it between its threads. Writes go through a single writer
connection (a lock serialises it), either directly (a named write, from a worker thread) or queued on
the Store's background writer thread (`submit`, which returns a Future at once: a GUI key press
never waits for another process's write transaction). Reads use one read-only connection per
thread: in WAL mode they never wait for any writer, in this process or another.

Every SQL statement and every path into the data home lives in core/store: other rooms call the named
methods here (the library: sketches, renders, drafts) and the named functions of core.store.runs,
core.store.pool and core.store.judgements. `_query`, `_query_tuples` and `_write` are for those
modules only.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from core.atomic import AtomicWriteError, write_atomic
from core.hashing import bytes_hash, code_hash, render_key
from core.store.connect import StoreError, connect, explain, open_migrated
from core.store.home import database_file
from core.store.sources import SKETCH_SOURCES, check_sketch_source
from core.store.writer import StoreWriter

SOURCES = SKETCH_SOURCES  # kept for existing imports; the vocabulary lives in core.store.sources
T = TypeVar("T")


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
    # The harness's run-time counts (RenderResult.brush_calls / brush_state); None = not measured.
    brush_calls: dict[str, int] | None = None
    brush_state: dict[str, int] | None = None

    @property
    def ok(self) -> bool:
        return self.error_kind is None and self.png_path is not None


@dataclass(frozen=True)
class Draft:
    """Unsaved editor text kept under a key (a sketch id, or "new"), and when it was saved."""

    key: str
    text: str
    updated_at: float


@dataclass(frozen=True)
class LibraryRow:
    """A live sketch with what the library grid shows of its renders (see `Store.library_rows`)."""

    sketch: Sketch
    png_path: Path | None  # the PNG of its latest good render (the file may since have gone)
    error: str | None      # "kind: message" of its latest render when that render failed


def sketch_from_row(row: dict) -> Sketch:
    """A Sketch from a `sketches` row (extra joined columns must be removed first)."""
    row = dict(row)
    row["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
    return Sketch(**row)


class Store:
    """The Brushwork library database (`brushwork.db` in the data home) plus its PNG folder."""

    def __init__(self, path: Path | str | None = None, *, timeout: float = 5.0):
        self.path = Path(path) if path else database_file()
        self.files = self.path.parent / "renders"
        self.timeout = timeout
        self._lock = threading.RLock()  # the writer connection, one statement or transaction at a time
        # one read connection per thread, with a lock that close() takes before closing it: closing a
        # connection while another thread is inside a query on it crashed the interpreter
        self._readers: dict[threading.Thread, tuple[sqlite3.Connection, threading.Lock]] = {}
        self._readers_lock = threading.Lock()
        self._writer: StoreWriter | None = None
        self._closed = False
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = open_migrated(self.path, timeout=timeout)
        except OSError as e:
            _close_quietly(conn)
            raise StoreError(f"Cannot create the folder for {self.path}: {e.strerror}. "
                             "Set BRUSHWORK_HOME to a folder you can write to.") from e
        except sqlite3.Error as e:
            _close_quietly(conn)
            raise StoreError(explain(self.path, e)) from e
        except StoreError:
            _close_quietly(conn)
            raise
        self._db = sqlite_utils.Database(conn)  # the writer connection

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self._query("PRAGMA user_version")[0]["user_version"]

    # -- connections ----------------------------------------------------------------------------
    def _reader(self) -> tuple[sqlite3.Connection, threading.Lock]:
        thread = threading.current_thread()
        conn = self._readers.get(thread)
        if conn is None:
            with self._readers_lock:
                if self._closed:
                    raise StoreError(f"The database {self.path} was closed; open a new Store.")
                # Threads come and go (executors, jobs): close what finished threads left behind.
                for gone in [t for t in self._readers if not t.is_alive()]:
                    _close_quietly(self._readers.pop(gone)[0])
                conn = self._readers[thread] = (connect(self.path, timeout=self.timeout, read_only=True),
                                                threading.Lock())
        return conn

    def _write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Run one write statement in its own committed transaction (waits for other writers)."""
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except sqlite3.Error as e:
                raise StoreError(explain(self.path, e)) from e

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """`BEGIN IMMEDIATE` … `COMMIT` on the writer connection (rolled back if the block raises).

        Inside another transaction of this thread it joins that one: the outer block commits or rolls
        back everything (so several named writes can land together, or not at all)."""
        with self._lock:
            conn = self._db.conn
            if conn.in_transaction:  # only this thread can be inside: it holds the lock
                yield conn
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreError(explain(self.path, e)) from e

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn(*args, **kwargs)` on this Store's writer thread, in order; returns at once."""
        # Not self._lock: the writer thread holds that while it waits for another process's lock.
        with self._readers_lock:
            if self._closed:
                raise StoreError(f"The database {self.path} was closed; open a new Store.")
            if self._writer is None:
                self._writer = StoreWriter(name=f"store-writer:{self.path.name}")
            writer = self._writer
        return writer.submit(fn, *args, **kwargs)

    def _query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Read rows as dicts, on this thread's own connection (never waits for a writer)."""
        names, rows = self._fetch(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _query_tuples(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        """Read rows as plain tuples: for bulk reads (hundreds of thousands of metric rows), where
        building a dict per row would be most of the work and hold the GIL from a GUI thread."""
        return self._fetch(sql, params)[1]

    def _fetch(self, sql: str, params: tuple | dict) -> tuple[list[str], list[tuple]]:
        try:
            conn, lock = self._reader()
            with lock:
                cur = conn.execute(sql, params)
                names = [d[0] for d in cur.description or ()]
                return names, cur.fetchall()
        except sqlite3.Error as e:
            raise StoreError(explain(self.path, e)) from e

    def close(self) -> None:
        """Finish queued writes, then close every connection."""
        with self._readers_lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
        with self._lock:
            with self._readers_lock:
                self._closed = True
                readers, self._readers = list(self._readers.values()), {}
            for conn, lock in readers:
                # a query in flight on another thread finishes first; one stuck longer keeps its
                # connection (closed when it is collected) rather than crash under it
                if lock.acquire(timeout=10):
                    try:
                        _close_quietly(conn)
                    finally:
                        lock.release()
            _close_quietly(self._db.conn)

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
        check_sketch_source(source)
        cur = self._write(
            "INSERT INTO sketches (code, code_hash, parent_id, source, prompt, title, run_id, step, meta, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (code, code_hash(code), parent_id, source, prompt, title, run_id, step,
             json.dumps(meta) if meta else None, time.time()),
        )
        return cur.lastrowid

    def get_sketch(self, sketch_id: int) -> Sketch | None:
        rows = self._query("SELECT * FROM sketches WHERE id = ?", (sketch_id,))
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
        where, params = _sketch_filter("", include_deleted=include_deleted, source=source, text=text)
        sql = "SELECT * FROM sketches" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
        return [sketch_from_row(r) for r in self._query(sql, (*params, limit, offset))]

    def lineage(self, sketch_id: int) -> list[Sketch]:
        """The chain root → … → sketch_id (oldest first)."""
        rows = self._query(
            """WITH RECURSIVE chain(id, depth) AS (
                   SELECT ?, 0 UNION ALL
                   SELECT s.parent_id, c.depth + 1 FROM sketches s JOIN chain c ON s.id = c.id
                   WHERE s.parent_id IS NOT NULL)
               SELECT s.* FROM chain c JOIN sketches s ON s.id = c.id ORDER BY c.depth DESC""",
            (sketch_id,),
        )
        return [sketch_from_row(r) for r in rows]

    def children(self, sketch_id: int) -> list[Sketch]:
        return [sketch_from_row(r) for r in self._query("SELECT * FROM sketches WHERE parent_id = ? ORDER BY id", (sketch_id,))]

    def delete_sketch(self, sketch_id: int) -> None:
        """Soft delete (undoable with restore_sketch)."""
        self._write("UPDATE sketches SET deleted_at = ? WHERE id = ?", (time.time(), sketch_id))

    def restore_sketch(self, sketch_id: int) -> None:
        self._write("UPDATE sketches SET deleted_at = NULL WHERE id = ?", (sketch_id,))

    def find_sketch(self, code: str, *, source: str | None = None, include_deleted: bool = True) -> Sketch | None:
        """A sketch with exactly this code (of this source, if given): a live one first, then the oldest."""
        where, params = ["code_hash = ?"], [code_hash(code)]
        if source is not None:
            where.append("source = ?")
            params.append(source)
        if not include_deleted:
            where.append("deleted_at IS NULL")
        rows = self._query(f"SELECT * FROM sketches WHERE {' AND '.join(where)}"
                           " ORDER BY deleted_at IS NOT NULL, id LIMIT 1", tuple(params))
        return sketch_from_row(rows[0]) if rows else None

    def has_sketches(self) -> bool:
        """Whether the library has ever held a sketch (deleted ones count: the user chose that)."""
        return bool(self._query("SELECT 1 FROM sketches LIMIT 1"))

    def newest_sketch_id(self) -> int:
        """The highest sketch id so far (0 for an empty library): what was added after it is new."""
        return self._query("SELECT MAX(id) AS m FROM sketches")[0]["m"] or 0

    def sketch_parents(self) -> dict[int, int | None]:
        """Every sketch's parent id (None for a root), deleted ones included: version stacks follow them."""
        return {r["id"]: r["parent_id"] for r in self._query("SELECT id, parent_id FROM sketches")}

    def library_rows(self, *, source: str | None = None, text: str | None = None,
                     limit: int = 2000) -> list[LibraryRow]:
        """Live sketches newest first, each with its latest picture and its latest render's error, in one
        query. `text` matches prompt, title or code (case-insensitive substring)."""
        where, params = _sketch_filter("s.", include_deleted=False, source=source, text=text)
        sql = f"""
            SELECT s.*,
              (SELECT png_path FROM renders r WHERE r.code_hash = s.code_hash AND {_GOOD_RENDER}
                 ORDER BY r.id DESC LIMIT 1) AS _png,
              (SELECT CASE WHEN r.error_kind IS NULL THEN NULL
                           ELSE r.error_kind || ': ' || COALESCE(r.error_message, '') END
                 FROM renders r WHERE r.code_hash = s.code_hash ORDER BY r.id DESC LIMIT 1) AS _error
            FROM sketches s WHERE {' AND '.join(where)} ORDER BY s.id DESC LIMIT ?"""
        out = []
        for row in self._query(sql, (*params, limit)):
            png, error = row.pop("_png"), row.pop("_error")
            out.append(LibraryRow(sketch_from_row(row), self.path.parent / png if png else None, error))
        return out

    # -- renders (content-addressed cache) -------------------------------------------------------
    def find_render(self, code: str, seed: int, width: int, height: int) -> RenderRecord | None:
        """A cached render of exactly this code, seed and size, if its PNG is still on disk."""
        rows = self._query("SELECT * FROM renders WHERE key = ?", (render_key(code, seed, width, height),))
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
        brush_calls: dict[str, int] | None = None,
        brush_state: dict[str, int] | None = None,
    ) -> RenderRecord:
        """Record a render result (with its run-time brush counts); the PNG is stored once per content hash
        under renders/."""
        png_rel = png_hash = None
        if png is not None:
            png_hash = bytes_hash(png)
            png_rel = _render_rel(png_hash)
            target = self.path.parent / png_rel
            if not target.exists():
                try:
                    write_atomic(target, png)
                except AtomicWriteError as e:
                    raise StoreError(str(e)) from e
        err = error or {}
        self._write(
            "INSERT OR REPLACE INTO renders (key, code_hash, seed, width, height, png_path, png_hash, ms,"
            " error_kind, error_message, error_line, error_column, console, created_at, brush_calls, brush_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (render_key(code, seed, width, height), code_hash(code), seed, width, height, png_rel, png_hash, ms,
             err.get("kind"), err.get("message"), err.get("line"), err.get("column"),
             json.dumps(console or []), time.time(), _counts_json(brush_calls), _counts_json(brush_state)),
        )
        return self.find_render(code, seed, width, height) or self._render(
            self._query("SELECT * FROM renders WHERE key = ?", (render_key(code, seed, width, height),))[0]
        )

    def latest_good_render(self, code: str) -> RenderRecord | None:
        """The newest good render of this exact code (any seed or size) whose PNG is still on disk: the
        library's thumbnail, the editor's cached preview, a pool import and an export all mean this one."""
        rows = self._query(f"SELECT * FROM renders WHERE code_hash = ? AND {_GOOD_RENDER} ORDER BY id DESC",
                           (code_hash(code),))
        for row in rows:  # newest first; a PNG deleted by hand falls back to an older one
            rec = self._render(row)
            if rec.png_path is not None and rec.png_path.exists():
                return rec
        return None

    def render_file(self, png_hash: str) -> Path:
        """Where renders/ keeps the PNG with this content hash (whether or not it is there)."""
        return self.path.parent / _render_rel(png_hash)

    def stored_png(self, png_hash: str | None) -> Path | None:
        """The PNG with this content hash (a sample's `png_hash`), if renders/ holds it."""
        if not png_hash:
            return None
        path = self.render_file(png_hash)
        return path if path.exists() else None

    def _render(self, row: dict) -> RenderRecord:
        return RenderRecord(
            key=row["key"], code_hash=row["code_hash"], seed=row["seed"], width=row["width"], height=row["height"],
            png_path=(self.path.parent / row["png_path"]) if row["png_path"] else None, ms=row["ms"],
            error_kind=row["error_kind"], error_message=row["error_message"], error_line=row["error_line"],
            error_column=row["error_column"], console=json.loads(row["console"] or "[]"),
            brush_calls=_counts_of(row.get("brush_calls")), brush_state=_counts_of(row.get("brush_state")),
        )

    # -- training tables (v4) ---------------------------------------------------------------------
    def add_metric_rows(self, run_id: str, step: int, values: dict[str, float | None], at: float | None = None) -> None:
        """One metrics row per key for this step, in one transaction (a step written again is replaced)."""
        self.add_metric_steps(run_id, {step: values}, at)

    def add_metric_steps(self, run_id: str, steps: Mapping[int, Mapping[str, float | None]],
                         at: float | None = None) -> None:
        """`add_metric_rows` for many steps at once, in one transaction."""
        at = time.time() if at is None else at
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO metrics (run_id, step, key, value, at) VALUES (?, ?, ?, ?, ?)",
                [(run_id, step, key, None if value is None else float(value), at)
                 for step, values in steps.items() for key, value in values.items()],
            )

    def sketch_for_sample(self, sample_id: int, *, title: str, default_seed: int = 0) -> int | None:
        """The library sketch of a training sample: the one it was opened as before (not deleted), else
        a new one (source model, with its run, step, prompt and seed in meta) linked to the sample.
        A sample joins the library only this way, when a person opens or saves it. None: no such sample."""
        with self.transaction() as conn:
            row = conn.execute("SELECT run_id, step, prompt, code, seed, split, checkpoint, total, sketch_id"
                               " FROM samples WHERE id = ?", (sample_id,)).fetchone()
            if row is None:
                return None
            run_id, step, prompt, code, seed, split, checkpoint, total, known = row
            if known and conn.execute("SELECT 1 FROM sketches WHERE id = ? AND deleted_at IS NULL", (known,)).fetchone():
                return known
            meta = {"seed": default_seed if seed is None else seed, "split": split, "checkpoint": checkpoint,
                    "sample_id": sample_id, "total": total}
            cur = conn.execute(
                "INSERT INTO sketches (code, code_hash, source, prompt, title, run_id, step, meta, created_at)"
                " VALUES (?, ?, 'model', ?, ?, ?, ?, ?, ?)",
                (code or "", code_hash(code or ""), prompt, title, run_id, step, json.dumps(meta), time.time()))
            conn.execute("UPDATE samples SET sketch_id = ? WHERE id = ?", (cur.lastrowid, sample_id))
            return cur.lastrowid

    # -- drafts (unsaved editor text survives a crash) --------------------------------------------
    def save_draft(self, key: str, text: str) -> None:
        self._write("INSERT OR REPLACE INTO drafts (key, text, updated_at) VALUES (?, ?, ?)", (key, text, time.time()))

    def load_draft(self, key: str) -> Draft | None:
        """The unsaved text kept under `key`, with the time it was saved, or None."""
        rows = self._query("SELECT key, text, updated_at FROM drafts WHERE key = ?", (key,))
        return Draft(rows[0]["key"], rows[0]["text"], rows[0]["updated_at"]) if rows else None

    def clear_draft(self, key: str) -> None:
        self._write("DELETE FROM drafts WHERE key = ?", (key,))


def _sketch_filter(alias: str, *, include_deleted: bool, source: str | None, text: str | None) -> tuple[list[str], list]:
    """WHERE clauses and parameters over `sketches` (as `alias`, e.g. "s."): live only unless
    include_deleted, one source, `text` anywhere in prompt, title or code (case-insensitive)."""
    where, params = [], []
    if not include_deleted:
        where.append(f"{alias}deleted_at IS NULL")
    if source:
        where.append(f"{alias}source = ?")
        params.append(source)
    if text:
        where.append(f"({alias}prompt LIKE ? OR {alias}title LIKE ? OR {alias}code LIKE ?)")
        params += [f"%{text}%"] * 3
    return where, params


# A render row with a picture the sketch meant (RenderRecord.ok): a PNG, and no error.
_GOOD_RENDER = "png_path IS NOT NULL AND error_kind IS NULL"


def _render_rel(png_hash: str) -> str:
    """renders/ keeps each PNG once, by content hash, in 256 sub-folders."""
    return f"renders/{png_hash[:2]}/{png_hash}.png"


def _counts_json(counts: dict[str, int] | None) -> str | None:
    return None if counts is None else json.dumps({str(k): int(v) for k, v in counts.items()}, sort_keys=True)


def _counts_of(text: str | None) -> dict[str, int] | None:
    """Counts from a renders row; None when not measured (NULL, or a row this version cannot read)."""
    if text is None:
        return None
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else None


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except sqlite3.Error:
            pass  # closing is best effort: the process may be going away
