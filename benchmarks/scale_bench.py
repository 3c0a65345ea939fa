"""Where a GRPO step's time goes with 1 vs N training processes, on the same tiny run, back to back.

    .venv/bin/python benchmarks/scale_bench.py [--steps 3] [--processes 1 2] [--batch 4] [--json out.json]

Each setting is a real `brushwork train` (N > 1: `accelerate launch` with
resources/train/accelerate-cpu-2proc.yaml and --num_processes N) in a fresh data home; the step-time
split (generation / render / reward / update, written by the run's callback) is read back from the
store. Step 1 (warm-up: page pools, first graph) is reported apart from the mean of the others.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.train.tiny_config import write_tiny_run_config  # noqa: E402  (the repository is on the path now)

KEYS = ("generation_ms", "render_ms", "reward_ms", "update_ms", "step_ms", "render_ms_max")


def run_one(work: Path, model: Path, processes: int, steps: int, batch: int, length: int) -> dict:
    """One training run with `processes` processes; its per-step split and wall time."""
    home, cfg = work / f"home-{processes}", work / f"c-{processes}.toml"
    write_tiny_run_config(cfg, model, run={"name": "scale", "checkpoint_every": 1000},
                          grpo={"steps": steps, "batch_size": batch, "max_completion_length": length},
                          reward={"render_timeout": 120.0})
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRUSHWORK_HOME": str(home), "BRUSHWORK_TORCH_THREADS": "1",
           "OMP_NUM_THREADS": "1"}
    train = [str(cfg), "--run-dir", str(work / f"run-{processes}")]
    if processes == 1:
        cmd = [sys.executable, "-m", "core.cli", "train", *train]
    else:
        from core.train.distributed import launch_command

        cmd = launch_command(train, processes)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{processes} process(es) failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    with sqlite3.connect(home / "brushwork.db") as db:
        rows = db.execute(f"SELECT step, key, value FROM metrics WHERE key IN ({','.join('?' * len(KEYS))})", KEYS)
        per_step: dict[int, dict[str, float]] = {}
        for step, key, value in rows:
            per_step.setdefault(step, {})[key] = value
        samples = db.execute("SELECT COUNT(*) FROM samples WHERE split='train'").fetchone()[0]
    later = [per_step[s] for s in sorted(per_step) if s > 1] or [per_step[min(per_step)]]
    mean = {k: sum(r.get(k, 0.0) for r in later) / len(later) for k in KEYS}
    return {"processes": processes, "steps": steps, "completions_per_step": batch * processes,
            "train_samples": samples, "wall_s": wall, "step1": per_step.get(1, {}), "mean_after_step1": mean}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--batch", type=int, default=4, help="completions per process per step")
    ap.add_argument("--length", type=int, default=24, help="max completion tokens")
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from core.train.tiny import TinySpec, make_tiny

    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        work = Path(tmp)
        make_tiny(work / "model", TinySpec(vocab_size=320, hidden_size=32, layers=1, heads=2, corpus_size=200))
        results = [run_one(work, work / "model", n, args.steps, args.batch, args.length) for n in args.processes]
    print(f"{'procs':>5} {'compl/step':>10} " + " ".join(f"{k:>13}" for k in KEYS) + f" {'compl/s':>8}")
    for r in results:
        m = r["mean_after_step1"]
        rate = r["completions_per_step"] / (m["step_ms"] / 1000) if m["step_ms"] else 0.0
        print(f"{r['processes']:>5} {r['completions_per_step']:>10} " + " ".join(f"{m[k]:>13.0f}" for k in KEYS)
              + f" {rate:>8.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
