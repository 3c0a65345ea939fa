"""Editor latency: keystroke → new preview painted, next to the bare render time of the same sketch.

With a warm Renderer (cache off) and the real EditorPane offscreen, for the simplest and the heaviest
starter: type one character that changes a colour, and time until the new image is painted; in the same
run, time `renderer.render` of equally edited code alone. A 1 ms QTimer records the longest gap in the
GUI event loop while all this happens. Targets: p50 latency ≤ debounce + 1.15 × bare render; stall < 50 ms.
`max_gui_cpu_without_break_ms` is the most CPU the GUI thread spent between two ticks: the stall our own
code causes, which a machine busy with other work cannot inflate (the wall-clock stall it can).

Then the same again with a real training process beside it ('training beside it': `brushwork sft` on the
tiny model, started as the studio starts its jobs, at background priority; --beside both adds a phase
with the trainer at the studio's own priority, to show what the priority buys).

    brushwork bench editor [--json] [--runs N] [--sketch FILE ...] [--beside none|low|both]

The last line of --json output: {"sketches": {name: {latency_p50_ms, latency_p95_ms, bare_render_ms,
debounce_ms}}, "max_stall_ms": ..., "beside": {the same keys, "trainer": {...}}}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from beside import PHASES, add_beside_argument  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
STARTERS = REPO / "resources" / "starters"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def pick_starters() -> list[Path]:
    """The simplest and the heaviest starter: named in starters/README.md, else by file name."""
    files = sorted(STARTERS.glob("*.js"))
    readme = STARTERS / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8").lower()
        named = {}
        for label in ("simplest", "heaviest"):
            m = re.search(label + r"[^\n]*?([\w-]+\.js)", text)
            if m and (STARTERS / m.group(1)).exists():
                named[label] = STARTERS / m.group(1)
        if len(named) == 2:
            return [named["simplest"], named["heaviest"]]
    heavy = [f for f in files if "heavy" in f.name] or files[-1:]
    return [files[0], heavy[0]] if files else []


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a small sample."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _runqueue_reader():  # noqa: ANN202 (a callable or None)
    """A reader of this thread's time spent runnable but waiting for a CPU (Linux schedstat, seconds)."""
    try:
        fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)  # this (the GUI) thread's own
    except OSError:
        return None
    return lambda: int(os.pread(fd, 100, 0).split()[1]) / 1e9


