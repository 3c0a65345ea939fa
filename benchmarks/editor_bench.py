"""Editor latency: keystroke → new preview painted, next to the bare render time of the same sketch.

With a warm Renderer (cache off) and the real EditorPane offscreen, for the simplest and the heaviest
starter: type one character that changes a colour, and time until the new image is painted; in the same
run, time `renderer.render` of equally edited code alone. A 1 ms QTimer records the longest gap in the
GUI event loop while all this happens. Targets: p50 latency ≤ debounce + 1.15 × bare render; stall < 50 ms.

    brushwork bench editor [--json] [--runs N] [--sketch FILE ...]

The last line of --json output: {"sketches": {name: {latency_p50_ms, latency_p95_ms, bare_render_ms,
debounce_ms}}, "max_stall_ms": ...}.
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


class StallMeter:
    """A 1 ms precise QTimer; the longest gap between its ticks is the worst GUI stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

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
        if self._last is not None:
            self.gaps.append(now - self._last)
            self.max_cpu = max(self.max_cpu, cpu - self._last_cpu)
        if self._last is not None and now - self._last > self.max_gap:
            self.max_gap, self.max_gap_cpu = now - self._last, cpu - self._last_cpu
            self.max_at = now  # when the longest gap ended (perf_counter)
        self._last, self._last_cpu = now, cpu

    def start(self) -> None:
        self._last = None
        self.timer.start()

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


async def run(paths: list[Path], runs: int, timeout: float) -> dict:
    from core.render import Renderer
    from core.store import Store
    from studio.bus import ChangeBus, Jobs
    from studio.panes.editor import EditorPane

    store = Store()
    renderer = Renderer(pool_size=2)  # no store: the render cache is off
    await renderer.start()
    pane = EditorPane(store, renderer, ChangeBus(), Jobs())
    pane.resize(1200, 760)
    pane.show()
    meter = StallMeter()
    out: dict = {"sketches": {}}
    try:
        for path in paths:
            out["sketches"][path.stem] = await measure(path, runs, pane, renderer, meter, timeout)
    finally:
        pane.shutdown()
        await renderer.close()
        store.close()
    out["max_stall_ms"] = round(meter.max_gap * 1000, 1)
    out["max_stall_gui_cpu_ms"] = round(meter.max_gap_cpu * 1000, 1)
    out["stall_p99_ms"] = round(percentile(meter.gaps, 99) * 1000, 1) if meter.gaps else None
    out["load_average"] = os.getloadavg()[0]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="end with one JSON line")
    p.add_argument("--runs", type=int, default=5, help="keystrokes (and bare renders) per sketch")
    p.add_argument("--sketch", action="append", type=Path, help="sketch file(s) instead of the two starters")
    p.add_argument("--timeout", type=float, default=60.0, help="render timeout, s")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "BRUSHWORK_HOME" not in os.environ:
        os.environ["BRUSHWORK_HOME"] = tempfile.mkdtemp(prefix="brushwork-bench-")
    import qasync
    from PySide6.QtWidgets import QApplication


    app = QApplication.instance() or QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    paths = args.sketch or pick_starters()
    with loop:
        result = loop.run_until_complete(run(paths, args.runs, args.timeout))
    for name, r in result["sketches"].items():
        target = r["debounce_ms"] + 1.15 * r["bare_render_ms"]
        verdict = "ok" if r["latency_p50_ms"] <= target else "OVER"
        print(f"{name:40s} latency p50 {r['latency_p50_ms']:8.0f} ms  p95 {r['latency_p95_ms']:8.0f} ms  "
              f"bare {r['bare_render_ms']:8.0f} ms  target ≤ {target:8.0f} ms  {verdict}"
              f"  (ratio p50/(debounce+bare) {r['latency_p50_ms'] / (r['debounce_ms'] + r['bare_render_ms']):.2f})")
    stall = result["max_stall_ms"]
    print(f"longest GUI stall during renders: {stall:.1f} ms (target < 50 ms) {'ok' if stall < 50 else 'OVER'};"
          f" the GUI thread ran {result['max_stall_gui_cpu_ms']:.1f} ms of CPU in it; p99 gap {result['stall_p99_ms']} ms"
          f" (load average {result['load_average']:.1f} on {os.cpu_count()} cores)")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
