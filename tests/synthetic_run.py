"""A synthetic training run for tests of run readers (no model, no torch); the training-pane benchmark
borrows it, as benchmarks borrow tests/judge_server.py.

`python -m tests.synthetic_run --run-id R --prefill 20000 --steps 100 --interval 0.1` writes a
`runs` row owned by this process, optionally `prefill` steps at once, then one step of `keys` metrics
every `interval` seconds, a held-out sample set every `sample_every` steps, and a warning event. It
writes the same tables, in the same shape, as the real runner, through the store's named writes.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import time
from pathlib import Path

from core.hashing import bytes_hash
from core.store import Store, runs

BASE_KEYS = ["reward", "reward_std", "frac_reward_zero_std", "completions/mean_length", "kl", "entropy",
             "step_time", "diversity/image", "diversity/code"]
COMPONENTS = ["gate", "length", "colour", "coverage", "composition", "preference"]


def metric_keys(n: int) -> list[str]:
    """`n` keys in TRL's vocabulary: the base keys, per-component mean/std, then extras."""
    keys = list(BASE_KEYS)
    for c in COMPONENTS:
        keys += [f"rewards/{c}/mean", f"rewards/{c}/std"]
    i = 0
    while len(keys) < n:
        keys.append(f"extra/{i}")
        i += 1
    return keys[:n]


def step_values(step: int, keys: list[str], rng: random.Random) -> dict[str, float]:
    rise = 1 - math.exp(-step / 400)
    out = {}
    for k in keys:
        if k == "reward":
            out[k] = 0.3 + 0.4 * rise + rng.gauss(0, 0.03)
        elif k == "reward_std":
            out[k] = 0.1 + rng.random() * 0.02
        else:
            out[k] = rng.random() * (1 + rise)
    return out


def write_steps(store: Store, run_id: str, steps: range, keys: list[str], rng: random.Random) -> None:
    """Metric rows for these steps, in one transaction."""
    store.add_metric_steps(run_id, {s: step_values(s, keys, rng) for s in steps})


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--run-id", required=True)
    p.add_argument("--name", default=None)
    p.add_argument("--prefill", type=int, default=0)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--keys", type=int, default=30)
    p.add_argument("--sample-every", type=int, default=0, help="write held-out samples every N steps (0: never)")
    p.add_argument("--png", type=Path, default=None, help="a PNG to use as every sample's render")
    p.add_argument("--warn-at", type=int, default=None, help="write a collapse warning at this step")
    p.add_argument("--status-at-end", default="finished")
    args = p.parse_args(argv)
    store = Store(timeout=30)
    rng = random.Random(0)
    keys = metric_keys(args.keys)
    runs.start_run(store, args.run_id, name=args.name or args.run_id, kind="synthetic", config={"synthetic": True},
                   run_dir=None, pid=os.getpid())
    digest = None
    if args.png is not None:
        png = args.png.read_bytes()
        store.save_render(f"// synthetic {args.run_id}", 0, 64, 64, png=png, ms=1.0)
        digest = bytes_hash(png)
    for start in range(0, args.prefill, 2000):
        write_steps(store, args.run_id, range(start, min(args.prefill, start + 2000)), keys, rng)
    for step in range(args.prefill, args.prefill + args.steps):
        write_steps(store, args.run_id, range(step, step + 1), keys, rng)
        if args.sample_every and step % args.sample_every == 0:
            runs.add_samples(store, args.run_id, [
                {"step": step, "prompt": prompt, "completion": "```js\n// sketch\n```",
                 "code": f"// step {step}\nfunction setup(){{}}", "png_hash": digest,
                 "components": {"gate": 1.0, "colour": rng.random()}, "total": rng.random(),
                 "checkpoint": f"checkpoint-{step}", "split": "heldout", "seed": 0}
                for prompt in ("a peach hibiscus in watercolour", "a blue iris in ink")])
        if args.warn_at is not None and step == args.warn_at:
            runs.add_event(store, args.run_id, step, "collapse", "diversity, length and entropy fell together")
        time.sleep(args.interval)
    runs.set_run_status(store, args.run_id, args.status_at_end)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
