"""`brushwork rm train | eval | info | demo-pool` — the learned reward model from the command line."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, fields
from pathlib import Path

from core.pool import RatingPool
from core.pool import demo as demo_pool
from core.pool import io as pool_io
from core.reward.learned.artefacts import current_dir, prompt_note, read_meta
from core.reward.learned.config import TrainConfig
from core.reward.types import RewardError
from core.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rm", help="the learned reward model: train, eval, info, demo-pool")
    cmds = p.add_subparsers(dest="rm_command", required=True)

    tr = cmds.add_parser("train", help="train on the pool's tiers (Bradley–Terry over cross-tier pairs)")
    _pool_arg(tr)

    for f in fields(TrainConfig):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            tr.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default, help=f.metadata["help"])
        else:
            kind = {"int": int, "float": float, "str": str}[f.type if isinstance(f.type, str) else f.type.__name__]
            tr.add_argument(flag, type=kind, default=f.default, help=f.metadata["help"])
    tr.add_argument("--json", action="store_true")
    tr.set_defaults(func=cmd_train)

    ev = cmds.add_parser("eval", help="held-out pair accuracy of the current model on the pool, vs the baseline")
    _pool_arg(ev)
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval)

    info = cmds.add_parser("info", help="what the current model was trained on and how well it did")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=cmd_info)

    demo = cmds.add_parser("demo-pool", help="render the demo pool (starters love/okay, poor sketches nope)")
    demo_pool.add_arguments(demo)


def _pool_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pool", type=Path, default=None,
                   help="a data home holding brushwork.db, or an exported pool .parquet (default: this data home)")


def _open_pool(path: Path | None):  # noqa: ANN202 (RatingPool)

    if path is None:
        return RatingPool(Store())
    if path.suffix == ".parquet":
        pool = RatingPool(Store(Path(tempfile.mkdtemp(prefix="brushwork-rm-")) / "brushwork.db"))
        pool_io.import_parquet(pool, path)
        return pool
    db = path / "brushwork.db" if path.is_dir() else path
    if not db.exists():
        raise FileNotFoundError(f"no pool at {path}: give a data home with brushwork.db or a .parquet export.")
    return RatingPool(Store(db))


def cmd_train(args: argparse.Namespace) -> int:
    from core.reward.learned.train import (  # deferred: heavy (scipy)
        TrainConfig,
        train_reward_model,
    )

    cfg = TrainConfig(**{f.name: getattr(args, f.name) for f in fields(TrainConfig)})
    if not args.json:
        print(f"training the reward model: {cfg}", file=sys.stderr)
    try:
        pool = _open_pool(args.pool)
        report = train_reward_model(pool, cfg)
    except (RewardError, FileNotFoundError) as e:
        print(f"brushwork rm: {e}", file=sys.stderr)
        return 1
    out = report.to_dict()
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['pairs']} pairs ({out['heldout_pairs']} held out) from {out['images']} images"
              f"{' (demo pool)' if out['demo_pool'] else ''}: held-out pair accuracy "
              f"{_pct(out['heldout_pair_accuracy'])} vs {_pct(out['baseline_accuracy'])} for "
              f"'more colourful wins'; {out['seconds']} s; saved to {out['path']}")
        print(_heldout_line(out["heldout"], out["heldout_split"]))
        if not out["reads_prompt"]:
            print("image-only model (--no-use-prompt): it ignores the prompt")
    return 0


def _heldout_line(h: dict, split: str) -> str:
    """One sentence on the held-out set: how it was split, same-prompt accuracy, the CI over independent pairs."""
    where = (f"{h['prompts']} prompts never seen in training" if split == "prompt"
             else "images held out by image (too few prompts to hold one out)")
    ci = "n/a" if h.get("ci95") is None else f"{_pct(h['ci95'][0])}–{_pct(h['ci95'][1])}"
    return (f"held out: {where}; same-prompt pairs {_pct(h.get('same_prompt_accuracy'))} of "
            f"{h.get('same_prompt_pairs', 0)}; independent pairs {_pct(h.get('independent_accuracy'))} of "
            f"{h.get('independent_pairs', 0)} (95 % CI {ci})")


def cmd_eval(args: argparse.Namespace) -> int:
    from core.reward.learned.model import evaluate  # deferred: heavy (scipy)

    try:
        out = evaluate(_open_pool(args.pool))
    except (RewardError, FileNotFoundError) as e:
        print(f"brushwork rm: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['pairs']} pairs among {out['images']} images the model did not train on: "
              f"{_pct(out['heldout_pair_accuracy'])} vs {_pct(out['baseline_accuracy'])} for 'more colourful wins'")
        if out["unseen_prompts"] is not None:
            print(_heldout_line(out["unseen_prompts"], "prompt"))
        if out["prompt_note"]:
            print(out["prompt_note"])
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    meta = read_meta()
    if meta is None:
        print("brushwork rm: no reward model has been trained yet. Train one: brushwork rm train.", file=sys.stderr)
        return 1
    out = {**asdict(meta), "path": str(current_dir()), "reads_prompt": meta.reads_prompt, "prompt_note": prompt_note(meta)}
    out.pop("feature_names", None)
    print(json.dumps(out) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f} %"
