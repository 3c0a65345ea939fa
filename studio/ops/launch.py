"""Processes the studio starts in the background (the trainer, SFT, the model build, the demo pool).

Each runs in its own session, so it can outlive the window when the user says so, with its output in
`<data home>/logs/`, and at a lower CPU priority than the studio: a run training beside the studio
must not make typing lag. Two mechanisms, because one is not enough here:
- nice: set on the process at once; its threads and children inherit it.
- the autogroup nice (Linux with `sched_autogroup`): there the kernel shares the CPU between
  *sessions* first, so the nice of a process in its own session counts only against its own
  threads. The trainer's session, and that of each Chromium it starts (Playwright starts the browser
  in a session of its own), get their group's nice lowered too; a keeper thread does it for the
  browsers started later, for as long as the process lives.
"""
from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from pathlib import Path

import psutil

from core.paths import REPO_ROOT
from core.store.home import logs_dir

# How much lower: nice 10 weighs ~1/9 of the studio's share while both want the CPU, and all of it
# while the studio is idle. BRUSHWORK_BACKGROUND_NICE overrides it (0 = as the studio; a shared test
# machine, where other people's work would starve a nice-10 job).
BACKGROUND_NICE = 10
KEEP_EVERY_S = 2.0  # how often the keeper looks for new processes in a background tree


class LaunchError(RuntimeError):
    """A background process could not be started; the message says why."""


def log_path(prefix: str) -> Path:
    """A fresh log file for one background process: `<data home>/logs/<prefix>-<time>-<pid>.log`."""
    logs = logs_dir()
    logs.mkdir(parents=True, exist_ok=True)
    return logs / f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


def launch(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `cmd` in its own session at background priority, output appended to `log`."""
    with open(log, "ab") as out:
        try:
            proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        except OSError as e:
            raise LaunchError(f"Could not start {Path(cmd[0]).name}: {e.strerror or e}.") from e
    proc.log = log  # where its output goes: the pane quotes its last line when it fails
    lower_priority(proc.pid)
    threading.Thread(target=_keep_low, args=(proc,), daemon=True, name=f"keep-low-{proc.pid}").start()
    return proc


def log_tail(log: Path, lines: int = 1) -> str:
    """The last meaningful line(s) of a background process's log: its error, not a progress bar or a warning."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "no output"
    skip = ("warnings.warn", "Warning:", "%|")
    kept = [ln.strip() for ln in re.split(r"[\r\n]+", text) if ln.strip() and not any(s in ln for s in skip)]
    return " ".join(kept[-lines:])[:400] if kept else "no output"


def background_nice() -> int:
    """The nice of background processes (read each time: tests and benches set the variable)."""
    try:
        return max(0, min(19, int(os.environ.get("BRUSHWORK_BACKGROUND_NICE", BACKGROUND_NICE))))
    except ValueError:
        return BACKGROUND_NICE


def lower_priority(pid: int, nice: int | None = None) -> int:
    """Lower the CPU priority of `pid` and everything below it (nice, and the autogroup of each
    session leader among them); returns how many processes were lowered. Never raises."""
    nice = background_nice() if nice is None else nice
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    lowered = 0
    for proc in tree:
        try:
            if proc.nice() < nice:
                proc.nice(nice)  # the process's main thread; threads made later inherit it
                lowered += 1
            if os.getsid(proc.pid) == proc.pid:
                _lower_autogroup(proc.pid, nice)
        except (psutil.Error, OSError):
            continue  # gone meanwhile, or not ours
    return lowered


def _lower_autogroup(pid: int, nice: int) -> None:
    path = Path(f"/proc/{pid}/autogroup")
    try:
        current = int(path.read_text().split("nice")[-1])
        if current < nice:
            path.write_text(str(nice))
    except (OSError, ValueError):
        pass  # no autogroup on this kernel: the plain nice is what counts


def _keep_low(proc: subprocess.Popen) -> None:
    while proc.poll() is None:
        lower_priority(proc.pid)
        time.sleep(KEEP_EVERY_S)


def autogroup_nice(pid: int) -> int | None:
    """The nice of `pid`'s autogroup (None without autogroups): what tests and benches check."""
    try:
        return int(Path(f"/proc/{pid}/autogroup").read_text().split("nice")[-1])
    except (OSError, ValueError):
        return None
