"""Training pane under a long live run: GUI stalls and metric commit → point-on-screen latency.

A synthetic run of 20,000 steps × 30 keys (600,000 metric rows) is written to a fresh data home; a
second process then adds one step every 100 ms while the real TrainingPane (offscreen) tails it. A
1 ms precise QTimer records the longest gap in the GUI event loop (`max_stall_ms`, target < 50), and
the board records, per curve drawn, the time from its oldest new row's commit to its setData
(`commit_to_screen_p95_ms`, target < 250). The first load of the 600,000 rows, until every curve is
drawn, is reported apart (`first_load_ms`) and its stalls are included in max_stall_ms; so is switching
to the live run with the 20,000-step run overlaid (`overlay_load_ms`, `max_stall_until_overlay_drawn_ms`),
and the steady live phase after it (`max_stall_live_ms`). The pane runs with the studio's interpreter settings (app.py).

Then a 'training beside it' phase (`beside`): a real training process (`brushwork sft` on the tiny model,
started as the studio starts its jobs, at background priority) runs while the pane follows a second
live run with the long run overlaid; --beside both adds one with the trainer at the studio's own
priority. `max_stall_own_ms`: the longest stall less the time the GUI thread waited for a CPU (Linux
schedstat), what an idle machine would show.

    brushwork bench training_pane [--json] [--steps 20000] [--keys 30] [--live 100] [--beside none|low|both]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from beside import PHASES, add_beside_argument  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def writer(run_id: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.synthetic_run", "--run-id", run_id, *args],
                            cwd=REPO, env=os.environ.copy())


async def measure(pane, meter, steps: int, keys: int, live: int) -> dict:  # noqa: ANN001
    from tests.studio.conftest import wait_until

    t0 = time.perf_counter()
    meter.start()
    await wait_until(lambda: pane.run_id == "bench", 60, "the run")
    await wait_until(lambda: pane.curves.runs.get("main") and "reward" in pane.curves.runs["main"].series
                     and pane.curves.runs["main"].series["reward"].n >= steps and not pane.curves.pending, 120,
                     "the prefilled run on screen")
    first_load = (time.perf_counter() - t0) * 1000
    load_stall = meter.max_gap
    pane.curves.latencies.clear()
    proc = writer("bench-live", "--prefill", "0", "--steps", str(live), "--interval", "0.1", "--keys", str(keys))
    pane.select_run("bench")
    # follow the live run: switch the pane to it once it is listed
    await wait_until(lambda: any(r.id == "bench-live" for r in pane.runs), 30, "the live run")
    c0 = time.thread_time()
    pane.select_run("bench-live")
    c1 = time.thread_time()
    pane.overlay.setCurrentIndex(pane.overlay.findData("bench"))  # 20,000-step overlay drawn alongside
    c2 = time.thread_time()
    switched = time.perf_counter()
    # the steady live phase apart: from when the switch's own repaint and the overlay's backlog are done
    await wait_until(lambda: pane.curves.runs.get("overlay") and "reward" in pane.curves.runs["overlay"].series
                     and pane.curves.runs["overlay"].series["reward"].n >= steps and not pane.curves.pending, 120,
                     "the overlay on screen")
    overlay_ms = (time.perf_counter() - switched) * 1000
    before = (meter.max_gap, meter.max_gap_cpu, meter.max_at)
    switch_stall, meter.max_gap = meter.max_gap, 0.0
    await asyncio.get_running_loop().run_in_executor(None, proc.wait)
    await asyncio.sleep(0.5)
    meter.stop()
    lat = list(pane.curves.latencies)
    live_stall = meter.max_gap
    worst = max(before, (meter.max_gap, meter.max_gap_cpu, meter.max_at))
    return {"first_load_ms": round(first_load), "overlay_load_ms": round(overlay_ms),
            "switch_run_cpu_ms": round((c1 - c0) * 1000, 1), "set_overlay_cpu_ms": round((c2 - c1) * 1000, 1),
            "max_stall_ms": round(max(switch_stall, live_stall) * 1000, 1),
            "max_stall_live_ms": round(live_stall * 1000, 1),
            "max_stall_until_overlay_drawn_ms": round(switch_stall * 1000, 1),
            "max_stall_gui_cpu_ms": round(worst[1] * 1000, 1),
            "max_stall_at_s": round(worst[2] - t0, 1),
            "max_stall_in_first_load_ms": round(load_stall * 1000, 1),
            "max_gui_cpu_without_break_ms": round(meter.max_cpu * 1000, 1),
            "load_avg_1min": round(os.getloadavg()[0], 1),
            "stall_p99_ms": round(percentile(meter.gaps, 99) * 1000, 1) if meter.gaps else None,
            "commit_to_screen_p50_ms": round(statistics.median(lat), 1) if lat else None,
            "commit_to_screen_p95_ms": round(percentile(lat, 95), 1) if lat else None,
            "live_points": len(lat)}



async def live_phase(pane, meter, keys: int, live: int, run_id: str) -> dict:  # noqa: ANN001
    """Follow a fresh live run (the long run overlaid, already read): stalls and commit → screen."""
    from tests.studio.conftest import wait_until

    pane.curves.latencies.clear()
    proc = writer(run_id, "--prefill", "0", "--steps", str(live), "--interval", "0.1", "--keys", str(keys))
    await wait_until(lambda: any(r.id == run_id for r in pane.runs), 60, "the live run")
    pane.select_run(run_id)
    pane.overlay.setCurrentIndex(pane.overlay.findData("bench"))
    await wait_until(lambda: pane.curves.runs.get("overlay") and "reward" in pane.curves.runs["overlay"].series
                     and not pane.curves.pending, 120, "the overlay on screen")
    meter.reset()
    meter.start()
    await asyncio.get_running_loop().run_in_executor(None, proc.wait)
    await asyncio.sleep(0.5)
    meter.stop()
    lat = list(pane.curves.latencies)
    out = meter.figures()
    out.update({"commit_to_screen_p50_ms": round(statistics.median(lat), 1) if lat else None,
                "commit_to_screen_p95_ms": round(percentile(lat, 95), 1) if lat else None, "live_points": len(lat)})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true")
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--keys", type=int, default=30)
    p.add_argument("--live", type=int, default=100, help="steps the live writer adds, one per 100 ms")
    add_beside_argument(p)
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["BRUSHWORK_HOME"] = tempfile.mkdtemp(prefix="bw-bench-train-")
    t = time.perf_counter()
    if writer("bench", "--prefill", str(args.steps), "--steps", "0", "--keys", str(args.keys)).wait() != 0:
        print("the synthetic run could not be written", file=sys.stderr)
        return 1
    prefill_s = time.perf_counter() - t

    import qasync
    from editor_bench import StallMeter
    from PySide6.QtWidgets import QApplication

    from core.store import Store
    from studio.app import freeze_startup_objects, tune_gil
    from studio.bus import ChangeBus, Jobs
    from studio.panes.training import TrainingPane

    tune_gil()  # as the studio does
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    store = Store()
    pane = TrainingPane(store, None, ChangeBus(), Jobs())
    pane.resize(1280, 800)
    pane.show()
    freeze_startup_objects()  # as the studio does once its window is built
    meter = StallMeter()
    from beside import TrainingBeside

    try:
        result = loop.run_until_complete(measure(pane, meter, args.steps, args.keys, args.live))
        result["max_stall_own_ms"] = meter.figures()["max_stall_own_ms"]
        for name, nice in PHASES[args.beside]:
            with TrainingBeside(nice) as trainer:
                result[name] = loop.run_until_complete(live_phase(pane, meter, args.keys, args.live, f"live-{name}"))
            result[name]["trainer"] = trainer.summary
    finally:
        pane.shutdown()
        store.close()
        loop.run_until_complete(asyncio.sleep(0.2))  # cancelled tasks finish
        loop.close()  # joins qasync's executor threads (else Qt aborts: "QThread: Destroyed while running")
    result.update({"steps": args.steps, "keys": args.keys, "rows": args.steps * args.keys,
                   "prefill_write_s": round(prefill_s, 1)})
    print(f"{result['rows']:,} metric rows; first load on screen in {result['first_load_ms']} ms")
    print(f"longest GUI stall {result['max_stall_ms']} ms (target < 50) "
          f"{'ok' if result['max_stall_ms'] < 50 else 'OVER'}; GUI CPU in it {result['max_stall_gui_cpu_ms']} ms; "
          f"most GUI CPU without a break {result['max_gui_cpu_without_break_ms']} ms (load {result['load_avg_1min']})")
    print(f"commit → screen p50 {result['commit_to_screen_p50_ms']} ms, p95 {result['commit_to_screen_p95_ms']} ms "
          f"(target < 250) over {result['live_points']} live curve updates")
    for name, _nice in PHASES[args.beside]:
        r = result[name]
        print(f"[{name}] longest GUI stall {r['max_stall_ms']} ms (own {r['max_stall_own_ms']} ms; most GUI CPU without "
              f"a break {r['max_gui_cpu_without_break_ms']} ms), commit → screen p95 {r['commit_to_screen_p95_ms']} ms; "
              f"vs idle live phase: stall ×{r['max_stall_ms'] / max(0.1, result['max_stall_live_ms']):.2f}; "
              f"beside it: {r['trainer']}")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
