"""Where Chromium runs: its own network namespace (no network at all) and a memory cap on its process tree.

Playwright starts the browser through a small shell wrapper (written here, passed as `executable_path`):
  - the wrapper joins a cgroup whose memory limit covers every Chromium process (v2 `memory.max`, or v1
    `memory.limit_in_bytes`); where no cgroup is writable, `prlimit --data` caps each process instead;
  - and a CPU cap on the same tree where a cgroup allows one (v2 `cpu.max`, v1 `cpu.cfs_quota_us`): all
    cores but half of one (`default_cpus`). Throttled time shows as run-queue wait, so clock.py does not
    charge it to the sketch;
  - it records its pid (the browser's: every step `exec`s) so the whole tree can be killed at once;
  - it `exec`s `unshare -n` (as root) or `unshare -rn` (a user namespace, as a normal user where allowed):
    the browser then has only a loopback interface that is down, and talks to Playwright over a pipe, so
    no sketch can reach any socket, whatever API it finds. Pages are served by route fulfilment.
`Jail.sandbox` says what was achieved, e.g. {"netns": True, "netns_mode": "root", "caps": "cgroup"}.
"""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import psutil

from core.render.browser import descendant_pids

CGROUP_ROOT = Path("/sys/fs/cgroup")
DEFAULT_MEMORY_MB = int(os.environ.get("BRUSHWORK_RENDER_MEMORY_MB", "3072"))
CPU_PERIOD_US = 100_000


def default_cpus() -> float:
    """CPUs the browser tree may use at most: all but half a core (at least one), so a sketch that pegs
    every browser process (a shader loop in the GPU process, spinning pages) still leaves the host some."""
    if os.environ.get("BRUSHWORK_RENDER_CPUS"):
        return float(os.environ["BRUSHWORK_RENDER_CPUS"])
    return max(1.0, (os.cpu_count() or 1) - 0.5)


@lru_cache(maxsize=1)
def netns_mode() -> str | None:
    """'root' (unshare -n), 'user' (unshare -rn) or None when no network namespace can be made here."""
    if os.environ.get("BRUSHWORK_NO_NETNS"):
        return None
    for mode, args in (("root", ["unshare", "-n", "true"]), ("user", ["unshare", "-rn", "true"])):
        try:
            if subprocess.run(args, capture_output=True, timeout=10).returncode == 0:
                return mode
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def _self_cgroups() -> list[tuple[str, str]]:
    """(controllers, path) of each line of /proc/self/cgroup; empty where it cannot be read."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    return [tuple(line.split(":", 2)[1:]) for line in lines if line.count(":") >= 2]


def _own_cgroups() -> list[tuple[Path, str]]:
    """Writable parents for our cgroups: nested under this process's own (its limits still apply)."""
    found = []
    for controllers, path in _self_cgroups():
        if controllers == "" and "memory" in _read(CGROUP_ROOT / path.lstrip("/") / "cgroup.controllers").split():
            found.append((CGROUP_ROOT / path.lstrip("/"), "v2"))
        elif "memory" in controllers.split(","):
            found.append((CGROUP_ROOT / "memory" / path.lstrip("/"), "v1"))
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _cgroup_dir(name: str) -> tuple[Path, str] | None:
    """A fresh cgroup for one browser: (dir, 'v2'|'v1'), or None when no hierarchy is writable."""
    for parent, version in _own_cgroups():
        _remove_stale_cgroups(parent)
        try:
            (parent / name).mkdir(exist_ok=True)
            return parent / name, version
        except OSError:
            continue
    return None


