"""Forward-only schema migrations. Append a function; never edit one that has shipped.

The schema version is SQLite's `PRAGMA user_version`: migration i (0-based) brings it to i + 1.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1_library(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE sketches (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            parent_id INTEGER REFERENCES sketches(id),
            source TEXT NOT NULL CHECK (source IN ('starter', 'model', 'human', 'import')),
            prompt TEXT,
            title TEXT,
            run_id TEXT,
            step INTEGER,
            meta TEXT,
            created_at REAL NOT NULL,
            deleted_at REAL
        )"""
    )
    db.execute("CREATE INDEX idx_sketches_parent ON sketches(parent_id)")
    db.execute("CREATE INDEX idx_sketches_hash ON sketches(code_hash)")
    db.execute(
        """
        CREATE TABLE renders (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            code_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            png_path TEXT,
            png_hash TEXT,
            ms REAL,
            error_kind TEXT,
            error_message TEXT,
            error_line INTEGER,
            error_column INTEGER,
            console TEXT,
            created_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_renders_code ON renders(code_hash)")
    db.execute(
        """
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_library]
