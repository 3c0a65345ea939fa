"""`brushwork rubric diagnose FILE [--weights a=w,b=w] [--json]` and `brushwork rubric show PRESET`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.reward.rubric import load_rubric
from core.reward.types import RewardError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rubric", help="rubric tools: show a preset, diagnose a window of scored rollouts")
    rsub = p.add_subparsers(dest="rubric_command", required=True, metavar="ACTION")
    d = rsub.add_parser("diagnose", help="correlated, saturated and effective-vs-nominal components")
    d.add_argument("file", type=Path, help="JSONL or parquet: one row per rollout with step, group and components")
    d.add_argument("--weights", help="name=w,name=w (default: equal weights)")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_diagnose)
    s = rsub.add_parser("show", help="print a preset's components, weights, gates and judges")
    s.add_argument("preset", help="preset name or .toml path")
    s.set_defaults(func=run_show)


def parse_weights(text: str | None) -> dict[str, float] | None:
    """'a=0.3,b=0.7' → {"a": 0.3, "b": 0.7}; ValueError with the bad part."""
    if not text:
        return None
    out = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--weights: {part!r} is not name=number") from None
    return out


def run_diagnose(args: argparse.Namespace) -> int:
    from core.reward.diagnostics import diagnose, read_rows  # deferred: heavy (scipy): diagnose only

    try:
        rows = read_rows(args.file)
        result = diagnose(rows, parse_weights(args.weights))
    except (OSError, ValueError) as e:
        print(f"brushwork rubric diagnose: {args.file}: {e}", file=sys.stderr)
        return 2
    out = result.to_dict()
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{out['rows']} rollouts in {out['groups']} groups")
    for w in out["warnings"] or [{"kind": "ok", "message": "no warnings"}]:
        print(f"  {w['kind']:10s} {w['message']}")
    return 0


def run_show(args: argparse.Namespace) -> int:

    try:
        rubric = load_rubric(args.preset)
    except RewardError as e:
        print(f"brushwork rubric show: {e}", file=sys.stderr)
        return 2
    print(json.dumps(rubric.to_dict(), indent=2))
    return 0
