"""Rating latency: key press → next image painted in the real RatePane, and a rating's commit time.

Makes N synthetic 1024 px paintings (kept in the temp dir between runs), imports them into a fresh
temporary BRUSHWORK_HOME, shows the Rate pane offscreen at 1280×860, then presses 1/2/3 N times. Between presses it waits `--think-ms`
(a person needs far more than 150 ms to judge a painting) while Qt runs; `--think-ms 0` is a burst
that leaves the background decoder no time. "next image" is the first paint of the next image; when
the decoder is behind, that paint is its thumbnail, and "full_res" is when the full image replaced it.
Last line of --json output is the summary object; its "beside" holds the same figures measured with a
real training process beside it ('training beside it': `brushwork sft` on the tiny model, started as the
studio starts its jobs, at background priority; --beside both adds one at the studio's own priority).
`next_image_own_p95_ms` is the latency less the time the GUI thread waited for a CPU (Linux schedstat):
what an idle machine would show, which other people's work on a shared machine cannot inflate.

`--contended`: another process (a real subprocess: BEGIN IMMEDIATE; sleep --hold-s; COMMIT) holds
the database's write lock, as a training run may, while keys are pressed every `--think-ms`; reports
the worst key press (key → next image painted) and the longest stall of the GUI thread (a 10 ms
heartbeat timer), then checks every rating was committed, in key order, after the lock was released.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from beside import PHASES, add_beside_argument  # noqa: E402

COLOURS = ["#ffa64d", "#3b6fc4", "#ec7fb0", "#c8283a", "#f2c72e", "#7d4fb0", "#3f9a3a", "#8a5a3b",
           "#2a9d8f", "#ff7f50", "#b39ddb", "#6b8e23"]
NAMES = ["peach", "blue", "pink", "red", "yellow", "purple", "green", "brown", "teal", "coral", "lilac", "olive"]


def _make(args: tuple[int, str, int]) -> None:
    from tests.synthetic_paintings import synthetic_painting

    i, folder, size = args
    Path(folder, f"p{i:04d}.png").write_bytes(synthetic_painting(COLOURS[i % len(COLOURS)], size=size, seed=i))
    Path(folder, f"p{i:04d}.txt").write_text(f"draw a {NAMES[i % len(NAMES)]} flower in watercolour, study {i}")


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--think-ms", type=float, default=150.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary BRUSHWORK_HOME (else deleted)")
    ap.add_argument("--contended", action="store_true",
                    help="rate while another process holds the write lock (see --hold-s)")
    ap.add_argument("--hold-s", type=float, default=2.0, help="how long the other process holds the lock")
    add_beside_argument(ap)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="brushwork-rating-bench-home-"))
    try:
        return run(args, home)
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


def run(args: argparse.Namespace, home: Path) -> int:
    os.environ["BRUSHWORK_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731

    # The paintings are deterministic, so they are kept between runs (only the import is timed afresh).
    cache = Path(tempfile.gettempdir()) / f"brushwork-rating-bench-paintings-{args.size}"
    cache.mkdir(exist_ok=True)
    folder = home / "incoming"
    folder.mkdir()
    t = time.perf_counter()
    phases = PHASES[args.beside] if not args.contended else []
    total = args.n * (1 + len(phases))  # each phase rates images of its own
    todo = [(i, str(cache), args.size) for i in range(total) if not (cache / f"p{i:04d}.txt").exists()]
    with ProcessPoolExecutor(max_workers=2) as ex:
        list(ex.map(_make, todo, chunksize=8))
    for i in range(total):
        for ext in ("png", "txt"):
            os.link(cache / f"p{i:04d}.{ext}", folder / f"p{i:04d}.{ext}")
    make_s = time.perf_counter() - t
    log(f"made {len(todo)} paintings at {args.size} px ({total - len(todo)} from {cache}) in {make_s:.1f} s")

    from core.pool import RatingPool
    from core.pool.io import import_folder
    from core.store import Store

    pool = RatingPool(Store())
    t = time.perf_counter()
    report = import_folder(pool, folder)
    import_s = time.perf_counter() - t
    log(f"imported: {report.summary()} in {import_s:.1f} s")

    import qasync
    from PySide6.QtCore import QEventLoop
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from studio.bus import ChangeBus, Jobs
    from studio.panes.rating import RatePane

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from beside import TrainingBeside

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)  # the pane's reads and commits are tasks that Qt events step
    WAIT = QEventLoop.ProcessEventsFlag.WaitForMoreEvents  # noqa: N806
    commits: list[float] = []  # the commit itself, timed in the writer thread
    real_rate = pool.rate

    def timed_rate(*a, **kw):
        t0 = time.perf_counter()
        try:
            return real_rate(*a, **kw)
        finally:
            commits.append((time.perf_counter() - t0) * 1000)
    pool.rate = timed_rate

    pane = RatePane(pool, ChangeBus(), Jobs())
    pane.resize(1280, 860)
    pane.show()
    QTest.qWaitForWindowExposed(pane)
    while not pane.ready:
        app.processEvents(WAIT)
    QTest.qWait(300)
    try:
        if args.contended:
            return contended(args, app, pane, pool, commits)
        result = presses(app, pane, args.n, args.think_ms)
        for name, nice in phases:
            with TrainingBeside(nice) as trainer:
                result[name] = presses(app, pane, args.n, args.think_ms)
            result[name]["trainer"] = trainer.summary
        while not pane.ready:  # the last commits land
            app.processEvents(WAIT)
    finally:
        pane.close()
        loop.run_until_complete(asyncio.sleep(0.2))  # cancelled tasks finish
        loop.close()  # joins qasync's executor threads (else Qt warns at exit: "QThread: Destroyed while running")
    rated = pool.counts()["rated"]
    view = pane.view
    result.update({
        "thumbnail_stand_ins": pane.preloader.misses, "cpus": os.cpu_count(),
        "commit_p50_ms": round(statistics.median(commits), 3),
        "commit_p95_ms": round(pct(commits, 0.95), 3),
        "presses": args.n, "rated": rated, "think_ms": args.think_ms,
        "decode_cache_hits": pane.preloader.hits,
        "view_px": [view.width(), view.height()], "image_px": args.size,
        "make_s": round(make_s, 1), "import_s": round(import_s, 1), "import_ms_per_image": round(1000 * import_s / total, 1),
        "target_next_image_p95_ms": 16, "commit_direct_call_ok": statistics.median(commits) < 5,
    })
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>24}: {v}")
    for name, _nice in phases:
        r = result[name]
        print(f"[{name}] key → next image p95 {r['next_image_p95_ms']} ms (own {r['next_image_own_p95_ms']} ms) vs idle "
              f"{result['next_image_p95_ms']} ms (own {result['next_image_own_p95_ms']} ms): ×"
              f"{r['next_image_p95_ms'] / max(0.01, result['next_image_p95_ms']):.2f}; beside it: {r['trainer']}",
              file=sys.stderr)
    return 0 if rated == total else 1


def presses(app, pane, n: int, think_ms: float) -> dict:  # noqa: ANN001 (Qt objects)
    """Press 1/2/3 `n` times; key → next image painted, its GUI CPU, and a bare repaint for the floor."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop
    from PySide6.QtTest import QTest

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from editor_bench import _runqueue_reader

    wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    runq = _runqueue_reader() or (lambda: 0.0)
    view = pane.view
    latencies: list[float] = []
    own: list[float] = []    # the latency less the time the GUI thread waited for a CPU
    full: list[float] = []
    floor: list[float] = []  # a bare repaint of the same view: what this machine's load costs alone
    cpu: list[float] = []    # GUI-thread CPU time per press: the latency on an idle machine
    timer = QElapsedTimer()
    for i in range(n):
        if think_ms:
            QTest.qWait(int(think_ms) // 2)
        before = view.paint_count
        t0 = time.perf_counter()
        view.update()
        timer.start()
        while view.paint_count == before and timer.elapsed() < 5000:
            app.processEvents(wait)  # sleep until the next event: a busy loop would steal the decoders' CPU
        floor.append((time.perf_counter() - t0) * 1000)
        if think_ms:
            QTest.qWait(int(think_ms) // 2)
        before = view.paint_count
        t0, c0, q0 = time.perf_counter(), time.thread_time(), runq()
        QTest.keyClick(pane, "123"[i % 3])
        timer.start()
        while view.paint_count == before and timer.elapsed() < 5000:
            app.processEvents(wait)
        latencies.append((time.perf_counter() - t0) * 1000)
        own.append(latencies[-1] - (runq() - q0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        while view.preview and timer.elapsed() < 5000:  # a thumbnail stood in: wait for the full image
            app.processEvents(wait)
        full.append((time.perf_counter() - t0) * 1000)
    return {
        "next_image_p50_ms": round(statistics.median(latencies), 2),
        "next_image_p95_ms": round(pct(latencies, 0.95), 2),
        "next_image_max_ms": round(max(latencies), 2),
        "next_image_own_p95_ms": round(pct(own, 0.95), 2),
        "full_res_p50_ms": round(statistics.median(full), 2),
        "full_res_p95_ms": round(pct(full, 0.95), 2),
        "next_image_gui_cpu_p50_ms": round(statistics.median(cpu), 2),
        "next_image_gui_cpu_p95_ms": round(pct(cpu, 0.95), 2),
        "bare_repaint_p50_ms": round(statistics.median(floor), 2),
        "bare_repaint_p95_ms": round(pct(floor, 0.95), 2),
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }


def contended(args: argparse.Namespace, app, pane, pool, commits: list[float]) -> int:  # noqa: ANN001 (Qt objects)
    """Press keys while another process holds the write lock; the GUI thread must never wait for it."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop
    from PySide6.QtTest import QTest

    from tests.store.store_procs import start_held_write_lock
    from tests.studio.gui_heartbeat import GuiHeartbeat

    wait = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    heartbeat = GuiHeartbeat()
    presses, cpu, order = [], [], []
    timer = QElapsedTimer()
    think = max(args.think_ms, 20.0)
    with start_held_write_lock(pool.store.path, args.hold_s) as holder:
        t_locked = time.perf_counter()
        heartbeat.start()
        while time.perf_counter() - t_locked < args.hold_s * 0.9 and pane.queue.current is not None:
            order.append(pane.queue.current)
            before = pane.view.paint_count
            t0, c0 = time.perf_counter(), time.thread_time()
            QTest.keyClick(pane, "123"[len(presses) % 3])
            timer.start()
            while pane.view.paint_count == before and timer.elapsed() < 10000:
                app.processEvents(wait)
            presses.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            QTest.qWait(int(think))
        pressed_while_locked = holder.holding
        holder.wait(timeout=60)
    t_released = time.perf_counter()
    while not pane.ready:
        app.processEvents(wait)
    heartbeat.stop()
    history = [e.image_id for e in pool.history()]
    result = {
        "hold_s": args.hold_s, "presses_while_locked": len(presses), "pressed_while_locked": pressed_while_locked,
        "worst_key_press_ms": round(max(presses), 1), "key_press_p50_ms": round(statistics.median(presses), 1),
        "key_press_gui_cpu_max_ms": round(max(cpu), 1),
        "worst_gui_stall_ms": round(max(heartbeat.gaps), 1),
        "committed_after_release_ms": round((time.perf_counter() - t_released) * 1000, 1),
        "longest_commit_ms": round(max(commits), 1) if commits else None,
        "all_committed_in_order": history == order, "load_avg_1m": round(os.getloadavg()[0], 1),
        "target_worst_key_press_ms": 200,
    }
    pane.shutdown()
    # Core level, same lock again: how long `store.submit(pool.rate, ...)` (core's writer queue) takes to return.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from store_bench import key_press_under_lock

    core = key_press_under_lock(pool, args.hold_s)
    result.update({"core_submit_worst_ms": core["worst_submit_ms"], "core_blocking_rate_ms": core["blocking_rate_ms"]})
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>28}: {v}")
    return 0 if result["all_committed_in_order"] and result["worst_key_press_ms"] < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
