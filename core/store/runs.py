"""The training tables' SQL: runs, metrics, samples and run_events, written and read by name.

The runner process is the only writer (core/train/run_writer.py calls the writes here); the studio's Train
pane, `brushwork runs`, the model card and held-out evaluation read through the functions here.
Metrics are narrow (one row per step and key); readers that want a table widen them themselves.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from core.store.store import Store

FINAL_STATUSES = ("finished", "stopped", "died", "failed")  # a run in one of these has ended


# -- writes (the runner's RunWriter) ----------------------------------------------------------------
def start_run(store: Store, run_id: str, *, name: str, kind: str, config: dict[str, Any],
              run_dir: Path | str | None, pid: int | None) -> None:
    """Create the run row, or mark an existing one (a resumed run) running again with this pid."""
    now = time.time()
    store._write(
        "INSERT INTO runs (id, name, kind, config, status, pid, run_dir, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET status='running', pid=excluded.pid, config=excluded.config,"
        " updated_at=excluded.updated_at, ended_at=NULL, error=NULL",
        (run_id, name, kind, json.dumps(config), pid, None if run_dir is None else str(run_dir), now, now),
    )


def set_run_status(store: Store, run_id: str, status: str, error: str | None = None) -> None:
    """Set a run's status (the runs table's CHECK names them); a final one also sets ended_at."""
    now = time.time()
    store._write("UPDATE runs SET status=?, error=?, updated_at=?, ended_at=? WHERE id=?",
                 (status, error, now, now if status in FINAL_STATUSES else None, run_id))


def add_samples(store: Store, run_id: str, samples: Iterable[Mapping[str, Any]]) -> None:
    """Append samples in one transaction. Each maps step, prompt, completion, code, png_hash, components
    (a dict, stored as JSON), total, checkpoint, split, seed and sketch_id (all but step optional)."""
    now = time.time()
    rows = [(run_id, r["step"], r.get("prompt"), r.get("completion"), r.get("code"), r.get("png_hash"),
             json.dumps(r.get("components") or {}), r.get("total"), r.get("checkpoint"), r.get("split", "train"),
             r.get("seed"), r.get("sketch_id"), now) for r in samples]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO samples (run_id, step, prompt, completion, code, png_hash, components, total,"
            " checkpoint, split, seed, sketch_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def add_event(store: Store, run_id: str, step: int | None, kind: str, message: str,
              data: dict[str, Any] | None = None) -> None:
    """One run event: a warning, a landmark (checkpoint, stop, resume) or a `phase:*` progress marker."""
    store._write("INSERT INTO run_events (run_id, step, kind, message, data, at) VALUES (?, ?, ?, ?, ?, ?)",
                 (run_id, step, kind, message, json.dumps(data or {}), time.time()))


def rewind_run(store: Store, run_id: str, step: int) -> dict[str, int]:
    """Forget what a run logged after `step` (metrics, samples, events with a step) in one transaction:
    that trajectory died and is replayed. Sketches a person made from its samples stay in the library."""
    with store.transaction() as conn:
        m = conn.execute("DELETE FROM metrics WHERE run_id=? AND step>?", (run_id, step)).rowcount
        s = conn.execute("DELETE FROM samples WHERE run_id=? AND step>?", (run_id, step)).rowcount
        e = conn.execute("DELETE FROM run_events WHERE run_id=? AND step>?", (run_id, step)).rowcount
    return {"metrics": m, "samples": s, "events": e}


# -- reads ----------------------------------------------------------------------------------------
def run_rows(store: Store) -> list[dict]:
    """Every runs row, newest first, with `last_step` (the highest step with a metric; None before one)."""
    return store._query("SELECT r.*, (SELECT MAX(step) FROM metrics m WHERE m.run_id = r.id) AS last_step"
                        " FROM runs r ORDER BY r.created_at DESC")


# A chunk of a run's metric rows in commit order, through the (run_id, rowid) index (no sort of the whole run)
ROWS_SQL = ("SELECT rowid AS rid, step, key, value, at FROM metrics INDEXED BY idx_metrics_run_rowid"
            " WHERE run_id = ? AND rowid > ? ORDER BY rowid LIMIT ?")
# ... grouped by key inside SQLite, each column as one comma-separated text (17 significant digits: a
# double comes back within an ulp; a value not measured, NULL, as 'nan'). group_concat's order is not
# guaranteed, but it is the same for every column of a group, and the rowids put it right.
CHUNK_SQL = ("SELECT key, group_concat(rid), group_concat(step),"
             " group_concat(CASE WHEN value IS NULL THEN 'nan' ELSE printf('%!.17g', value) END),"
             f" min(at), max(rid), count(*) FROM ({ROWS_SQL}) GROUP BY key ORDER BY min(rid)")


def metric_chunk(store: Store, run_id: str, after_rowid: int, limit: int) -> list[tuple]:
    """The metric tail: at most `limit` rows committed after `after_rowid`, grouped by key, as tuples
    (key, rowids, steps, values, oldest at, newest rowid, count); the middle three are comma-separated
    texts (core.train.tail.MetricTail parses them with numpy). Plain tuples: a GUI shares the GIL."""
    return store._query_tuples(CHUNK_SQL, (run_id, after_rowid, limit))


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
    return store._query_tuples(sql + " ORDER BY step, key", tuple(params))


SAMPLE_ORDERS = {"id": "id", "step": "step DESC, id DESC", "reward": "total IS NULL, total DESC, id DESC",
                 "reward_asc": "total IS NULL, total ASC, id DESC"}


def sample_rows(store: Store, run_id: str, split: str | None = None, *, step_min: int | None = None,
                step_max: int | None = None, prompt: str | None = None, order: str = "id",
                limit: int | None = None) -> list[dict]:
    """A run's sample rows (components as stored: JSON text), filtered by split, step range and prompt
    substring; `order` is one of SAMPLE_ORDERS ("id": oldest first), `limit` caps how many."""
    where, params = ["run_id = ?"], [run_id]
    for clause, value in (("split = ?", split), ("step >= ?", step_min), ("step <= ?", step_max),
                          ("prompt LIKE ?", f"%{prompt}%" if prompt else None)):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = f"SELECT * FROM samples WHERE {' AND '.join(where)} ORDER BY {SAMPLE_ORDERS[order]}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return store._query(sql, tuple(params))


def sample_counts(store: Store, run_id: str) -> dict[str, int]:
    """How many samples a run stored per split (train, heldout)."""
    rows = store._query("SELECT split, COUNT(*) AS n FROM samples WHERE run_id = ? GROUP BY split", (run_id,))
    return {r["split"] or "train": r["n"] for r in rows}


def heldout_checkpoints(store: Store, run_id: str) -> list[tuple[str, int]]:
    """(checkpoint, step) of each held-out evaluation of a run, in step order ("sft" at 0 first)."""
    rows = store._query("SELECT checkpoint, MIN(step) AS step FROM samples WHERE run_id = ? AND split = 'heldout'"
                       " GROUP BY checkpoint ORDER BY step", (run_id,))
    return [(r["checkpoint"], r["step"]) for r in rows]


def event_counts(store: Store, run_id: str) -> dict[str, int]:
    """How many events of each kind a run logged (collapse, saturated, heldout, resumed, ...); the progress
    markers (`phase:*`, what the run is doing now) are not events a reader counts."""
    rows = store._query("SELECT kind, COUNT(*) AS n FROM run_events WHERE run_id = ? AND kind NOT LIKE 'phase:%' "
                       "GROUP BY kind", (run_id,))
    return {r["kind"] or "": r["n"] for r in rows}


def last_event_data(store: Store, run_id: str, kind: str) -> dict | None:
    """The data (parsed JSON) of a run's newest event of `kind`, or None when it logged none."""
    rows = store._query("SELECT data FROM run_events WHERE run_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                       (run_id, kind))
    return json.loads(rows[0]["data"] or "{}") if rows else None


def heldout_done(store: Store, run_id: str, checkpoint: str) -> bool:
    """Whether a run stored held-out samples for this checkpoint (a resumed run skips them)."""
    return bool(store._query("SELECT 1 FROM samples WHERE run_id=? AND split='heldout' AND checkpoint=? LIMIT 1",
                             (run_id, checkpoint)))


def heldout_seed(store: Store, run_id: str) -> int | None:
    """The lowest seed a run's held-out evaluations used (the one a contact sheet shows), or None."""
    return store._query("SELECT MIN(seed) AS s FROM samples WHERE run_id=? AND split='heldout'", (run_id,))[0]["s"]


def heldout_sample_rows(store: Store, run_id: str, checkpoint: str, seed: int | None = None) -> list[dict]:
    """prompt, seed, png_hash, total and components (JSON text) of one held-out evaluation's samples
    (of one seed, if given), oldest first."""
    sql, params = ("SELECT prompt, seed, png_hash, total, components FROM samples"
                   " WHERE run_id=? AND split='heldout' AND checkpoint=?", [run_id, checkpoint])
    if seed is not None:
        sql += " AND seed=?"
        params.append(seed)
    return store._query(sql + " ORDER BY id", tuple(params))


def heldout_grid_rows(store: Store, run_id: str) -> list[dict]:
    """id, prompt, step, png_hash and total of every held-out sample, by step, prompt, seed (the Gallery)."""
    return store._query("SELECT id, prompt, step, png_hash, total FROM samples WHERE run_id = ? AND split = 'heldout'"
                        " ORDER BY step, prompt, seed, id", (run_id,))


def event_rows(store: Store, run_id: str, kinds: Sequence[str] | None = None) -> list[dict]:
    """A run's events (of these kinds, if given), oldest first; `data` as stored (JSON text)."""
    sql, params = "SELECT * FROM run_events WHERE run_id = ?", [run_id]
    if kinds:
        sql += f" AND kind IN ({','.join('?' * len(kinds))})"
        params += list(kinds)
    return store._query(sql + " ORDER BY id", tuple(params))