def _cpu_cgroup(name: str, memory_cgroup: tuple[Path, str] | None, cpus: float) -> Path | None:
    """A cgroup capping the browser tree at `cpus` CPUs (v2 `cpu.max` in the memory cgroup when its
    parent delegates `cpu`, else a v1 `cpu` hierarchy); None where none is writable."""
    quota = str(int(cpus * CPU_PERIOD_US))
    if memory_cgroup is not None and memory_cgroup[1] == "v2":
        try:
            (memory_cgroup[0] / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
            return memory_cgroup[0]
        except OSError:
            return None
    for controllers, path in _self_cgroups():
        if "cpu" not in controllers.split(","):
            continue
        for mount in (CGROUP_ROOT / controllers, CGROUP_ROOT / "cpu", CGROUP_ROOT / "cpu,cpuacct"):
            parent = mount / path.lstrip("/")
            if not (parent / "cpu.cfs_quota_us").exists():
                continue
            _remove_stale_cgroups(parent)
            try:
                (parent / name).mkdir(exist_ok=True)
                (parent / name / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                (parent / name / "cpu.cfs_quota_us").write_text(quota)
                return parent / name
            except OSError:
                try:
                    (parent / name).rmdir()
                except OSError:
                    pass
    return None


def _remove_stale_cgroups(parent: Path) -> None:
    """Drop empty cgroups left by Brushwork processes that died without closing their renderer."""
    for path in parent.glob("brushwork-*"):
        try:
            pid = int(path.name.split("-")[1])
            os.kill(pid, 0)
        except (ValueError, IndexError, ProcessLookupError):
            try:
                path.rmdir()
            except OSError:
                pass
        except PermissionError:
            pass


class Jail:
    """The launch wrapper, cgroup and pid file of one renderer's browser."""

    _count = 0

    def __init__(self, chromium: str, memory_mb: int | None = None):
        Jail._count += 1
        self.memory_bytes = (memory_mb or DEFAULT_MEMORY_MB) * 1024 * 1024
        self.dir = Path(tempfile.mkdtemp(prefix="brushwork-jail-"))
        self.pidfile = self.dir / "browser.pid"
        self.netns = netns_mode()
        self.cgroup = _cgroup_dir(f"brushwork-{os.getpid()}-{Jail._count}")
        self.caps = "cgroup" if self.cgroup else "prlimit"
        if self.cgroup:
            path, version = self.cgroup
            limit = "memory.max" if version == "v2" else "memory.limit_in_bytes"
            (path / limit).write_text(str(self.memory_bytes))
        self.cpus = default_cpus()
        self.cpu_cgroup = _cpu_cgroup(f"brushwork-{os.getpid()}-{Jail._count}", self.cgroup, self.cpus)
        self.wrapper = self.dir / "chromium"
        self.wrapper.write_text(self._script(chromium))
        self.wrapper.chmod(0o755)

    def _script(self, chromium: str) -> str:
        lines = ["#!/bin/sh", "# Brushwork's Chromium launcher (core/render/jail.py)",
                 f"echo $$ > {shlex.quote(str(self.pidfile))}"]
        if self.cgroup:
            lines.append(f"echo $$ > {shlex.quote(str(self.cgroup[0] / 'cgroup.procs'))} || exit 71")
        if self.cpu_cgroup and (not self.cgroup or self.cpu_cgroup != self.cgroup[0]):
            lines.append(f"echo $$ > {shlex.quote(str(self.cpu_cgroup / 'cgroup.procs'))} || true")
        cmd = ""
        if not self.cgroup:
            cmd += f"prlimit --data={self.memory_bytes} -- "
        if self.netns == "root":
            cmd += "unshare -n -- "
        elif self.netns == "user":
            cmd += "unshare -rn -- "
        lines.append(f'exec {cmd}{shlex.quote(chromium)} "$@"')
        return "\n".join(lines) + "\n"

    @property
    def sandbox(self) -> dict:
        return {"netns": self.netns is not None, "netns_mode": self.netns, "caps": self.caps,
                "memory_mb": self.memory_bytes // (1024 * 1024), "cpus": self.cpus if self.cpu_cgroup else None}

    def browser_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def oom_kills(self) -> int:
        """How many processes the memory cap has killed so far (0 without a cgroup)."""
        if not self.cgroup:
            return 0
        path, version = self.cgroup
        name = "memory.events" if version == "v2" else "memory.oom_control"
        try:
            for line in (path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def pids(self) -> list[int]:
        """Every live process of the browser tree (cgroup members, or the pid file's descendants)."""
        found: set[int] = set()
        if self.cgroup:
            try:
                found |= {int(p) for p in (self.cgroup[0] / "cgroup.procs").read_text().split()}
            except (OSError, ValueError):
                pass
        root = self.browser_pid()
        if root is not None and Path(f"/proc/{root}").exists():
            found.add(root)
            found |= set(descendant_pids(root))
        return sorted(p for p in found if _alive(p))

    def pids_of_type(self, kind: str) -> set[int]:
        """Browser processes started with --type=`kind` ('renderer', 'gpu-process', ...)."""
        found = set()
        for pid in self.pids():
            try:
                # zygote-forked processes rewrite their command line as one string: search, don't split
                args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") + b" "
            except OSError:
                continue
            if f" --type={kind} ".encode() in args:
                found.add(pid)
        return found

    def throttled_s(self) -> float | None:
        """Seconds the CPU cap has held the browser tree back so far, summed over CPUs (cgroup v1
        `throttled_time`, v2 `throttled_usec`); None without a cap or where the kernel does not say."""
        if self.cpu_cgroup is None:
            return None
        try:
            stat = dict(line.split() for line in (self.cpu_cgroup / "cpu.stat").read_text().splitlines())
        except (OSError, ValueError):
            return None
        if "throttled_usec" in stat:
            return int(stat["throttled_usec"]) / 1e6
        if "throttled_time" in stat:
            return int(stat["throttled_time"]) / 1e9
        return None

    def sketch_pids(self, renderer: int | None) -> list[int]:
        """The processes whose CPU waits a sketch is not charged for: its renderer and the GPU process."""
        if renderer is None:
            return []
        return [renderer, *sorted(self.pids_of_type("gpu-process"))]

    def processes(self) -> list[psutil.Process]:
        """The browser tree's live processes as psutil handles (a pid and its start time: a handle taken
        now still names the same process after its parent is gone, cgroup or not)."""
        found = []
        for pid in self.pids():
            try:
                found.append(psutil.Process(pid))
            except psutil.Error:
                continue
        return found

    def kill_tree(self) -> None:
        """SIGKILL every browser process at once (a hung GPU process, a stuck renderer)."""
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def reap(self, grace: float = 3.0, known: list[psutil.Process] | None = None) -> None:
        """Return once every browser process is gone: those alive now and `known` ones (taken before the
        browser was closed, so orphans of a browser that exited first are waited for too); what is left
        after `grace` seconds is killed (and waited for, up to 2 s more)."""
        procs = {p.pid: p for p in [*(known or []), *self.processes()]}
        alive = _wait_gone(list(procs.values()), grace)
        alive += [p for p in self.processes() if p.pid not in procs]
        if not alive:
            return
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        _wait_gone(alive, 2.0)

    def remove(self) -> None:
        """Reap the browser, then delete the cgroup and the wrapper."""
        self.reap()
        for path in {self.cgroup[0] if self.cgroup else None, self.cpu_cgroup} - {None}:
            try:
                path.rmdir()
            except OSError:
                pass
        for f in (self.wrapper, self.pidfile):
            f.unlink(missing_ok=True)
        try:
            self.dir.rmdir()
        except OSError:
            pass


def _running(proc: psutil.Process) -> bool:
    """Alive and not a zombie (a zombie holds no memory and runs nothing; its parent reaps it)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to `timeout` s for every process to end; those still running."""
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if _running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [p for p in alive if _running(p)]
    return alive


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"
