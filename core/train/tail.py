"""Read a training run while it runs: runs with their true status, new metric rows, samples, events.

The runner process is the only writer (core/train); readers — the studio's Training pane, the CLI,
a notebook — tail SQLite through these functions. A run whose row says `running` but whose process is
gone (kill -9, power cut, OOM) reads as `died`, so it can be offered for resume.
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.store import Store, runs
from core.train.run_writer import SampleRow

# Statuses a run row can carry (the runs table's CHECK) plus `died`, which only readers derive.
LIVE_STATUSES = ("created", "running")


@dataclass
class RunInfo:
    """One run as a reader sees it."""

    id: str
    name: str
    status: str              # created | running | finished | stopped | died | failed
    config: dict
    created_at: float
    updated_at: float | None
    last_step: int | None
    pid: int | None = None
    run_dir: str | None = None
    error: str | None = None

    @property
    def resumable(self) -> bool:
        return self.status in ("stopped", "died", "failed")


def pid_alive(pid: int | None) -> bool:
    """True when `pid` is a live process that is not a zombie (Linux /proc; elsewhere os.kill)."""
    if not pid or pid <= 0:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.exists() and Path("/proc/self").exists():
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _config(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) else {}
    except ValueError:
        try:
            return tomllib.loads(text)
        except Exception:  # a config we cannot parse still lists the run
            return {}


def list_runs(store: Store) -> list[RunInfo]:
    """Every run, newest first, with `running` runs whose process is gone reported as `died`."""
    out = []
    for row in runs.run_rows(store):
        status = row["status"]
        if status in LIVE_STATUSES and row.get("pid") and not pid_alive(row["pid"]):
            status = "died"
        out.append(RunInfo(
            id=row["id"], name=row.get("name") or row["id"], status=status, config=_config(row.get("config")),
            created_at=row["created_at"] or 0.0, updated_at=row.get("updated_at"), last_step=row["last_step"],
            pid=row.get("pid"), run_dir=row.get("run_dir"), error=row.get("error"),
        ))
    return out


@dataclass
class MetricBatch:
    """New metric rows since the last poll, grouped by key: {key: ([steps], [values])}."""

    series: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    rows: int = 0
    oldest_at: dict[str, float] = field(default_factory=dict)  # per key: its oldest row's commit time


METRIC_CHUNK = 20_000  # rows per poll


def _numbers(text: str, dtype: type = float) -> np.ndarray:
    return np.fromstring(text, dtype=dtype, sep=",")


class MetricTail:
    """Incremental reader of one run's metrics: each poll returns only rows committed since the last.

    Rows are found by rowid, which grows with every insert; a re-written (step, key) — a resumed run
    replaying a step — arrives again with its new value, and readers replace the point.
    """

    def __init__(self, store: Store, run_id: str):
        self.store, self.run_id = store, run_id
        self.last_rowid = 0

    def poll(self, limit: int = METRIC_CHUNK) -> MetricBatch:
        """Rows committed since the previous call (at most `limit`; call again for the rest).

        SQLite groups the chunk by key and hands back a few long texts that numpy parses: the reader
        thread holds the GIL ~3 ms a 20,000-row chunk (SQLite's part runs without it). Fetched as
        20,000 row tuples, it held it ~40 ms, and a GUI thread sharing the GIL ran at half speed."""
        groups = runs.metric_chunk(self.store, self.run_id, self.last_rowid, limit)
        batch = MetricBatch(rows=sum(g[6] for g in groups))
        for key, rowids, steps, values, oldest_at, newest, _count in groups:
            order = np.argsort(_numbers(rowids, np.int64), kind="stable")  # back to commit order
            batch.series[key] = (_numbers(steps)[order], _numbers(values)[order])
            if oldest_at is not None:
                batch.oldest_at[key] = float(oldest_at)  # commit times grow with rowid
            self.last_rowid = max(self.last_rowid, newest)
        return batch


@dataclass
class RunEvent:
    step: int | None
    kind: str
    message: str
    data: dict


def run_events(store: Store, run_id: str, kinds: tuple[str, ...] | None = None) -> list[RunEvent]:
    """Warnings and landmarks of a run (collapse, saturated, correlated, checkpoint…), oldest first."""
    return [RunEvent(r["step"], r["kind"] or "", r["message"] or "", _config(r["data"]))
            for r in runs.event_rows(store, run_id, kinds)]




def samples(store: Store, run_id: str, *, step_min: int | None = None, step_max: int | None = None,
            prompt: str | None = None, split: str | None = None, order: str = "step",
            limit: int = 500) -> list[SampleRow]:
    """A run's samples filtered by step range, prompt substring and split, sorted by step or reward."""
    rows = runs.sample_rows(store, run_id, split or None, step_min=step_min, step_max=step_max, prompt=prompt,
                            order=order, limit=limit)
    return [_sample(r) for r in rows]


def _sample(r: dict) -> SampleRow:
    return SampleRow(step=r["step"], prompt=r["prompt"] or "", completion=r["completion"] or "", code=r["code"] or "",
                     components=_config(r["components"]), total=r["total"], png_hash=r["png_hash"],
                     split=r["split"], seed=r["seed"], checkpoint=r["checkpoint"], sketch_id=r["sketch_id"], id=r["id"])


@dataclass
class GalleryCell:
    prompt: str
    step: int
    png_hash: str | None
    total: float | None
    sample_id: int


def progression(store: Store, run_id: str) -> tuple[list[str], list[int], dict[tuple[str, int], GalleryCell]]:
    """Held-out prompts × checkpoint steps: (prompts, steps, {(prompt, step): best-seed cell})."""
    rows = runs.heldout_grid_rows(store, run_id)
    cells: dict[tuple[str, int], GalleryCell] = {}
    for r in rows:
        key = (r["prompt"] or "", r["step"])
        # one picture per cell: the first seed that rendered (stable as more seeds land)
        if key not in cells or (cells[key].png_hash is None and r["png_hash"]):
            cells[key] = GalleryCell(key[0], key[1], r["png_hash"], r["total"], r["id"])
    prompts = sorted({k[0] for k in cells})
    steps = sorted({k[1] for k in cells})
    return prompts, steps, cells
