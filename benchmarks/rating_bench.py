"""Rating latency: key press → next image painted in the real RatePane, and a rating's commit time.

Makes N synthetic 1024 px paintings (kept in the temp dir between runs), imports them into a fresh
temporary BRUSHWORK_HOME, shows the Rate pane offscreen at 1280×860, then presses 1/2/3 N times. Between presses it waits `--think-ms`
(a person needs far more than 150 ms to judge a painting) while Qt runs; `--think-ms 0` is a burst
that leaves the background decoder no time. "next image" is the first paint of the next image; when
the decoder is behind, that paint is its thumbnail, and "full_res" is when the full image replaced it.
Last line of --json output is the summary object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

COLOURS = ["#ffa64d", "#3b6fc4", "#ec7fb0", "#c8283a", "#f2c72e", "#7d4fb0", "#3f9a3a", "#8a5a3b",
           "#2a9d8f", "#ff7f50", "#b39ddb", "#6b8e23"]
NAMES = ["peach", "blue", "pink", "red", "yellow", "purple", "green", "brown", "teal", "coral", "lilac", "olive"]


def _make(args: tuple[int, str, int]) -> None:
    from core.pool.synthetic import synthetic_painting

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
    todo = [(i, str(cache), args.size) for i in range(args.n) if not (cache / f"p{i:04d}.txt").exists()]
    with ProcessPoolExecutor(max_workers=2) as ex:
        list(ex.map(_make, todo, chunksize=8))
    for i in range(args.n):
        for ext in ("png", "txt"):
            os.link(cache / f"p{i:04d}.{ext}", folder / f"p{i:04d}.{ext}")
    make_s = time.perf_counter() - t
    log(f"made {len(todo)} paintings at {args.size} px ({args.n - len(todo)} from {cache}) in {make_s:.1f} s")

    from core.pool import RatingPool
    from core.pool.io import import_folder
    from core.store import Store

    pool = RatingPool(Store())
    t = time.perf_counter()
    report = import_folder(pool, folder)
    import_s = time.perf_counter() - t
    log(f"imported: {report.summary()} in {import_s:.1f} s")

    from PySide6.QtCore import QElapsedTimer, QEventLoop
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import studio.ops.rating as ops
    from studio.bus import ChangeBus, Jobs
    from studio.panes.rating import RatePane

    app = QApplication.instance() or QApplication([])
    WAIT = QEventLoop.ProcessEventsFlag.WaitForMoreEvents  # noqa: N806
    commits: list[float] = []
    real_rate = ops.rate

    def timed_rate(*a, **kw):
        t0 = time.perf_counter()
        try:
            return real_rate(*a, **kw)
        finally:
            commits.append((time.perf_counter() - t0) * 1000)
    ops.rate = timed_rate

    pane = RatePane(pool, ChangeBus(), Jobs())
    pane.resize(1280, 860)
    pane.show()
    QTest.qWaitForWindowExposed(pane)
    QTest.qWait(300)
    view = pane.view
    latencies: list[float] = []
    full: list[float] = []
    floor: list[float] = []  # a bare repaint of the same view: what this machine's load costs alone
    cpu: list[float] = []    # GUI-thread CPU time per press: the latency on an idle machine
    timer = QElapsedTimer()
    for i in range(args.n):
        if args.think_ms:
            QTest.qWait(int(args.think_ms) // 2)
        before = view.paint_count
        t0 = time.perf_counter()
        view.update()
        timer.start()
        while view.paint_count == before and timer.elapsed() < 5000:
            app.processEvents(WAIT)  # sleep until the next event: a busy loop would steal the decoders' CPU
        floor.append((time.perf_counter() - t0) * 1000)
        if args.think_ms:
            QTest.qWait(int(args.think_ms) // 2)
        before = view.paint_count
        t0, c0 = time.perf_counter(), time.thread_time()
        QTest.keyClick(pane, "123"[i % 3])
        timer.start()
        while view.paint_count == before and timer.elapsed() < 5000:
            app.processEvents(WAIT)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        while view.preview and timer.elapsed() < 5000:  # a thumbnail stood in: wait for the full image
            app.processEvents(WAIT)
        full.append((time.perf_counter() - t0) * 1000)
    rated = pool.counts()["rated"]
    result = {
        "next_image_p50_ms": round(statistics.median(latencies), 2),
        "next_image_p95_ms": round(pct(latencies, 0.95), 2),
        "next_image_max_ms": round(max(latencies), 2),
        "full_res_p50_ms": round(statistics.median(full), 2),
        "full_res_p95_ms": round(pct(full, 0.95), 2),
        "thumbnail_stand_ins": pane.preloader.misses,
        "next_image_gui_cpu_p50_ms": round(statistics.median(cpu), 2),
        "next_image_gui_cpu_p95_ms": round(pct(cpu, 0.95), 2),
        "bare_repaint_p50_ms": round(statistics.median(floor), 2),
        "bare_repaint_p95_ms": round(pct(floor, 0.95), 2),
        "load_avg_1m": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
        "commit_p50_ms": round(statistics.median(commits), 3),
        "commit_p95_ms": round(pct(commits, 0.95), 3),
        "presses": args.n, "rated": rated, "think_ms": args.think_ms,
        "decode_cache_hits": pane.preloader.hits,
        "view_px": [view.width(), view.height()], "image_px": args.size,
        "make_s": round(make_s, 1), "import_s": round(import_s, 1), "import_ms_per_image": round(1000 * import_s / args.n, 1),
        "target_next_image_p95_ms": 30, "commit_direct_call_ok": statistics.median(commits) < 5,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>24}: {v}")
    return 0 if rated == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
