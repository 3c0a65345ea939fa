"""Opening the database: connections, the schema check, migrations, and errors in words.

Many processes may open one new database at once (the studio, a training run, `brushwork`
commands): each migration runs under `BEGIN IMMEDIATE` and re-reads `user_version` inside that
transaction, so exactly one process applies it and the others see it done.
"""
from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from core.store.migrations import MIGRATIONS


class StoreError(Exception):
    """The database cannot be opened, read or written; the message says what a user can do."""


def explain(path: Path, e: sqlite3.Error) -> str:
    """One sentence (or two) a user can act on, for an sqlite3 error on `path`."""
    text = str(e)
    if "readonly" in text or "unable to open" in text or "read-only" in text:
        return (f"Cannot write the database {path} ({text}). "
                "Check the folder's permissions or set BRUSHWORK_HOME to a folder you can write to.")
    if "locked" in text or "busy" in text:
        return (f"The database {path} is locked by another program ({text}). "
                "Wait for it to finish or close it, then retry.")
    if "disk" in text and "full" in text:
        return f"The disk holding {path} is full ({text}). Free space and retry; nothing was lost."
    if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
        return (f"{path} is not a Brushwork database or is damaged ({text}). "
                "Move it aside or set BRUSHWORK_HOME to another folder.")
    return f"Database error on {path}: {text}. Retry; if it persists, move the file aside."


def connect(path: Path, *, timeout: float, read_only: bool = False) -> sqlite3.Connection:
    """An autocommit connection with a busy timeout (readers are query-only)."""
    conn = sqlite3.connect(path, check_same_thread=False, timeout=timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    if read_only:
        conn.execute("PRAGMA query_only = ON")
    else:
        conn.execute("PRAGMA foreign_keys = ON")
    return conn


def check_is_ours(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version, after refusing a database some other program made (before we touch it)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if (version == 0 and tables) or (version > 0 and "sketches" not in tables):
        shown = ", ".join(sorted(tables)[:5]) or "none"
        raise StoreError(
            f"{path} is an SQLite database of another program (tables: {shown}). "
            "Move it aside or set BRUSHWORK_HOME to another folder."
        )
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{path} has schema v{version}, newer than this Brushwork (v{len(MIGRATIONS)}). Upgrade Brushwork."
        )
    return version


def use_wal(conn: sqlite3.Connection) -> None:
    """WAL (readers never wait for the writer) and NORMAL sync (survives a killed process)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply pending migrations, one `BEGIN IMMEDIATE` transaction each; returns the final version."""
    target = len(MIGRATIONS)
    if check_is_ours(conn, path) == target:
        return target
    db = sqlite_utils.Database(conn)
    # A table rebuild (v3) must not trip foreign keys half-way; they are checked before each commit.
    # The pragma is a no-op inside a transaction, so it is set around them.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        while True:
            conn.execute("BEGIN IMMEDIATE")  # waits (busy timeout) while another process migrates
            try:
                version = check_is_ours(conn, path)  # re-read inside: another process may have migrated
                if version == target:
                    conn.execute("COMMIT")
                    return version
                MIGRATIONS[version](db)
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(f"Migration to v{version + 1} of {path} broke {len(broken)} links "
                                     f"(first: {broken[0]}). Nothing was changed; report this.")
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def read_schema(path: Path) -> tuple[int, set[str]]:
    """(schema version, table names) of the database at `path`, opened read-only: nothing is created or
    migrated (`brushwork doctor`). StoreError saying why when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise StoreError(f"{path} cannot be read: {e}") from e
    return version, tables


def _transient(e: sqlite3.Error) -> bool:
    text = str(e)
    return isinstance(e, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def open_migrated(path: Path, *, timeout: float) -> sqlite3.Connection:
    """The writer connection to `path`, in WAL mode and fully migrated.

    SQLite answers some first-open races with SQLITE_BUSY without waiting out the busy timeout
    (switching to WAL while another process holds a read lock, a deferred-to-write upgrade), and a
    loaded machine can take longer than one busy timeout to let six processes migrate in turn. So a
    "locked"/"busy" error here retries the whole open, with jitter, for up to 4x the busy timeout
    (at least 20 s) before the user sees it.
    """
    deadline = time.monotonic() + max(4 * timeout, 20.0)
    while True:
        conn = connect(path, timeout=timeout)
        try:
            check_is_ours(conn, path)  # before anything is written to a stranger's file
            use_wal(conn)
            migrate(conn, path)
            return conn
        except sqlite3.Error as e:
            try:
                conn.close()
            except sqlite3.Error:
                pass
            if not _transient(e) or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.02, 0.2))
        except BaseException:
            conn.close()
            raise
