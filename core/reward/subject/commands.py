"""`brushwork subject train | info` — the subject recogniser from the command line."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, fields

from core.render.types import BrowserUnavailable
from core.reward.subject.model import model_dir, read_meta, recogniser_problem
from core.reward.subject.train import TrainSettings, train_recogniser
from core.reward.types import RewardError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("subject", help="the subject recogniser of the offline reward: train, info")
    cmds = p.add_subparsers(dest="subject_command", required=True)
    tr = cmds.add_parser("train", help="render corpus sketches by subject and negatives, train, save in the data home")

    for f in fields(TrainSettings):
        tr.add_argument("--" + f.name.replace("_", "-"), type=int, default=f.default)
    tr.add_argument("--if-missing", action="store_true",
                    help="do nothing when a recogniser that scores here is already trained (one made for older features is retrained)")
    tr.add_argument("--json", action="store_true")
    tr.set_defaults(func=cmd_train)
    info = cmds.add_parser("info", help="what the trained recogniser knows and how well it did on held-out renders")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=cmd_info)


def cmd_train(args: argparse.Namespace) -> int:
    if args.if_missing and recogniser_problem() is None:
        print("subject recogniser already trained (brushwork subject info); skipping", file=sys.stderr)
        return 0
    settings = TrainSettings(**{f.name: getattr(args, f.name) for f in fields(TrainSettings)})
    if settings.per_subject < 2 or settings.negatives < 2 or settings.steps < 1:
        print("brushwork subject train: --per-subject and --negatives must be at least 2, --steps at least 1.",
              file=sys.stderr)
        return 2
    shown: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        tenth = done * 10 // total
        if shown.get(stage) != tenth:
            shown[stage] = tenth
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)

    try:
        meta = train_recogniser(settings, on_progress=progress)
    except (RewardError, BrowserUnavailable) as e:
        print(f"brushwork subject train: {e}", file=sys.stderr)
        return 1
    _print(asdict(meta), args.json)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    meta = read_meta()
    if meta is None:
        print(f"no subject recogniser in {model_dir()}. Train one: brushwork subject train", file=sys.stderr)
        return 1
    _print(asdict(meta), args.json)
    return 0


def _print(data: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, indent=2))
        return
    acc = data.get("heldout_accuracy")
    print(f"subject recogniser: {', '.join(data['labels'])}")
    print(f"  held-out accuracy {'n/a' if acc is None else f'{acc:.3f}'} on {data['heldout_images']} renders "
          f"(trained on {data['train_images']}, {data['steps']} steps, {data['seconds']} s)")
    for label, value in data.get("heldout_by_label", {}).items():
        print(f"    {label:10s} {value:.2f}")
