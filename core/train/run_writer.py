"""`RunWriter`: the training process's one writer to the store (runs, metrics, samples, run_events).

The GUI only reads these tables (their SQL is in core.store.runs). Metrics are narrow (one row per step
and key, replaced when written again), so
a resumed run that replays steps after its last checkpoint rewrites them instead of duplicating them,
and `rewind(step)` drops what a killed run logged past the checkpoint it resumes from (events too). Besides
warnings and landmarks, run_events carry `phase:*` events (loading, held-out), so a reader can say what a
run is doing before its first step lands.
"""
from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.store import Store, runs


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
        runs.start_run(self.store, self.run_id, name=name, kind=kind, config=config, run_dir=run_dir, pid=os.getpid())
        self.phase("loading", "loading the model, the tokenizer and the reward")

    def status(self, status: str, error: str | None = None) -> None:
        """Set the run's status; a final one also sets ended_at."""
        runs.set_run_status(self.store, self.run_id, status, error)

    def metrics(self, step: int, values: dict[str, Any]) -> None:
        """One row per key for `step` (non-numeric values are dropped, NaN becomes NULL)."""
        rows = {k: _num(v) for k, v in values.items() if isinstance(v, int | float) or v is None}
        if rows:
            self.store.add_metric_rows(self.run_id, step, rows)

    def samples(self, rows: list[SampleRow]) -> None:
        """Append samples in one transaction."""
        runs.add_samples(self.store, self.run_id, [
            {**asdict(r), "components": {k: _num(v) for k, v in r.components.items()}, "total": _num(r.total)}
            for r in rows])

    def event(self, step: int | None, kind: str, message: str, data: dict[str, Any] | None = None) -> None:
        """A run event: collapse/outage warnings, checkpoints, stop, resume."""
        runs.add_event(self.store, self.run_id, step, kind, message, data)

    def phase(self, name: str, message: str, step: int | None = None) -> None:
        """What the run is doing from now on (`loading`, `heldout`, …): a run event of kind `phase:<name>`,
        so the studio can show progress before the first step's metrics (core.train.tail.run_phase)."""
        self.event(step, f"phase:{name}", message)

    def rewind(self, step: int) -> dict[str, int]:
        """Forget metrics, samples and events logged after `step`: that trajectory died; resume replays it."""
        return runs.rewind_run(self.store, self.run_id, step)

    def heldout_done(self, checkpoint: str) -> bool:
        """Whether held-out samples for this checkpoint are already stored (resume skips them).

        The evaluation asks this right before it starts, so a "no" also records the `heldout` phase
        (minutes on a CPU): the runner has no other hook before the evaluation's first write."""
        done = runs.heldout_done(self.store, self.run_id, checkpoint)
        if not done:
            step = int(checkpoint.rsplit("-", 1)[1]) if checkpoint.rsplit("-", 1)[-1].isdigit() else 0
            self.phase("heldout", f"held-out evaluation of {checkpoint}", step)
        return done