class StallMeter:
    """A 1 ms precise QTimer; the longest gap between its ticks is the worst GUI stall.

    On a machine busy with other work a gap also holds time the GUI thread was ready but waited for a
    CPU; `max_own` is the longest gap less that wait (Linux schedstat): the stall an idle machine would
    show (our work, the GIL held by our other threads, I/O), which other people's load cannot inflate."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._runq = _runqueue_reader()
        self._last_runq = 0.0
        self.max_own = 0.0
        self.max_gap = 0.0
        self.max_at = 0.0
        self.max_gap_cpu = 0.0  # GUI-thread CPU time inside the longest gap: ≈ gap = our own work
        self.max_cpu = 0.0      # the most GUI-thread CPU inside any gap: our longest work without a break
        self._last: float | None = None
        self._last_cpu = 0.0
        self.gaps: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        runq = self._runq() if self._runq else 0.0
        if self._last is not None:
            self.gaps.append(now - self._last)
            self.max_cpu = max(self.max_cpu, cpu - self._last_cpu)
            self.max_own = max(self.max_own, now - self._last - (runq - self._last_runq))
        self._last_runq = runq
        if self._last is not None and now - self._last > self.max_gap:
            self.max_gap, self.max_gap_cpu = now - self._last, cpu - self._last_cpu
            self.max_at = now  # when the longest gap ended (perf_counter)
        self._last, self._last_cpu = now, cpu

    def start(self) -> None:
        self._last = None
        self.timer.start()

    def reset(self) -> None:
        """Forget what was measured (a new phase)."""
        self.max_gap = self.max_at = self.max_gap_cpu = self.max_cpu = self.max_own = 0.0
        self.gaps = []

    def figures(self) -> dict:
        """The stall figures of what was measured since the last reset."""
        return {"max_stall_ms": round(self.max_gap * 1000, 1),
                "max_stall_gui_cpu_ms": round(self.max_gap_cpu * 1000, 1),
                "max_gui_cpu_without_break_ms": round(self.max_cpu * 1000, 1),
                "max_stall_own_ms": round(self.max_own * 1000, 1) if self._runq else None,
                "stall_p99_ms": round(percentile(self.gaps, 99) * 1000, 1) if self.gaps else None,
                "load_average": round(os.getloadavg()[0], 1)}

    def stop(self) -> None:
        self.timer.stop()
        self._last = None


def edit_colour(code: str, i: int) -> tuple[int, str]:
    """(offset, character) of a one-key edit to the first hex colour, different for each i."""
    m = HEX.search(code)
    if m is None:
        raise SystemExit("the sketch has no #rrggbb colour to edit")
    pos = m.end() - 1
    digits = [d for d in "0123456789abcdef" if d != code[pos].lower()]
    return pos, digits[i % len(digits)]


async def measure(path: Path, runs: int, pane, renderer, meter: StallMeter, timeout: float) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    code = path.read_text(encoding="utf-8")
    seed, size = 1, 512
    pane.toolbar.seed.setValue(seed)
    pane.toolbar.size.setValue(size)
    pane.live.timeout_s = timeout
    pane.code.setPlainText(code)
    pane.live.render_now()
    await _wait(lambda: pane.last_outcome is not None and pane.last_outcome.request.code == pane.text, timeout * 2)
    latencies, bare = [], []
    painted: list[tuple[int, float]] = []
    pane.preview.painted.connect(lambda serial: painted.append((serial, time.perf_counter())))
    failures: list[str] = []
    i = 0
    while len(latencies) < runs:
        if len(failures) > runs:
            raise SystemExit(f"{path.name}: too many failed renders: {failures[-3:]}")
        i += 1
        pos, ch = edit_colour(pane.text, i)
        # Bare render of the same kind of edit (different code, so nothing is reused), pool warm.
        variant = pane.text[:pos] + ch + pane.text[pos + 1:]
        variant = variant.replace("\n", "\n// bare\n", 1)
        await renderer._pool.wait_ready(renderer.pool_size, timeout=30)  # noqa: SLF001 (fair start)
        meter.start()
        t = time.perf_counter()
        result = await renderer.render(variant, seed=seed, size=size, timeout=timeout)
        bare_ms = (time.perf_counter() - t) * 1000
        meter.stop()
        if not result.ok:  # a browser hiccup on a starved machine: note it and measure again
            failures.append(f"bare: {result.error}")
            continue
        await renderer._pool.wait_ready(renderer.pool_size, timeout=30)  # noqa: SLF001
        # The keystroke: select the digit, type its replacement; wait until that image is painted.
        cur = pane.code.textCursor()
        cur.setPosition(pos)
        cur.setPosition(pos + 1, QTextCursor.MoveMode.KeepAnchor)
        pane.code.setTextCursor(cur)
        serial_before = pane.preview.serial
        painted.clear()
        meter.start()
        t0 = time.perf_counter()
        QTest.keyClick(pane.code, ch, Qt.KeyboardModifier.NoModifier)
        target = pane.text

        def settled(target: str = target) -> bool:
            out = pane.last_outcome
            return out is not None and not out.draft and out.request.code == target

        def painted_new(before: int = serial_before) -> bool:
            return any(s > before for s, _ in painted)
        await _wait(settled, timeout * 2)
        if not pane.last_outcome.result.ok:
            meter.stop()
            failures.append(f"editor: {pane.last_outcome.result.error}")
            continue
        await _wait(painted_new, 10)
        meter.stop()
        t1 = min(t for s, t in painted if s > serial_before)
        latencies.append((t1 - t0) * 1000)
        bare.append(bare_ms)
    return {
        "latency_p50_ms": round(statistics.median(latencies), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
        "bare_render_ms": round(statistics.median(bare), 1),
        "debounce_ms": pane.live.debounce_ms,
        "latencies_ms": [round(v, 1) for v in latencies],
        "bare_ms": [round(v, 1) for v in bare],
        "failed_renders": failures,
    }


async def _wait(cond, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:.0f} s")
        await asyncio.sleep(0.001)



async def run_phase(paths: list[Path], runs: int, timeout: float, pane, renderer, meter: StallMeter) -> dict:  # noqa: ANN001
    meter.reset()
    out: dict = {"sketches": {}}
    for path in paths:
        out["sketches"][path.stem] = await measure(path, runs, pane, renderer, meter, timeout)
    out.update(meter.figures())
    return out


async def run(paths: list[Path], runs: int, timeout: float, beside: str = "low") -> dict:
    from beside import TrainingBeside

    from core.render import Renderer
    from core.store import Store
    from studio.app import freeze_startup_objects, tune_gil
    from studio.bus import ChangeBus, Jobs
    from studio.panes.editor import EditorPane

    tune_gil()  # as the studio does
    store = Store()
    renderer = Renderer(pool_size=2)  # no store: the render cache is off
    await renderer.start()
    pane = EditorPane(store, renderer, ChangeBus(), Jobs())
    pane.resize(1200, 760)
    pane.show()
    freeze_startup_objects()  # as the studio does once its window is built
    meter = StallMeter()
    loop = asyncio.get_running_loop()
    try:
        out = await run_phase(paths, runs, timeout, pane, renderer, meter)
        for name, nice in PHASES[beside]:
            trainer = TrainingBeside(nice)
            await loop.run_in_executor(None, trainer.__enter__)
            try:
                out[name] = await run_phase(paths, runs, timeout, pane, renderer, meter)
            finally:
                await loop.run_in_executor(None, trainer.__exit__, None, None, None)
            out[name]["trainer"] = trainer.summary
    finally:
        pane.shutdown()
        await renderer.close()
        store.close()
    return out


def report(name: str, result: dict) -> None:
    for sketch, r in result["sketches"].items():
        target = r["debounce_ms"] + 1.15 * r["bare_render_ms"]
        verdict = "ok" if r["latency_p50_ms"] <= target else "OVER"
        print(f"[{name}] {sketch:36s} latency p50 {r['latency_p50_ms']:8.0f} ms  p95 {r['latency_p95_ms']:8.0f} ms  "
              f"bare {r['bare_render_ms']:8.0f} ms  target ≤ {target:8.0f} ms  {verdict}"
              f"  (ratio p50/(debounce+bare) {r['latency_p50_ms'] / (r['debounce_ms'] + r['bare_render_ms']):.2f})")
    stall = result["max_stall_ms"]
    print(f"[{name}] longest GUI stall during renders: {stall:.1f} ms (target < 50 ms) {'ok' if stall < 50 else 'OVER'};"
          f" the GUI thread ran {result['max_stall_gui_cpu_ms']:.1f} ms of CPU in it; longest stall less the time it "
          f"waited for a CPU {result['max_stall_own_ms']} ms (target < 50 ms); most GUI CPU without a break "
          f"{result['max_gui_cpu_without_break_ms']:.1f} ms; p99 gap {result['stall_p99_ms']} ms"
          f" (load average {result['load_average']:.1f} on {os.cpu_count()} cores)")
    if "trainer" in result:
        print(f"[{name}] beside it: {result['trainer']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="end with one JSON line")
    p.add_argument("--runs", type=int, default=5, help="keystrokes (and bare renders) per sketch")
    p.add_argument("--sketch", action="append", type=Path, help="sketch file(s) instead of the two starters")
    p.add_argument("--timeout", type=float, default=60.0, help="render timeout, s")
    add_beside_argument(p)
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "BRUSHWORK_HOME" not in os.environ:
        os.environ["BRUSHWORK_HOME"] = tempfile.mkdtemp(prefix="brushwork-bench-")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    paths = args.sketch or pick_starters()
    with loop:
        result = loop.run_until_complete(run(paths, args.runs, args.timeout, args.beside))
    report("idle", result)
    for name, _nice in PHASES[args.beside]:
        report(name, result[name])
        ratio = result[name]["max_gui_cpu_without_break_ms"] / max(0.1, result["max_gui_cpu_without_break_ms"])
        print(f"[{name}] vs idle: longest stall ×{result[name]['max_stall_ms'] / max(0.1, result['max_stall_ms']):.2f},"
              f" GUI CPU without a break ×{ratio:.2f}")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
