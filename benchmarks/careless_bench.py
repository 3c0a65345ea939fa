"""Careless benchmark: how much offline-default prefers a careful corpus sketch to its careless twin.

The SFT corpus leaves the subject's last part out in 40 % of its sketches (core/train/corpus.py); the tiny
run's held-out rise is GRPO learning not to. That only works where the reward prefers the whole subject, so
this renders both versions of `--per-subject` training prompts of each subject (the same seed: the same
jitter) at the training size and reports, per subject, the mean of careful minus careless and how often the careless one wins.

Run with `brushwork bench careless [--json] [--per-subject 6] [--size 128]`. Needs the subject recogniser in the
data home (`brushwork subject train`, or `make demo`). Last line of --json is JSON.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    from core.reward.rubric import load_rubric
    from core.reward.scoring import score_items
    from core.reward.subject.model import recogniser_problem
    from core.train.corpus import SUBJECTS, sketch_code, train_specs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="end with one JSON line")
    ap.add_argument("--per-subject", type=int, default=6, help="training prompts of each subject to render twice")
    ap.add_argument("--size", type=int, default=128, help="render size (tiny-cpu trains at 128)")
    args = ap.parse_args(argv)
    missing = recogniser_problem()
    if missing:
        print(f"bench careless: {missing}", file=sys.stderr)
        return 2
    rng = random.Random(7)
    specs = [s for subject in SUBJECTS
             for s in rng.sample([t for t in train_specs() if t.subject == subject], args.per_subject)]
    items = [{"prompt": s.prompt, "completion": sketch_code(s, seed=1, careless=careless), "subject": s.subject}
             for s in specs for careless in (False, True)]
    t0 = time.perf_counter()
    _, scores, notes = asyncio.run(score_items(items, load_rubric("offline-default"), size=args.size))
    seconds = time.perf_counter() - t0
    by: dict[str, list[float]] = defaultdict(list)
    unmeasured = 0
    for i in range(0, len(items), 2):
        careful, careless = scores[i].total, scores[i + 1].total
        if careful is None or careless is None:
            unmeasured += 1
            continue
        by[items[i]["subject"]].append(careful - careless)
    rows = {s: {"prompts": len(by[s]), "mean_delta": round(statistics.fmean(by[s]), 4),
                "careless_wins": sum(d < 0 for d in by[s])} for s in SUBJECTS if by[s]}
    for note in notes:
        print(f"note: {note}")
    print(f"careful minus careless, offline-default at {args.size} px ({seconds:.0f} s):")
    for s, r in sorted(rows.items(), key=lambda kv: -kv[1]["mean_delta"]):
        print(f"  {s:9s} {r['mean_delta']:+.3f} over {r['prompts']} prompts; the careless one wins {r['careless_wins']}")
    deltas = [d for v in by.values() for d in v]
    out = {"prompts": len(deltas), "unmeasured": unmeasured, "size": args.size,
           "mean_delta": round(statistics.fmean(deltas), 4) if deltas else None,
           "careless_wins": sum(d < 0 for d in deltas), "by_subject": rows, "seconds": round(seconds, 1)}
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
