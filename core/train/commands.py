"""`brushwork model tiny`, `brushwork sft` and `brushwork train`: thin CLI over core/train."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core.paths import data_home
from core.train.config import ConfigError, help_text
from core.train.sft import SftConfig, run_sft
from core.train.tiny import TinySpec, make_tiny

# torch (inside core.train.tiny, sft and runner), Playwright (core.render) and the store (sqlite_utils, also
# through core.train.distributed) load inside the command that needs them: `--help`, `--help-config` and a
# refused config answer without loading any of them.


def cap_torch_threads(default: int = 2) -> None:
    """On a small shared CPU, torch's default thread pool spins against other processes: cap it at
    $BRUSHWORK_TORCH_THREADS, else `default`."""
    import torch  # deferred: heavy (torch)

    torch.set_num_threads(threads_from_env(default))


def threads_from_env(default: int) -> int:
    """$BRUSHWORK_TORCH_THREADS as a positive count, `default` when it is unset or empty; anything else is a
    ConfigError that says what is wrong."""
    raw = os.environ.get("BRUSHWORK_TORCH_THREADS", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"BRUSHWORK_TORCH_THREADS={raw!r}: give a whole number of threads, 1 or more, or unset it.")
    return int(raw)


def training_threads(cores: int | None = None, local_processes: int | None = None) -> int:
    """torch threads for one GRPO process: half of its share of the cores. The render browser needs the
    other half: it loads the next group's pages while the model generates and updates. Measured on 2 cores
    (tiny-cpu, 16 steps, two runs each): 1 thread gave a 5.3-5.8 s step (generation 2.1-2.4 s, render
    2.3-2.8 s), 2 threads 6.8-7.4 s (generation 2.7-2.8 s, render 3.6-3.7 s): the second thread spun
    against the page loads and lost on both."""
    cores = cores or os.cpu_count() or 1
    local_processes = local_processes or int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    return max(1, cores // (2 * max(1, local_processes)))


def register_model(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("model", help="build a model locally: `brushwork model tiny`")
    p.add_argument("kind", choices=["tiny"], help="tiny: BPE tokenizer + small Qwen3-style LM from the corpus")
    p.add_argument("--out", type=Path, help="folder (default <data home>/models/tiny)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size")
    p.add_argument("--layers", type=int, default=4, help="transformer blocks")
    p.set_defaults(func=_model)


def _model(args: argparse.Namespace) -> int:
    from core.store.home import TINY_MODEL, under_home  # deferred: heavy (sqlite_utils)

    cap_torch_threads()
    out = args.out or under_home(TINY_MODEL)
    summary = make_tiny(out, TinySpec(hidden_size=args.hidden, layers=args.layers))
    print(f"tiny model: {summary['parameters']:,} parameters, vocab {summary['vocab']}, "
          f"~{summary['mean_tokens']:.0f} tokens per corpus sketch -> {out}")
    return 0


def register_sft(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sft", help="warm-start the tiny model on the procedural corpus")
    for name, f in SftConfig.__dataclass_fields__.items():
        p.add_argument(f"--{name.replace('_', '-')}", type=type(f.default), default=f.default, help=f.metadata["help"])
    p.set_defaults(func=_sft)


def _sft(args: argparse.Namespace) -> int:
    from core.render import SyncRenderer  # deferred: heavy (playwright)

    cap_torch_threads()
    cfg = SftConfig(**{k: getattr(args, k) for k in SftConfig.__dataclass_fields__})
    try:
        with SyncRenderer(pool_size=1) as renderer:
            report = run_sft(cfg, data_home(), renderer)
    except FileNotFoundError as e:
        print(f"brushwork sft: {e}", file=sys.stderr)
        return 2
    line = {k: report[k] for k in ("steps", "seconds", "nonblank", "reached_target", "path")}
    print(json.dumps({**line, "target_nonblank": cfg.target_nonblank}))
    return 0 if report["reached_target"] else 1


def register_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="run GRPO training (TRL + LoRA) in this process")
    p.add_argument("config", nargs="?", type=Path, help="run config TOML (resources/train/tiny-cpu.toml)")
    p.add_argument("--run-dir", type=Path, help="run directory (default <data home>/runs/<name>-<time>)")
    p.add_argument("--resume", type=Path, metavar="RUN_DIR", help="continue a run from its last checkpoint")
    p.add_argument("--steps", type=int, help="override grpo.steps")
    p.add_argument("--help-config", action="store_true", help="list every config setting with its help")
    p.set_defaults(func=_train)


def _train(args: argparse.Namespace) -> int:
    if args.help_config:
        print(help_text())
        return 0
    if not args.config and not args.resume:
        print("brushwork train: give a config (e.g. resources/train/tiny-cpu.toml) or --resume RUN_DIR.", file=sys.stderr)
        return 2
    from core.train.distributed import zero3_refusal  # deferred: heavy (sqlite_utils)

    refusal = zero3_refusal()
    if refusal:
        print(f"brushwork train: {refusal}", file=sys.stderr)
        return 2
    from core.train.runner import RunError, run_training  # deferred: heavy (playwright, sqlite_utils)

    try:
        return run_training(config_path=args.config, run_dir=args.run_dir, resume=args.resume, steps=args.steps)
    except (ConfigError, RunError) as e:
        print(f"brushwork train: {e}", file=sys.stderr)
        return 2
