"""`RunWriter`: the training process's one writer to the store (runs, metrics, samples, run_events).

The GUI only reads these tables. Metrics are narrow (one row per step and key, INSERT OR REPLACE), so
a resumed run that replays steps after its last checkpoint rewrites them instead of duplicating them,
and `rewind(step)` drops what a killed run logged past the checkpoint it resumes from. Besides warnings
and landmarks, run_events carry `phase:*` events (loading, held-out), so a reader can say what a run
is doing before its first step lands.
"""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.store import Store


@dataclass
class SampleRow:
    """One rollout as the samples table keeps it: what the run writes and what readers get back (with its id)."""

    step: int
    prompt: str
    completion: str
    code: str
    components: dict[str, float | None]
    total: float | None
    png_hash: str | None = None
    split: str = "train"
    seed: int | None = None
    checkpoint: str | None = None
    sketch_id: int | None = None
    id: int | None = None  # the table's row id: set on rows read back, None on rows still to write


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


class RunWriter:
    """Writes one run's rows; `run_id` is the run directory's name."""

    def __init__(self, store: Store, run_id: str):
        self.store = store
        self.run_id = run_id

    def start(self, name: str, kind: str, config: dict[str, Any], run_dir: Path) -> None:
        """Create the run row (or mark an existing one running again, with this pid)."""
        now = time.time()
        self.store.write(
            "INSERT INTO runs (id, name, kind, config, status, pid, run_dir, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET status='running', pid=excluded.pid, config=excluded.config,"
            " updated_at=excluded.updated_at, ended_at=NULL, error=NULL",
            (self.run_id, name, kind, json.dumps(config), os.getpid(), str(run_dir), now, now),
        )
        self.phase("loading", "loading the model, the tokenizer and the reward")

    def status(self, status: str, error: str | None = None) -> None:
        """Set the run's status; a final one also sets ended_at."""
        now = time.time()
        ended = now if status in ("finished", "stopped", "died", "failed") else None
        self.store.write("UPDATE runs SET status=?, error=?, updated_at=?, ended_at=? WHERE id=?",
                         (status, error, now, ended, self.run_id))

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        """One row per key for `step` (non-numeric values are dropped, NaN becomes NULL)."""
        rows = {k: _num(v) for k, v in values.items() if isinstance(v, int | float) or v is None}
        if rows:
            self.store.add_metric_rows(self.run_id, step, rows)

    def samples(self, rows: list[SampleRow]) -> None:
        """Append samples in one transaction."""
        now = time.time()
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO samples (run_id, step, prompt, completion, code, png_hash, components, total,"
                " checkpoint, split, seed, sketch_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(self.run_id, r.step, r.prompt, r.completion, r.code, r.png_hash,
                  json.dumps({k: _num(v) for k, v in r.components.items()}), _num(r.total), r.checkpoint,
                  r.split, r.seed, r.sketch_id, now) for r in rows],
            )

    def event(self, step: int | None, kind: str, message: str, data: dict[str, Any] | None = None) -> None:
        """A run event: collapse/outage warnings, checkpoints, stop, resume."""
        self.store.write("INSERT INTO run_events (run_id, step, kind, message, data, at) VALUES (?, ?, ?, ?, ?, ?)",
                         (self.run_id, step, kind, message, json.dumps(data or {}), time.time()))

    def phase(self, name: str, message: str, step: int | None = None) -> None:
        """What the run is doing from now on (`loading`, `heldout`, …): a run event of kind `phase:<name>`,
        so the studio can show progress before the first step's metrics (core.train.tail.run_phase)."""
        self.event(step, f"phase:{name}", message)

    def rewind(self, step: int) -> dict[str, int]:
        """Forget metrics and samples logged after `step`: that trajectory died; resume replays it."""
        with self.store.transaction() as conn:
            m = conn.execute("DELETE FROM metrics WHERE run_id=? AND step>?", (self.run_id, step)).rowcount
            s = conn.execute("DELETE FROM samples WHERE run_id=? AND step>?", (self.run_id, step)).rowcount
        return {"metrics": m, "samples": s}

    def heldout_done(self, checkpoint: str) -> bool:
        """Whether held-out samples for this checkpoint are already stored (resume skips them).

        The evaluation asks this right before it starts, so a "no" also records the `heldout` phase
        (minutes on a CPU): the runner has no other hook before the evaluation's first write."""
        rows = self.store.query("SELECT 1 FROM samples WHERE run_id=? AND split='heldout' AND checkpoint=? LIMIT 1",
                                (self.run_id, checkpoint))
        if not rows:
            step = int(checkpoint.rsplit("-", 1)[1]) if checkpoint.rsplit("-", 1)[-1].isdigit() else 0
            self.phase("heldout", f"held-out evaluation of {checkpoint}", step)
        return bool(rows)
