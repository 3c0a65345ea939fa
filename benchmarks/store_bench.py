"""Store figures: concurrent first opens, sample_refs at 2,000 love images, a key press under a held lock.

    brushwork bench store [--images 2000] [--opens 18] [--hold-s 2] [--json]

1. `--opens` processes, started and imported first, open one new database at the same moment
   (released together through their stdin); counts how many succeed.
2. `sample_refs` per call at `--images` love-rated images: before (the old way, which loaded every
   love image and filtered in Python; kept below for the comparison) and after (selects in SQL).
3. Core-level key press: another process holds `BEGIN IMMEDIATE` for `--hold-s`; we submit a rating
   every 50 ms. "worst submit" is how long `store.submit(pool.rate, ...)` took to return (what the
   studio's rating op queues; what a GUI thread waits); the blocking `pool.rate` would wait for the lock instead (measured once, for the ratio).
Last line of --json output is the summary object.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from core.pool import RatingPool  # noqa: E402
from core.pool.colour import ALL_GROUPS, prompt_colour  # noqa: E402
from core.pool.sampling import make_rng  # noqa: E402
from core.store import Store  # noqa: E402
from tests.store.store_procs import start_held_write_lock  # noqa: E402

OPEN_SCRIPT = """
import sys
from core.store import Store
print("ready", flush=True)
sys.stdin.readline()
s = Store(sys.argv[1]); s.add_sketch("// hi", source="model"); s.close()
"""


def concurrent_opens(n: int, folder: Path) -> int:
    """How many of n processes, released at once, open a new database and write to it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_SCRIPT, str(folder / "brushwork.db")], cwd=REPO, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(n)]
    for p in procs:
        p.stdout.readline()  # "ready": started and imported
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    return sum(p.communicate(timeout=300)[0] is not None and p.returncode == 0 for p in procs)


def fill_pool(pool: RatingPool, n: int) -> None:
    """n love-rated images (rows only: sampling never opens the files)."""
    rng = random.Random(0)
    now = time.time()
    with pool.store.transaction() as conn:
        conn.executemany(
            "INSERT INTO pool_images (hash, path, width, height, prompt, source, colour_group, colours, created_at)"
            " VALUES (?, ?, 512, 512, ?, 'hand', ?, '[]', ?)",
            [(f"h{i}", f"pool/{i}.png", f"a painting {i}", rng.choice(ALL_GROUPS), now) for i in range(n)])
        conn.execute("INSERT INTO rating_events (image_id, action, tier, at) SELECT id, 'rate', 'love', 0"
                     " FROM pool_images")


def sample_refs_before(pool: RatingPool, prompt: str, k: int = 2, tiers: tuple[str, ...] = ("love",),
                       rng: int | None = None) -> list:
    """The old sample_refs: every image of the tiers loaded and filtered in Python."""
    candidates = sorted((im for tier in tiers for im in pool.images(tier=tier)), key=lambda im: im.id)
    group = prompt_colour(prompt)
    same = [im for im in candidates if im.colour_group == group]
    return make_rng(rng).sample(same if len(same) >= k else candidates, k)


def per_call_ms(fn, calls: int) -> float:  # noqa: ANN001 (any sampler)
    times = []
    for i in range(calls):
        t0 = time.perf_counter()
        fn("draw a peach hibiscus", rng=i)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def key_press_under_lock(pool: RatingPool, hold_s: float) -> dict:
    """Submit ratings every 50 ms while another process holds the write lock."""
    ids = pool.image_ids()
    with start_held_write_lock(pool.store.path, hold_s) as holder:
        t_locked = time.perf_counter()
        submits, futures = [], []
        while time.perf_counter() - t_locked < hold_s * 0.8:
            t0 = time.perf_counter()
            futures.append(pool.store.submit(pool.rate, ids[len(futures) % len(ids)], "okay"))
            submits.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.05)
        done_while_locked = sum(f.done() for f in futures)
        events = [f.result(timeout=60) for f in futures]
        landed_ms = (time.perf_counter() - t_locked) * 1000
        holder.wait(timeout=60)
    # The blocking call, for the ratio: it waits for the whole hold.
    with start_held_write_lock(pool.store.path, hold_s) as holder:
        t0 = time.perf_counter()
        pool.rate(ids[-1], "nope")
        blocking_ms = (time.perf_counter() - t0) * 1000
        holder.wait(timeout=60)
    in_order = [e.image_id for e in events] == [ids[i % len(ids)] for i in range(len(events))]
    return {"presses": len(submits), "worst_submit_ms": round(max(submits), 3),
            "p50_submit_ms": round(statistics.median(submits), 3), "committed_while_locked": done_while_locked,
            "all_committed_in_order": in_order, "last_commit_after_lock_ms": round(landed_ms, 1),
            "blocking_rate_ms": round(blocking_ms, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--opens", type=int, default=18)
    ap.add_argument("--hold-s", type=float, default=2.0)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="brushwork-store-bench-") as tmp:
        tmp = Path(tmp)
        opened = concurrent_opens(args.opens, tmp / "opens") if args.opens else 0
        store = Store(tmp / "pool" / "brushwork.db")
        pool = RatingPool(store)
        fill_pool(pool, args.images)
        before = per_call_ms(lambda p, rng: sample_refs_before(pool, p, rng=rng), max(10, args.calls // 10))
        after = per_call_ms(lambda p, rng: pool.sample_refs(p, rng=rng), args.calls)
        press = key_press_under_lock(pool, args.hold_s)
        store.close()
    result = {
        "concurrent_first_opens": f"{opened}/{args.opens}",
        "sample_refs_images": args.images, "sample_refs_before_ms": round(before, 2),
        "sample_refs_after_ms": round(after, 3), "sample_refs_speedup": round(before / after, 1),
        "hold_s": args.hold_s, **press, "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value}")
    ok = opened == args.opens and after < 2.0 and press["all_committed_in_order"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
