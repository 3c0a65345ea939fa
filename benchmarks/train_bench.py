"""Training benchmark: one GRPO run of a preset (default tiny-cpu), then its figures from the store.

Run with `brushwork bench train [--json] [--config TOML] [--steps N] [--from-run RUN_DIR]`. It runs
`brushwork train` as its own process (needs `brushwork model tiny` + `brushwork sft` first), then reads:
the per-step medians of generation_ms, render_ms, reward_ms and update_ms (see core/train/callbacks.py
for where one step is cut); heldout_reward_first / heldout_reward_last (held-out prompts, several seeds,
rendered and scored with the run's rubric: the SFT model and the last checkpoint) with their paired
rise over prompts (heldout_prompts, heldout_delta, heldout_ci_low, heldout_ci_high, heldout_p_value:
core/train/rise.py) and the independent signal's (independent_*), the seconds one evaluation took
(heldout_seconds) and the live rubric diagnostics' events; the collapse
monitor's within-group diversity (image ΔE, code distance) averaged over the first and last five
steps; and copies the contact sheet to artifacts/train_contact_sheet.png. --from-run reads a finished
run without training. The last line of --json output is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from core.paths import REPO_ROOT
from core.store import Store, runs
from core.train.heldout_runner import rise_figures, rise_sentences, stored_rise
from core.train.live_diagnostics import EVENT_KINDS as DIAGNOSTIC_KINDS

TIMING = ("generation_ms", "render_ms", "reward_ms", "update_ms", "step_ms")


def figures(store: Store, run_id: str) -> dict:
    """The benchmark's figures for one run, from its metric rows."""
    def series(key: str) -> list[tuple[int, float]]:
        return [(step, value) for step, _, value in runs.metric_rows(store, run_id, [key]) if value is not None]

    def ends(key: str, n: int = 5) -> tuple[float | None, float | None]:
        vals = [v for s, v in series(key) if s > 0]
        return (statistics.fmean(vals[:n]) if vals else None, statistics.fmean(vals[-n:]) if vals else None)

    out: dict = {"run_id": run_id, "steps": max((s for s, _ in series("reward")), default=0)}
    for key in TIMING:
        vals = [v for _, v in series(key)]
        out[key] = round(statistics.median(vals), 1) if vals else None
    held = series("heldout/reward")
    out["heldout_reward_first"] = held[0][1] if held else None
    out["heldout_reward_last"] = held[-1][1] if len(held) > 1 else None
    out["heldout_steps"] = [s for s, _ in held]
    nonblank = series("heldout/nonblank")
    out["heldout_nonblank_first"], out["heldout_nonblank_last"] = (nonblank[0][1], nonblank[-1][1]) if nonblank else (None, None)
    for key in ("diversity/image", "diversity/code", "completions/mean_length", "entropy", "reward"):
        first, last = ends(key)
        name = key.replace("/", "_").replace("completions_", "")
        out[f"{name}_first"], out[f"{name}_last"] = first, last
    out["collapse_warnings"] = runs.event_counts(store, run_id).get("collapse", 0)
    seconds = [v for _, v in series("heldout/seconds")]
    out["heldout_seconds"] = round(statistics.median(seconds), 1) if seconds else None
    rise = stored_rise(store, run_id)
    out.update(rise_figures(rise))
    out["rise"] = rise_sentences(rise)
    out["diagnostics_events"] = {k: n for k, n in runs.event_counts(store, run_id).items() if k in DIAGNOSTIC_KINDS}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "resources" / "train" / "tiny-cpu.toml")
    parser.add_argument("--steps", type=int, help="override the preset's steps")
    parser.add_argument("--run-dir", type=Path, help="where the run goes (default: a new folder in the data home)")
    parser.add_argument("--from-run", type=Path, metavar="RUN_DIR", help="report an existing run; do not train")
    args = parser.parse_args()
    run_dir = args.from_run
    if run_dir is None:
        from core.train.rundir import new_run_dir

        run_dir = args.run_dir or new_run_dir("bench-train")
        cmd = [sys.executable, "-m", "core.cli", "train", str(args.config), "--run-dir", str(run_dir)]
        if args.steps:
            cmd += ["--steps", str(args.steps)]
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        code = subprocess.call(cmd, cwd=REPO_ROOT, env=env, stdout=sys.stderr if args.json else None)
        if code != 0:
            print(f"train bench: `brushwork train` exited with {code}", file=sys.stderr)
            return code
    store = Store()
    try:
        report = figures(store, run_dir.name)
    finally:
        store.close()
    sheet = run_dir / "contact_sheet.png"
    if sheet.exists():
        (REPO_ROOT / "artifacts").mkdir(exist_ok=True)
        shutil.copy(sheet, REPO_ROOT / "artifacts" / "train_contact_sheet.png")
        report["contact_sheet"] = str(REPO_ROOT / "artifacts" / "train_contact_sheet.png")
    if args.json:
        print(json.dumps(report))
    else:
        for k, v in report.items():
            if k != "rise":
                print(f"{k:>28}: {v}")
        for line in report["rise"]:  # last, as `make demo` ends
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
