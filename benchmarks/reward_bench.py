"""Reward benchmark: one GRPO group (8 rollouts × 2 references × 2 orders = 32 judge calls) scored by the
rubric against the loopback judge server answering in 300 ms, vs the same calls made one after another.

Run with `brushwork bench reward [--json] [--latency 0.3] [--concurrency 8] [--repeat 5] [--synthetic]`.
The 8 rollouts are rendered first through the warm page pool (a small seeded sketch; `--synthetic`
uses generated paintings when Chromium is absent); only scoring is timed. One untimed warm-up run
comes first (`warmup_s`: it imports the OpenAI client and starts the node checker, once per process);
then `--repeat` timed runs: `ours_s` is their MEDIAN (`ours_best_s` the fastest), the sequential side
is the best of `--seq-repeat` runs. All runs share one event loop, as the steps of a training run do
(BatchScorer keeps one loop): the judge's HTTP client and its keep-alive connections carry over from
step to step. `fresh_client_s` is one more run after closing them (a new client, new connections).
Reports `speedup` = sequential / ours and `ratio_to_ideal` = ours / (latency × ceil(calls / concurrency)).
Targets: speedup ≥ 6, ratio_to_ideal ≤ 1.2. The 1-minute load average is reported: on a shared
machine the figures stretch with it.
Last line of --json is JSON.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SKETCH = """function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.set("2B", "#c0602f", 1.5);
  brush.noFill();
  for (let i = 0; i < 6; i++) brush.circle(random(-150, 150), random(-150, 150), random(30, 90));
  brush.set("pen", "#2f4a25", 1);
  brush.line(random(-200, 0), 200, random(0, 200), -200);
}
"""
PROMPT = "a peach hibiscus in watercolour"
CPU_S: list[float] = []  # our process's CPU seconds per scoring run (the part a loaded machine stretches)


async def renders(n: int, synthetic: bool) -> list[bytes]:
    """n distinct PNGs: seeded renders from the warm pool, or synthetic paintings."""
    if not synthetic:
        from core.render import BrowserUnavailable, Renderer

        try:
            async with Renderer(pool_size=2) as r:
                results = await asyncio.gather(*(r.render(SKETCH, seed=i, timeout=120) for i in range(n)))
            if all(res.ok for res in results):
                return [res.png for res in results]
            print("bench reward: some renders failed; using synthetic paintings", file=sys.stderr)
        except BrowserUnavailable as e:
            print(f"bench reward: {e}; using synthetic paintings", file=sys.stderr)
    from tests.synthetic_paintings import synthetic_painting

    return [synthetic_painting("#f39a5b", size=512, seed=i) for i in range(n)]


def bench_rubric(url: str, concurrency: int):
    from core.reward import rubric_from_dict

    return rubric_from_dict({"name": "bench", "components": {
        "structure": {"gate": True},
        "pairwise": {"weight": 1.0, "params": {"judge": "default", "refs": 2}},
    }, "judges": {"default": {"backend": "openai", "model": "loopback", "base_url": url,
                              "concurrency": concurrency, "backoff_s": 0.01}}})


async def ours(rubric, rollouts, pool) -> tuple[float, int]:
    from core.reward import Accounting

    acc = Accounting()
    t0, c0 = time.perf_counter(), time.process_time()
    scores = await rubric.score(rollouts, refs_pool=pool, accounting=acc)
    wall = time.perf_counter() - t0
    CPU_S.append(time.process_time() - c0)
    assert all(s.components["pairwise"] is not None for s in scores), [s.notes for s in scores]
    return wall, acc.totals().calls


async def steps(rubric, rollouts, pool, repeat: int) -> tuple[float, list[tuple[float, int]], float]:
    """The warm-up, the timed runs and a fresh-client run, on one event loop (as a training run's steps)."""
    from core.reward.judges.clients import close_shared_clients

    warmup = (await ours(rubric, rollouts, pool))[0]
    CPU_S.clear()
    runs = [await ours(rubric, rollouts, pool) for _ in range(repeat)]
    await close_shared_clients()
    fresh = (await ours(rubric, rollouts, pool))[0]
    CPU_S.pop()
    return warmup, runs, fresh


async def sequential(rubric, rollouts, refs) -> float:
    from core.reward.judges import build_judges

    judge = build_judges({"default": rubric.judge_settings["default"]})["default"]
    t0 = time.perf_counter()
    try:
        for r in rollouts:
            for ref in refs:
                await judge.judge_order(r.png, ref, PROMPT)
                await judge.judge_order(ref, r.png, PROMPT)
    finally:
        await judge.aclose()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--latency", type=float, default=0.3)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs after the warm-up (median reported)")
    ap.add_argument("--seq-repeat", type=int, default=1, help="sequential runs (best reported; ~11 s each)")
    ap.add_argument("--synthetic", action="store_true", help="generated paintings instead of renders")
    args = ap.parse_args()
    os.environ["BRUSHWORK_HOME"] = tempfile.mkdtemp(prefix="brushwork-bench-reward-")
    from core.pool import RatingPool
    from core.render.types import RenderResult
    from core.reward import Rollout
    from core.store import Store
    from tests.synthetic_paintings import synthetic_painting

    store = Store()
    pool = RatingPool(store)
    for i in range(6):
        image = pool.add_image(synthetic_painting("#ffa64d", size=256, seed=50 + i), prompt=PROMPT).image
        pool.rate(image.id, "love")
    pngs = asyncio.run(renders(8, args.synthetic))
    rollouts = [Rollout(PROMPT, SKETCH, SKETCH, RenderResult(True, png, None, 0.0, None), seed=i)
                for i, png in enumerate(pngs)]
    # The judge server runs in its own process, as a real one would: it does not share our GIL.
    server = subprocess.Popen([sys.executable, "-m", "tests.judge_server", "--latency", str(args.latency)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        url = f"http://127.0.0.1:{int(server.stdout.readline())}/v1"
        rubric = bench_rubric(url, args.concurrency)
        warmup, runs, fresh = asyncio.run(steps(rubric, rollouts, pool, max(1, args.repeat)))
        calls = runs[0][1]
        from core.pool.sampling import sample_refs

        refs = [im.path.read_bytes() for im in sample_refs(pool, PROMPT, 2, rng=0)]
        seq = min(asyncio.run(sequential(rubric, rollouts, refs)) for _ in range(max(1, args.seq_repeat)))
    finally:
        server.stdin.close()
        server.wait(10)
    store.close()
    walls = [w for w, _ in runs]
    median, best = statistics.median(walls), min(walls)
    ideal = args.latency * math.ceil(calls / args.concurrency)
    out = {"calls": calls, "concurrency": args.concurrency, "latency_s": args.latency,
           "ours_s": round(median, 3), "ours_best_s": round(best, 3), "ours_runs_s": [round(w, 3) for w in walls],
           "warmup_s": round(warmup, 3), "fresh_client_s": round(fresh, 3),
           "runs": f"median of {len(walls)} timed runs after 1 untimed warm-up",
           "ours_cpu_s": round(statistics.median(CPU_S), 3), "sequential_s": round(seq, 3),
           "ideal_s": round(ideal, 3), "speedup": round(seq / median, 2), "ratio_to_ideal": round(median / ideal, 3),
           "ratio_to_ideal_best": round(best / ideal, 3), "load_avg_1m": round(os.getloadavg()[0], 2),
           "cpus": os.cpu_count(), "targets": {"speedup": ">= 6", "ratio_to_ideal": "<= 1.2"},
           "synthetic": args.synthetic}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{calls} judge calls at {args.latency * 1000:.0f} ms, concurrency {args.concurrency}: "
              f"ours {median:.2f} s (median of {len(walls)}; best {best:.2f} s), sequential {seq:.2f} s, "
              f"ideal {ideal:.2f} s → speedup {out['speedup']}×, ratio to ideal {out['ratio_to_ideal']} "
              f"(load {out['load_avg_1m']} on {out['cpus']} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
