"""A sketch's timeout clock that a busy machine does not run down, inside one hard wall bound.

A render's clock starts when it has a core (a sketch slot). The sketch is not charged for waiting for a
second, cold page (`SketchClock.machine`), nor, while it runs, for the longest time any thread of its
renderer process or of the GPU process (where SwiftShader runs WebGL) sat runnable in the kernel's run
queue waiting for a CPU (`/proc/<pid>/task/<tid>/schedstat`, second field). On an idle machine that is
plain wall time — a sketch that sleeps or never resolves is charged for waiting, one that spins for its
CPU — while on a machine where other jobs hold the cores the waiting is the machine's, not the sketch's.
Under the jail's CPU cap the same holds for the time the cap held the tree back: on kernels with
task-based CFS throttling (6.18+) a throttled thread is off the run queue, so schedstat does not see that
wait; the cgroup's throttled time does (`SketchClock.capped`). Two floors keep the charge honest: it is
never less than the CPU time the page's main thread (where the sketch's JavaScript runs) has used, read
from schedstat while the sketch runs and from Blink's own count (CDP `Performance`) at the end — other
threads' waits and the cgroup's throttled sum (over all CPUs) can add up to more than the sketch's wall.

One hard bound holds for everything after the slot is taken: the sketch's runs, a cold page, capture and
checks all end within WALL_FACTOR × timeout + GRACE_S of wall time (`hard_left`), the sketch's own
stretches within WALL_FACTOR × timeout (`remaining`). Without schedstat (or without the page's process
id) the clock is plain wall time.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

WALL_FACTOR = 4.0
# Capture, checks and the answer may take this long past the sketch's own wall bound.
GRACE_S = 5.0
# A page load on a machine crowded past 4× its cores takes 10–20 s: waiting for a first page (before a
# render takes its slot) is not refused for the machine's slowness before this, whatever the timeout.
MIN_PAGE_WAIT_S = 30.0


def _schedstat(pid: int, tid: int | None, field: int) -> float | None:
    try:
        return int(Path(f"/proc/{pid}/task/{tid or pid}/schedstat").read_text().split()[field]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def run_queue_wait(pid: int, tid: int | None = None) -> float | None:
    """Seconds thread `tid` (default: the main thread) of `pid` has waited for a CPU; None if unknown."""
    return _schedstat(pid, tid, 1)


def cpu_time(pid: int, tid: int | None = None) -> float | None:
    """Seconds thread `tid` (default: the main thread) of `pid` has run on a CPU; None if unknown."""
    return _schedstat(pid, tid, 0)


def thread_waits(pids: list[int]) -> dict[tuple[int, int], float]:
    """{(pid, tid): run-queue wait in s} for every thread of `pids` (SwiftShader draws on worker threads)."""
    waits = {}
    for pid in pids:
        try:
            tids = [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]
        except OSError:
            continue
        for tid in tids:
            wait = run_queue_wait(pid, tid)
            if wait is not None:
                waits[(pid, tid)] = wait
    return waits


class SketchClock:
    """Time charged to one render: its wall time minus the machine's share, floored by the main thread's
    CPU time, within one hard wall bound.

    The machine's share is the time spent waiting for a cold page (`machine()`), plus the longest
    run-queue wait among the sketch's processes' threads once they are known (`watch()`, again for each
    page the render uses: what was measured on the earlier page is kept)."""

    def __init__(self, timeout: float, pids: list[int] | None = None):
        self.timeout = timeout
        self.start = time.perf_counter()
        self.excluded = 0.0  # wall seconds of the machine's work (a cold page)
        self._machine_t0: float | None = None
        self._waited_before = 0.0   # machine's share measured on pages the render left
        self._cpu_before = 0.0      # main-thread CPU measured on pages the render left
        self._cpu_floor = 0.0       # main-thread CPU reported by the browser itself (add_main_thread)
        self.pids: list[int] = []
        self.watch(pids or [])

    def watch(self, pids: list[int], throttled: Callable[[], float | None] | None = None) -> None:
        """From now on, do not charge the run-queue waits of these processes (a page's renderer first,
        then the GPU process), nor the time a CPU cap held them back (`throttled`: the cap's cumulative
        throttled seconds, summed over CPUs). Called again for a second page, the first's count stays."""
        if self.pids:
            self._waited_before += self._page_waited()
            self._cpu_before += self._page_cpu()
        self.pids = [p for p in pids if run_queue_wait(p) is not None]
        self._waits0 = thread_waits(self.pids)
        self._throttled = throttled
        self._throttled0 = throttled() if throttled else None
        self._main_cpu0 = cpu_time(self.pids[0]) if self.pids else None
        self._watched_at = time.perf_counter()

    def add_main_thread(self, seconds: float | None) -> None:
        """CPU seconds a page's main thread ran for this render, by the browser's own count."""
        if seconds is not None and seconds > 0:
            self._cpu_floor += seconds

    @contextmanager
    def machine(self) -> Iterator[None]:
        """A stretch of wall time that is the machine's doing, not the sketch's (inside the same bound)."""
        self._machine_t0 = time.perf_counter()
        try:
            yield
        finally:
            self.excluded += time.perf_counter() - self._machine_t0
            self._machine_t0 = None

    def machine_left(self) -> float:
        """Wall seconds left for the machine's work (a cold page) before the sketch's bound."""
        return self.start + self.timeout * WALL_FACTOR - time.perf_counter()

    def hard_left(self) -> float:
        """Wall seconds left before the render must have answered, whatever happens."""
        return self.start + self.timeout * WALL_FACTOR + GRACE_S - time.perf_counter()

    def _page_waited(self) -> float:
        longest = 0.0
        for key, now in thread_waits(self.pids).items():
            longest = max(longest, now - self._waits0.get(key, 0.0))
        return max(longest, self.capped())

    def _page_cpu(self) -> float:
        if self._main_cpu0 is None:
            return 0.0
        now = cpu_time(self.pids[0])
        return 0.0 if now is None else max(0.0, now - self._main_cpu0)

    def waited(self) -> float:
        """Seconds the sketch's work sat waiting for a CPU since the first watch().

        Threads wait side by side, so a page's share is the longest single wait, never their sum."""
        return self._waited_before + self._page_waited()

    def main_cpu(self) -> float:
        """CPU seconds the watched pages' main threads ran, by schedstat (the browser's count when larger)."""
        return max(self._cpu_before + self._page_cpu(), self._cpu_floor)

    def capped(self) -> float:
        """Wall seconds since watch() that the CPU cap held the sketch's main thread back.

        The cgroup sums throttled time over CPUs (2 CPUs throttled for 0.3 s read 0.6 s), and while the
        tree is throttled nothing in it runs, so the cap's share is at most the throttled sum and at most
        the wall time the main thread did not run. Without throttling it is 0: a sketch that sleeps is
        still charged for its sleep."""
        if self._throttled is None or self._throttled0 is None or self._main_cpu0 is None:
            return 0.0
        now = self._throttled()
        main_cpu = cpu_time(self.pids[0])
        if now is None or main_cpu is None or now <= self._throttled0:
            return 0.0
        not_running = time.perf_counter() - self._watched_at - (main_cpu - self._main_cpu0)
        return max(0.0, min(now - self._throttled0, not_running))

    def wall(self) -> float:
        """Wall seconds since the clock started, everything included."""
        return time.perf_counter() - self.start

    def sketch_wall(self) -> float:
        """Wall seconds of the sketch's own stretch (the machine's waits taken out)."""
        current = 0.0 if self._machine_t0 is None else time.perf_counter() - self._machine_t0
        return self.wall() - self.excluded - current

    def charged(self) -> float:
        """Seconds charged to the sketch: never less than its main thread's CPU time."""
        return max(0.0, self.sketch_wall() - self.waited(), self.main_cpu())

    def remaining(self) -> float:
        """Wall seconds that must pass at the very least before the clock can run out (≤ 0: it has)."""
        return min(self.timeout - self.charged(), self.machine_left())
