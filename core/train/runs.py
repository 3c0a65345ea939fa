"""A run's figures from a terminal: find a run, summarise it, export its metrics and samples.

`brushwork runs list|show|export` (core/train/runs_cli.py) prints these; a notebook can call them too.
Runs are found in the store by id, unique id prefix, run directory or `latest`; a run whose process
is gone reads as `died` (core/train/tail.py). Exports are plain tables: metrics wide (one row per
step, one column per key, empty where a key was not logged), samples one row per rollout with each
reward component as its own column, written as Parquet or CSV with the contact sheet beside them.
"""
from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from core.store import Store
from core.store import runs as reads
from core.train.heldout_runner import rise_figures, rise_sentences, stored_rise, write_contact_sheet
from core.train.run_writer import RunWriter
from core.train.tail import RunInfo, list_runs

FORMATS = ("parquet", "csv")


class RunNotFound(LookupError):
    """No run matches what the user typed; the message lists what would."""


def find_run(store: Store, ref: str) -> RunInfo:
    """The run named by `ref`: an id, a unique id prefix, a run directory, or `latest`."""
    runs = list_runs(store)
    if not runs:
        raise RunNotFound("no runs in this data home yet: start one with `brushwork train CONFIG.toml`.")
    if ref == "latest":
        return runs[0]
    path = Path(ref).expanduser()
    if path.is_dir():
        here = path.resolve()
        for r in runs:
            if r.run_dir and Path(r.run_dir).resolve() == here:
                return r
        ref = path.name  # a copied run folder still carries its id as its name
    exact = [r for r in runs if r.id == ref]
    if exact:
        return exact[0]
    prefixed = [r for r in runs if r.id.startswith(ref)]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise RunNotFound(f"{ref!r} matches {len(prefixed)} runs ({', '.join(r.id for r in prefixed[:5])}): "
                          "type more of the id.")
    raise RunNotFound(f"no run {ref!r} in this data home; `brushwork runs list` shows them "
                      f"(newest: {runs[0].id}).")


def checkpoint_names(run: RunInfo) -> list[str]:
    """checkpoint-N folders in the run directory, oldest first (empty when the folder is gone)."""
    folder = Path(run.run_dir or "") / "checkpoints"
    steps = sorted(int(p.name.removeprefix("checkpoint-")) for p in folder.glob("checkpoint-*")
                   if p.name.removeprefix("checkpoint-").isdigit()) if run.run_dir and folder.is_dir() else []
    return [f"checkpoint-{s}" for s in steps]


def heldout_table(store: Store, run_id: str) -> list[dict[str, Any]]:
    """One row per held-out evaluation: checkpoint, step, and its heldout/* figures (reward, nonblank, ...)."""
    by_step: dict[int, dict[str, float | None]] = {}
    for step, key, value in reads.metric_rows(store, run_id, prefix="heldout/"):
        by_step.setdefault(step, {})[key.removeprefix("heldout/")] = value
    return [{"checkpoint": name, "step": step, **by_step.get(step, {})}
            for name, step in reads.heldout_checkpoints(store, run_id)]


