"""Raw SQL for tests, on a connection of the test's own: what is on disk, seen apart from core/store.

The product's SQL lives in core/store (named methods); a test that must look at a table directly,
or put a row there that no product path writes, does it here. WAL mode: these reads see every
committed write, and a write here commits at once.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.store import Store


def _connect(where: Store | Path | str) -> sqlite3.Connection:
    path = where.path if isinstance(where, Store) else Path(where)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def sql_rows(where: Store | Path | str, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
    """Rows of one statement as dicts, from the database behind `where` (a Store or a file)."""
    conn = _connect(where)
    try:
        cur = conn.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        conn.close()


def sql_write(where: Store | Path | str, sql: str, params: tuple | dict = ()) -> int:
    """Run one write statement, committed; the number of rows it changed."""
    conn = _connect(where)
    try:
        return conn.execute(sql, params).rowcount
    finally:
        conn.close()


@contextmanager
def read_only_database(folder: Path) -> Iterator[Path]:
    """A real Brushwork database in `folder` that nobody may write, for the block; yields its path.

    chattr +i as root (who ignores permission bits), chmod otherwise; undone afterwards so pytest can clean up.
    """
    path = folder / "brushwork.db"
    Store(path).close()
    paths = [*folder.iterdir(), folder]
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    else:
        for p in paths:
            os.chmod(p, 0o555 if p.is_dir() else 0o444)
    try:
        yield path
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        else:
            for p in paths:
                os.chmod(p, 0o755)
