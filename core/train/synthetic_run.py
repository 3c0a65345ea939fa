"""A synthetic training run for tests and benchmarks of run readers (no model, no torch).

`python -m core.train.synthetic_run --run-id R --prefill 20000 --steps 100 --interval 0.1` writes a
`runs` row owned by this process, optionally `prefill` steps at once, then one step of `keys` metrics
every `interval` seconds, a held-out sample set every `sample_every` steps, and a warning event. It
writes the same tables, in the same shape, as the real runner, through its own connection.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import time
from pathlib import Path

from core.hashing import bytes_hash
from core.paths import data_home
from core.store import Store

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


def write_steps(conn: sqlite3.Connection, run_id: str, steps: range, keys: list[str], rng: random.Random) -> None:
    now = time.time()
    rows = [(run_id, s, k, v, now) for s in steps for k, v in step_values(s, keys, rng).items()]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT OR REPLACE INTO metrics (run_id, step, key, value, at) VALUES (?,?,?,?,?)", rows)
    conn.execute("UPDATE runs SET updated_at = ? WHERE id = ?", (now, run_id))
    conn.execute("COMMIT")


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
    Store().close()  # migrate (creates the tables on a new data home)
    conn = sqlite3.connect(data_home() / "brushwork.db", timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    rng = random.Random(0)
    keys = metric_keys(args.keys)
    now = time.time()
    conn.execute("INSERT OR REPLACE INTO runs (id, name, kind, config, status, pid, run_dir, created_at, updated_at)"
                 " VALUES (?,?,?,?,?,?,?,?,?)", (args.run_id, args.name or args.run_id, "synthetic",
                                                 json.dumps({"synthetic": True}), "running", os.getpid(), None, now, now))
    digest = None
    if args.png is not None:
        png = args.png.read_bytes()
        store = Store()
        store.save_render(f"// synthetic {args.run_id}", 0, 64, 64, png=png, ms=1.0)
        store.close()
        digest = bytes_hash(png)
    for start in range(0, args.prefill, 2000):
        write_steps(conn, args.run_id, range(start, min(args.prefill, start + 2000)), keys, rng)
    for step in range(args.prefill, args.prefill + args.steps):
        write_steps(conn, args.run_id, range(step, step + 1), keys, rng)
        if args.sample_every and step % args.sample_every == 0:
            for prompt in ("a peach hibiscus in watercolour", "a blue iris in ink"):
                conn.execute(
                    "INSERT INTO samples (run_id, step, prompt, completion, code, png_hash, components, total,"
                    " checkpoint, split, seed, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (args.run_id, step, prompt, "```js\n// sketch\n```", f"// step {step}\nfunction setup(){{}}",
                     digest, json.dumps({"gate": 1.0, "colour": rng.random()}), rng.random(),
                     f"checkpoint-{step}", "heldout", 0, time.time()))
        if args.warn_at is not None and step == args.warn_at:
            conn.execute("INSERT INTO run_events (run_id, step, kind, message, data, at) VALUES (?,?,?,?,?,?)",
                         (args.run_id, step, "collapse", "diversity, length and entropy fell together", "{}", time.time()))
        time.sleep(args.interval)
    conn.execute("UPDATE runs SET status = ?, ended_at = ?, pid = NULL WHERE id = ?",
                 (args.status_at_end, time.time(), args.run_id))
    conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
