"""Where Chromium runs: its own network namespace (no network at all) and a memory cap on its process tree.

Playwright starts the browser through a small shell wrapper (written here, passed as `executable_path`):
  - the wrapper joins a cgroup whose memory limit covers every Chromium process (v2 `memory.max`, or v1
    `memory.limit_in_bytes`); where no cgroup is writable, `prlimit --data` caps each process instead;
  - and a CPU *share* on the same tree where a cgroup allows one (v2 `cpu.weight`, v1 `cpu.shares`): the
    browser weighs as much as one busy thread of the host, so it takes every core the trainer leaves idle
    (while the trainer waits for rewards: all of them) and yields its share when the trainer computes. A
    hard cap (v2 `cpu.max`, v1 `cpu.cfs_quota_us`) stays only as a safety limit: the cores this browser may
    use (`default_cpus`: all of them with one browser; its slice with several, core/render/renderer.py),
    or `BRUSHWORK_RENDER_CPUS`. A thread waiting for a CPU (its share, or the cap's throttling) is not
    charged to the sketch (clock.py);
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
# cgroup v2 `cpu.weight` of the browser tree (v1 `cpu.shares` = weight × 1024 / 100): 100 is what one
# ordinary (nice 0) busy thread of the host weighs, so a browser pegging every core still leaves a
# trainer or the studio's GUI thread at least an equal turn, and takes everything they leave idle.
# A launcher running at a lower priority (the studio starts runs and jobs at nice 10) gets a browser of the
# weight its own threads have: a cgroup's weight ignores nice, so without this a background trainer's
# browser would weigh as much as the studio's GUI thread.
DEFAULT_CPU_WEIGHT = 100
NICE_STEP = 1.25  # the kernel's weight for nice n is 1024 / 1.25**n (sched_prio_to_weight, to within 1 %)
CORES_PER_BROWSER = 8


def default_cpus(browsers: int = 1) -> float:
    """The hard CPU cap of one browser tree, a safety limit only: its slice of the cores (all of them with
    one browser), or $BRUSHWORK_RENDER_CPUS. Sharing the cores with the host is the weight's job."""
    if os.environ.get("BRUSHWORK_RENDER_CPUS"):
        return float(os.environ["BRUSHWORK_RENDER_CPUS"])
    return max(1.0, (os.cpu_count() or 1) / max(1, browsers))


