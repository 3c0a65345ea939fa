"""The `judgements` table's SQL: cached pairwise verdicts, one row per (pair, judge, prompt, order).

core/reward/judges/cache.py decides what a key is and when to read or write; the rows hold verdicts,
reasoning and token counts, never a key.
"""
from __future__ import annotations

from typing import Any

from core.store.store import Store

COLUMNS = ("key", "candidate_hash", "reference_hash", "prompt", "judge_model", "prompt_version", "order_ab",
           "judge", "winner", "confidence", "reasoning", "tokens_in", "tokens_out", "cost_usd", "created_at")


def has_judgements_table(store: Store) -> bool:
    """Whether this database has the table (schema v4 on)."""
    return bool(store._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'judgements'"))


def find_judgement(store: Store, key: str) -> dict | None:
    """winner, confidence and reasoning of the verdict cached under `key`, or None."""
    rows = store._query("SELECT winner, confidence, reasoning FROM judgements WHERE key = ?", (key,))
    return rows[0] if rows else None


def add_judgement(store: Store, row: dict[str, Any]) -> None:
    """Store one verdict (columns named as in COLUMNS); a repeat of the same key is ignored."""
    unknown = set(row) - set(COLUMNS)
    if unknown:
        raise ValueError(f"judgements has no column {', '.join(sorted(unknown))}")
    store._write(f"INSERT OR IGNORE INTO judgements ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                 tuple(row.values()))


def judgement_count(store: Store) -> int:
    """How many verdicts are cached."""
    return store._query("SELECT count(*) AS n FROM judgements")[0]["n"]
