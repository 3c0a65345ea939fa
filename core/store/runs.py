"""Named reads of one training run's tables (metrics, samples, events) for exports and summaries.

The runner writes these tables (core/train/run_writer.py); `brushwork runs` and the model card read them
here. Metrics are narrow (one row per step and key); readers that want a table widen them themselves.
"""
from __future__ import annotations

from collections.abc import Sequence

from core.store.store import Store


def metric_rows(store: Store, run_id: str, keys: Sequence[str] | None = None,
                prefix: str | None = None) -> list[tuple[int, str, float | None]]:
    """(step, key, value) rows of a run, by step then key; only `keys`, or keys starting with `prefix`, if given."""
    sql, params = "SELECT step, key, value FROM metrics WHERE run_id = ?", [run_id]
    if keys is not None:
        sql += f" AND key IN ({','.join('?' * len(keys))})"
        params += list(keys)
    if prefix is not None:
        # substr, not LIKE: metric keys contain '_' and '/', and LIKE treats '_' as a wildcard
        sql += " AND substr(key, 1, ?) = ?"
        params += [len(prefix), prefix]
    return store.query_tuples(sql + " ORDER BY step, key", tuple(params))


def sample_rows(store: Store, run_id: str, split: str | None = None) -> list[dict]:
    """Every sample row of a run (components as stored: JSON text), oldest first; one split if given."""
    sql, params = "SELECT * FROM samples WHERE run_id = ?", [run_id]
    if split is not None:
        sql += " AND split = ?"
        params.append(split)
    return store.query(sql + " ORDER BY id", tuple(params))


def sample_counts(store: Store, run_id: str) -> dict[str, int]:
    """How many samples a run stored per split (train, heldout)."""
    rows = store.query("SELECT split, COUNT(*) AS n FROM samples WHERE run_id = ? GROUP BY split", (run_id,))
    return {r["split"] or "train": r["n"] for r in rows}


def heldout_checkpoints(store: Store, run_id: str) -> list[tuple[str, int]]:
    """(checkpoint, step) of each held-out evaluation of a run, in step order ("sft" at 0 first)."""
    rows = store.query("SELECT checkpoint, MIN(step) AS step FROM samples WHERE run_id = ? AND split = 'heldout'"
                       " GROUP BY checkpoint ORDER BY step", (run_id,))
    return [(r["checkpoint"], r["step"]) for r in rows]


def event_counts(store: Store, run_id: str) -> dict[str, int]:
    """How many events of each kind a run logged (collapse, saturated, heldout, resumed, ...); the progress
    markers (`phase:*`, what the run is doing now) are not events a reader counts."""
    rows = store.query("SELECT kind, COUNT(*) AS n FROM run_events WHERE run_id = ? AND kind NOT LIKE 'phase:%' "
                       "GROUP BY kind", (run_id,))
    return {r["kind"] or "": r["n"] for r in rows}