def browser_count(cores: int | None = None) -> int:
    """Browsers (each with its own jail and pages) a renderer runs: one per CORES_PER_BROWSER cores, at least
    one, or $BRUSHWORK_RENDER_BROWSERS. Every browser draws all its pages' WebGL in one GPU process and relays
    every page's CDP traffic through one browser process: past a few cores, those two are the bottleneck."""
    if os.environ.get("BRUSHWORK_RENDER_BROWSERS"):
        return max(1, int(os.environ["BRUSHWORK_RENDER_BROWSERS"]))
    return max(1, (cores or os.cpu_count() or 1) // CORES_PER_BROWSER)


def cpu_weight(nice: int | None = None) -> int:
    """The browser tree's cgroup v2 CPU weight (1–10000): $BRUSHWORK_RENDER_CPU_WEIGHT, else what one thread
    of this process weighs at its nice value (`nice`, default this process's): 100 at nice 0, 11 at 10."""
    niceness = os.nice(0) if nice is None else nice
    default = max(1, round(DEFAULT_CPU_WEIGHT / NICE_STEP ** niceness))
    try:
        return min(10_000, max(1, int(os.environ.get("BRUSHWORK_RENDER_CPU_WEIGHT", default))))
    except ValueError:
        return default


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


def _cpu_cgroup(name: str, memory_cgroup: tuple[Path, str] | None, cpus: float,
                weight: int) -> tuple[Path, str] | None:
    """A cgroup giving the browser tree a CPU share of `weight` and a hard cap of `cpus` CPUs: (dir, version),
    v2 `cpu.weight` + `cpu.max` in the memory cgroup when its parent delegates `cpu`, else a v1 `cpu`
    hierarchy (`cpu.shares` + `cpu.cfs_quota_us`); None where none is writable."""
    quota = str(int(cpus * CPU_PERIOD_US))
    if memory_cgroup is not None and memory_cgroup[1] == "v2":
        try:
            (memory_cgroup[0] / "cpu.weight").write_text(str(weight))
            (memory_cgroup[0] / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
            return memory_cgroup[0], "v2"
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
                (parent / name / "cpu.shares").write_text(str(max(2, weight * 1024 // 100)))
                (parent / name / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                (parent / name / "cpu.cfs_quota_us").write_text(quota)
                return parent / name, "v1"
            except OSError:
                try:
                    (parent / name).rmdir()
                except OSError:
                    pass
    return None


def describe_cpu_limit(version: str | None, weight: int, cpus: float) -> str:
    """The CPU limit of a browser tree in words: which one is in force, and how."""
    if version is None:
        return "none: no writable cpu cgroup here, the browser competes as ordinary processes"
    share = f"cpu.weight {weight}" if version == "v2" else f"cpu.shares {max(2, weight * 1024 // 100)}"
    return (f"share in force ({share}, cgroup {version}: the weight of one busy host thread, and every core "
            f"the host leaves idle); hard cap {cpus:g} of {os.cpu_count() or 1} cores kept as a safety limit")


def probe_cpu_limit() -> tuple[bool, str]:
    """(in force, words): the CPU limit a renderer's jail gets here, found by making and removing a cgroup."""
    name = f"brushwork-{os.getpid()}-probe"
    memory = _cgroup_dir(name)
    cpus = default_cpus(browser_count())
    cpu = _cpu_cgroup(name, memory, cpus, cpu_weight())
    for path in {memory[0] if memory else None, cpu[0] if cpu else None} - {None}:
        try:
            path.rmdir()
        except OSError:
            pass
    return cpu is not None, describe_cpu_limit(cpu[1] if cpu else None, cpu_weight(), cpus)


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

    def __init__(self, chromium: str, memory_mb: int | None = None, cpus: float | None = None):
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
        self.cpus = cpus or default_cpus()
        self.cpu_weight = cpu_weight()
        cpu = _cpu_cgroup(f"brushwork-{os.getpid()}-{Jail._count}", self.cgroup, self.cpus, self.cpu_weight)
        self.cpu_cgroup, self.cpu_version = cpu if cpu else (None, None)
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
                "memory_mb": self.memory_bytes // (1024 * 1024), "cpus": self.cpus if self.cpu_cgroup else None,
                "cpu_weight": self.cpu_weight if self.cpu_cgroup else None}

    @property
    def cpu_limit(self) -> str:
        """Which CPU limit is in force, in words (the renderer says it; doctor probes the same)."""
        return describe_cpu_limit(self.cpu_version, self.cpu_weight, self.cpus)

    def browser_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def memory_used(self) -> int | None:
        """Bytes the browser tree's cgroup is charged now (None without a cgroup)."""
        if not self.cgroup:
            return None
        path, version = self.cgroup
        text = _read(path / ("memory.current" if version == "v2" else "memory.usage_in_bytes")).strip()
        return int(text) if text.isdigit() else None

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

    def pids_of_type(self, kind: str, without: str | None = None) -> set[int]:
        """Browser processes started with --type=`kind` ('renderer', 'gpu-process', ...), less those with the
        flag `without`."""
        found = set()
        for pid in self.pids():
            try:
                # zygote-forked processes rewrite their command line as one string: search, don't split
                args = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") + b" "
            except OSError:
                continue
            if f" --type={kind} ".encode() in args and (without is None or f" {without} ".encode() not in args):
                found.add(pid)
        return found

    def page_renderers(self) -> set[int]:
        """Renderer processes that may run a page (Chromium's own WebUI renderers left out)."""
        return self.pids_of_type("renderer", without="--top-chrome-webui")

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