def reward_trend(store: Store, run_id: str, window: int = 5) -> dict[str, Any]:
    """Mean training reward of the first and of the last `reward_window` logged steps (at most `window`, and
    at most half the steps, so the two means never share a step; None when nothing was logged)."""
    values = [v for _, _, v in reads.metric_rows(store, run_id, keys=["reward"]) if v is not None]
    if not values:
        return {"reward_first": None, "reward_last": None, "reward_window": 0}
    n = max(1, min(window, len(values) // 2))
    return {"reward_first": statistics.fmean(values[:n]), "reward_last": statistics.fmean(values[-n:]),
            "reward_window": n}


def summarize(store: Store, run: RunInfo) -> dict[str, Any]:
    """What `runs show` prints: status, steps, checkpoints, held-out figures, the paired rise of the last
    evaluation against the first (and the independent signal's), reward trend, counts, paths."""
    rise = stored_rise(store, run.id)
    sheet = Path(run.run_dir) / "contact_sheet.png" if run.run_dir else None
    return {
        "id": run.id, "name": run.name, "status": run.status, "run_dir": run.run_dir,
        "created_at": run.created_at, "updated_at": run.updated_at,
        "last_step": run.last_step, "steps": run.config.get("steps"),
        "checkpoints": checkpoint_names(run), "heldout": heldout_table(store, run.id),
        **reward_trend(store, run.id), **rise_figures(rise), "rise": rise_sentences(rise),
        "samples": reads.sample_counts(store, run.id), "events": reads.event_counts(store, run.id),
        "contact_sheet": str(sheet) if sheet and sheet.exists() else None,
        "error": run.error, "config": run.config,
    }


def metrics_table(store: Store, run_id: str) -> pa.Table:
    """The run's metrics wide: `step`, then one float column per key (sorted), null where not logged."""
    rows = reads.metric_rows(store, run_id)
    steps = sorted({r[0] for r in rows})
    keys = sorted({r[1] for r in rows})
    at = {s: i for i, s in enumerate(steps)}
    columns: dict[str, list[float | None]] = {k: [None] * len(steps) for k in keys}
    for step, key, value in rows:
        columns[key][at[step]] = value
    return pa.table({"step": pa.array(steps, pa.int64()),
                     **{k: pa.array(v, pa.float64()) for k, v in columns.items()}})


SAMPLE_COLUMNS = {"id": pa.int64(), "step": pa.int64(), "split": pa.string(), "checkpoint": pa.string(),
                  "seed": pa.int64(), "prompt": pa.string(), "completion": pa.string(), "code": pa.string(),
                  "total": pa.float64(), "png_hash": pa.string(), "png_path": pa.string(),
                  "sketch_id": pa.int64(), "created_at": pa.float64()}


def samples_table(store: Store, run_id: str) -> pa.Table:
    """One row per stored rollout (train and held-out), each reward component as `components/<name>`."""
    rows = reads.sample_rows(store, run_id)
    parsed = [json.loads(r["components"]) if r["components"] else {} for r in rows]
    names = sorted({k for c in parsed for k in c})
    data: dict[str, pa.Array] = {}
    for col, kind in SAMPLE_COLUMNS.items():
        if col == "png_path":
            values = [str(p) if (p := store.stored_png(r["png_hash"])) else None for r in rows]
        else:
            values = [r[col] for r in rows]
        data[col] = pa.array(values, kind)
    for n in names:
        data[f"components/{n}"] = pa.array([c.get(n) for c in parsed], pa.float64())
    return pa.table(data)


def write_table(table: pa.Table, path: Path, fmt: str) -> Path:
    """Write `table` as Parquet or CSV at `path` (the suffix is set from the format)."""
    path = path.with_suffix(f".{fmt}")
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "csv":
        pcsv.write_csv(table, path)
    else:
        raise ValueError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}.")
    return path


def export_run(store: Store, run: RunInfo, out: Path, fmt: str = "parquet") -> dict[str, Any]:
    """metrics.<fmt>, samples.<fmt>, run.json (summary and config) and contact_sheet.png in `out`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}.")
    out.mkdir(parents=True, exist_ok=True)
    metrics, samples = metrics_table(store, run.id), samples_table(store, run.id)
    report: dict[str, Any] = {
        "run": run.id, "out": str(out),
        "metrics": str(write_table(metrics, out / "metrics", fmt)), "steps": metrics.num_rows,
        "metric_keys": metrics.num_columns - 1,
        "samples": str(write_table(samples, out / "samples", fmt)), "sample_rows": samples.num_rows,
        "contact_sheet": str(_contact_sheet(store, run, out / "contact_sheet.png") or "") or None,
    }
    summary = summarize(store, run)
    (out / "run.json").write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    report["summary"] = str(out / "run.json")
    return report


def _contact_sheet(store: Store, run: RunInfo, target: Path) -> Path | None:
    """The run's contact sheet copied beside the tables, or built from its held-out samples when the run
    has not written one (still running, or stopped before its last evaluation)."""
    made = Path(run.run_dir) / "contact_sheet.png" if run.run_dir else None
    if made is not None and made.exists():
        shutil.copyfile(made, target)
        return target

    return write_contact_sheet(RunWriter(store, run.id), target)  # None with fewer than two evaluations
