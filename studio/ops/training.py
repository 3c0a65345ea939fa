"""Training operations for the GUI: start / stop / resume the runner process and read what it writes.

The runner is `brushwork train` in its own process (the studio never imports torch); it is the only
writer of its run's rows. It is started in its own session, so closing the studio can leave it
running; the pane asks. Reads go through core.train.tail in a worker thread; config files, the stop
file and the runner's start run in a thread too (`run_in_thread`): nothing here blocks the GUI thread.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from core.paths import RESOURCES
from core.store import Store
from core.store.home import run_configs_dir
from core.train import tail
from core.train.config import RunConfig, config_from_dict, load_config, save_config
from core.train.progress import RunProgress, run_progress, seconds_per_step  # noqa: F401 (names panes use)
from core.train.run_writer import SampleRow  # noqa: F401 (names panes use)
from core.train.tail import METRIC_CHUNK, MetricTail, RunInfo  # noqa: F401 (names panes use)
from studio.ops import run_in_thread
from studio.ops.launch import LaunchError, launch, log_path, log_tail

PRESETS_DIR = RESOURCES / "train"


class RunStartError(RuntimeError):
    """The runner could not be started; the message says why and what to do."""


class RolloutMissing(LookupError):
    """A rollout asked for is no longer in the database."""


def _list_presets() -> list[Path]:
    return sorted(PRESETS_DIR.glob("*.toml")) if PRESETS_DIR.is_dir() else []


async def list_presets() -> list[Path]:
    """Run config presets shipped in resources/train (tiny-cpu.toml, workstation-lora.toml…), listed in a thread."""
    return await run_in_thread(_list_presets)


def _load_run_config(path: Path | None) -> Any:
    return load_config(path) if path else RunConfig()


async def load_run_config(path: Path | None = None) -> Any:
    """The run config dataclass instance from a TOML preset (defaults when path is None), read in a thread."""
    return await run_in_thread(_load_run_config, path)


def form_config(values: dict) -> Any:
    """The run config a New run form's values make (raises ConfigError naming the field)."""
    return config_from_dict(values, "the form")


async def save_run_config(values: dict, name: str) -> Path:
    """Validate a form's values as a run config and write it as TOML in the data home (in a thread)."""
    return await run_in_thread(_save_run_config, values, name)


def _save_run_config(values: dict, name: str) -> Path:
    cfg = config_from_dict(values, "the form")
    folder = run_configs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_safe(name) or 'run'}-{time.strftime('%Y%m%d-%H%M%S')}.toml"
    save_config(cfg, path)
    return path


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-")[:40]


def runner_command(config: Path | None = None, *, resume: str | None = None) -> list[str]:
    """The command line of the runner process (same interpreter, so the same venv); resume = run dir."""
    cmd = [sys.executable, "-m", "core.cli", "train"]
    if resume:
        cmd += ["--resume", str(resume)]
    if config is not None:
        cmd.append(str(config))
    return cmd


def spawn_runner(config: Path | None = None, *, resume: str | None = None) -> subprocess.Popen:
    """Start the runner detached (own session: it outlives the studio if the user says so), at a lower
    CPU priority than the studio (studio.ops.launch), its output in the data home's logs/."""
    try:
        return launch(runner_command(config, resume=resume), log_path("train"))
    except LaunchError as e:
        raise RunStartError(f"Could not start the training process: {e}") from e


async def start_run(store: Store, config: Path, timeout: float = 180.0) -> tail.RunInfo:
    """Start a run from a config file; returns once its row appears (or raises with the runner's words)."""
    before = {r.id for r in await run_in_thread(tail.list_runs, store)}
    proc = await run_in_thread(spawn_runner, config)
    return await _await_row(store, proc, lambda runs: next((r for r in runs if r.id not in before), None), timeout)


async def resume_run(store: Store, run: tail.RunInfo, timeout: float = 180.0) -> tail.RunInfo:
    """Resume a stopped or died run from its last checkpoint; returns once it is running again."""
    if not run.run_dir:
        raise RunStartError(f"{run.name} has no run folder recorded, so it cannot be resumed.")
    run_id = run.id
    proc = await run_in_thread(spawn_runner, resume=run.run_dir)
    started = time.time()
    return await _await_row(
        store, proc, lambda runs: next((r for r in runs if r.id == run_id and r.status == "running"
                                        and (r.updated_at or 0) >= started - 1), None), timeout)


async def _await_row(store: Store, proc: subprocess.Popen, pick, timeout: float) -> tail.RunInfo:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = pick(await run_in_thread(tail.list_runs, store))
        if run is not None:
            return run
        if proc.poll() is not None:
            why = await run_in_thread(log_tail, proc.log)
            raise RunStartError(f"The training process ended at once (exit {proc.returncode}): {why}")
        await asyncio.sleep(0.2)
    raise RunStartError("The training process did not register its run in time; see the log in the data home's logs/.")


async def stop_run(run: tail.RunInfo) -> bool:
    """Ask a running run to stop after its current step (stop file + SIGTERM, in a thread); False if it
    is not alive."""
    return await run_in_thread(_stop_run, run)


def _stop_run(run: tail.RunInfo) -> bool:
    if run.run_dir:
        try:
            Path(run.run_dir, "STOP").write_text("stop requested from the studio\n")
        except OSError:
            pass
    if run.pid and tail.pid_alive(run.pid):
        try:
            os.kill(run.pid, signal.SIGTERM)
        except ProcessLookupError:
            return False
        return True
    return False


async def list_runs(store: Store) -> list[tail.RunInfo]:
    return await run_in_thread(tail.list_runs, store)


async def poll_metrics(metric_tail: tail.MetricTail) -> tail.MetricBatch:
    return await run_in_thread(metric_tail.poll)


async def run_events(store: Store, run_id: str) -> list[tail.RunEvent]:
    return await run_in_thread(tail.run_events, store, run_id)


async def load_samples(store: Store, run_id: str, **filters: Any) -> list[SampleRow]:
    return await run_in_thread(tail.samples, store, run_id, **filters)


async def load_progression(store: Store, run_id: str) -> tuple:
    return await run_in_thread(tail.progression, store, run_id)


async def read_png(store: Store, digest: str | None) -> bytes | None:
    """The PNG bytes of a render by content hash, read off the GUI thread (None if missing)."""
    def read() -> bytes | None:
        path = store.stored_png(digest)
        return path.read_bytes() if path else None
    return await run_in_thread(read)


# Training rollouts are rendered with seed 0 (core/train/rewards.py); a sample stored without a seed
# opens in the editor with that seed, so it paints as it was scored.
TRAIN_RENDER_SEED = 0


async def sample_to_sketch(store: Store, sample: SampleRow, run: str) -> int:
    """The library sketch of a rollout: made on first open (source model, with its run, step, prompt and
    seed), the same one afterwards. Until then the rollout lives only in its run."""
    title = f"{run} · step {sample.step}" + (f" · {sample.split}" if sample.split and sample.split != "train" else "")
    sketch_id = await run_in_thread(store.sketch_for_sample, sample.id, title=title, default_seed=TRAIN_RENDER_SEED)
    if sketch_id is None:
        raise RolloutMissing(f"Rollout {sample.id} is no longer in the database (its run was rewound or deleted).")
    return sketch_id
