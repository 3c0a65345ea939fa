"""The run directory: checked before the first step (writable, enough disk) and locked for one writer.

Layout: config.toml, checkpoints/checkpoint-N (adapter, optimizer and trainer state, HF format), the inputs
fixed at the start (pinned.json, rubric.toml, system_prompt.txt, reward_model/, prompts/), contact_sheet.png, STOP (touch it to stop after the current step), .lock (held by the running process;
the kernel drops it when the process dies, even on kill -9, so a resume never finds a stale lock).
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from pathlib import Path

from core.store.home import runs_dir


class RunError(Exception):
    """The run cannot start or continue; the message says what to do."""


def new_run_dir(name: str) -> Path:
    """<data home>/runs/<name>-<UTC time>."""
    return runs_dir() / f"{name}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}"


def check_writable(run_dir: Path, min_free_mb: int) -> None:
    """Create the folder, write a probe file, and check free space; RunError with the fix otherwise."""
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        probe = run_dir / ".write-probe"
        with open(probe, "wb") as f:
            f.write(b"\0" * 4096)
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
    except OSError as e:
        if e.errno == errno.ENOSPC:
            raise RunError(f"The disk holding {run_dir} is full. Free space or pass --run-dir on another disk.") from e
        raise RunError(f"Cannot write the run directory {run_dir}: {e.strerror or e}. "
                       "Pass --run-dir to a folder you can write, or set BRUSHWORK_HOME.") from e
    free_mb = shutil.disk_usage(run_dir).free / 2**20
    if free_mb < min_free_mb:
        raise RunError(f"Only {free_mb:.0f} MB free on the disk holding {run_dir}; this run wants {min_free_mb} MB "
                       "(run.min_free_mb) for checkpoints. Free space or pass --run-dir on another disk.")


class RunLock:
    """An exclusive flock on run_dir/.lock; a second process gets RunError naming the holder."""

    def __init__(self, run_dir: Path):
        self.path = run_dir / ".lock"
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise RunError(f"{self.path.parent} is in use by a running training process (pid {holder}). "
                           "Stop it first (touch STOP in that folder) or choose another --run-dir.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def has_optimizer_state(checkpoint: Path) -> bool:
    """Whether a checkpoint folder holds the optimizer's state (torch, safetensors, DeepSpeed or FSDP layout)."""
    return (any((checkpoint / n).exists() for n in ("optimizer.pt", "optimizer.bin", "optimizer_0"))
            or any(checkpoint.glob("global_step*")))


def last_checkpoint(run_dir: Path, *, resumable: bool = False) -> tuple[Path, int] | None:
    """The newest complete checkpoint (trainer_state.json, written last) and its step; with `resumable`, the
    newest that also has optimizer state (a weights-only save, fine for generate and export, would restart
    AdamW from zero: it is no resume point)."""
    found = []
    for p in (run_dir / "checkpoints").glob("checkpoint-*"):
        step = p.name.removeprefix("checkpoint-")
        if step.isdigit() and (p / "trainer_state.json").exists() and (not resumable or has_optimizer_state(p)):
            found.append((int(step), p))
    if not found:
        return None
    step, path = max(found)
    return path, step
