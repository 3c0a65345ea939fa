"""`brushwork generate`: a model writes sketches for a prompt set (or the pool's thin colours) into the library.

  brushwork generate --prompts FILE --generator openai --base-url URL -n 20
  brushwork generate --thin -n 12          # prompts in the colours with too few loved references
  brushwork generate --colour peach -n 6   # "generate peach supplements"
  brushwork generate --model RUN_DIR[/checkpoint-N] -n 8   # a trained checkpoint (default: the run's held-out prompts)

Progress bar on stderr; the last stdout line is JSON: counts, sketch ids and the cost.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from core.prompts.commands import add_generator_args, generator_config
from core.prompts.generate import generate_into_library, prompts_for_colours, thin_colour_groups
from core.prompts.generators import GeneratorError, make_generator
from core.prompts.system import PromptError, load_prompt_set, system_prompt, training_prompt
from core.render import BrowserUnavailable, SyncRenderer
from core.store import Store

# core.train for --model RUN_DIR only: the trained-checkpoint path (.importlinter names this exception)
from core.train.config import system_message
from core.train.heldout_eval import heldout_prompts
from core.train.trained import CheckpointGenerator, TrainedModelError, resolve_checkpoint


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="generate sketches with a model into the library (ready to rate)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--prompts", type=Path, default=None, help="prompt set, one a line (default: bundled)")
    src.add_argument("--thin", action="store_true", help="prompts in the pool's thin colour groups")
    src.add_argument("--colour", action="append", default=None, help="prompts in this colour group (repeatable)")
    p.add_argument("-n", type=int, default=10, help="how many sketches")
    p.add_argument("--min-love", type=int, default=10, help="--thin: a group with fewer loved images is thin")
    p.add_argument("--system", default=None, help="system prompt: allowlist, full-reference or a file "
                   "(default: the promoted training prompt, else allowlist)")
    p.add_argument("--size", type=int, default=512, help="render side in px")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-pool", action="store_true", help="keep the renders out of the rating pool")
    p.add_argument("--json", action="store_true", help="only the JSON summary on stdout")
    add_generator_args(p, model_help="model name the endpoint knows, or a training run folder "
                       "(RUN_DIR: its last checkpoint; RUN_DIR/checkpoints/checkpoint-N: that one), sampled locally")
    p.set_defaults(func=run)


def _checkpoint(args: argparse.Namespace):
    """The run checkpoint `--model` names when it is a folder (None for a model name an endpoint knows)."""
    if not args.model or not Path(args.model).expanduser().is_dir():
        return None
    return resolve_checkpoint(args.model)


def _prompts(args: argparse.Namespace, ckpt=None) -> tuple[list[str], str]:

    if args.thin:
        groups = thin_colour_groups(args.min_love)
        if not groups:
            raise ValueError(f"no colour group has fewer than {args.min_love} loved images: nothing is thin.")
        return prompts_for_colours(groups, args.n, seed=args.seed), "supplement"
    if args.colour:
        return prompts_for_colours(args.colour, args.n, seed=args.seed), "supplement"
    if ckpt is not None and args.prompts is None:
        base = heldout_prompts(ckpt.config)  # the prompts its progress was judged on, never trained on
    else:
        base = load_prompt_set(args.prompts)
    return [base[i % len(base)] for i in range(args.n)], "library"


def run(args: argparse.Namespace) -> int:
    provenance: dict = {}
    try:
        ckpt = _checkpoint(args)
        prompts, pool_source = _prompts(args, ckpt)
        if ckpt is not None:
            if args.system:
                raise ValueError("--system does not apply to a checkpoint: it writes with its run's own prompt format.")
            system, gen = system_message(ckpt.config), CheckpointGenerator(ckpt)
            provenance = {"run_dir": str(ckpt.run_dir), "checkpoint": ckpt.name}
        else:
            system = system_prompt(args.system) if args.system else training_prompt()
            gen = make_generator(generator_config(args))
    except (PromptError, GeneratorError, TrainedModelError, ValueError) as e:
        print(f"brushwork generate: {e}", file=sys.stderr)
        return 2
    store = Store()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with SyncRenderer(pool_size=1) as renderer, Progress(*columns, console=Console(file=sys.stderr),
                                                             transient=True) as bar:
            task = bar.add_task("generating", total=2 * len(prompts))
            report = generate_into_library(
                store, gen, system, prompts, renderer, size=args.size, seed=args.seed,
                concurrency=args.concurrency, pool_source=None if args.no_pool else pool_source,
                on_progress=lambda done, what: bar.update(task, completed=done, description=what),
                run_id=ckpt.run_id if ckpt else None, step=ckpt.step if ckpt else None, provenance=provenance)
    except BrowserUnavailable as e:
        print(f"brushwork generate: {e}", file=sys.stderr)
        return 2
    finally:
        store.close()
    if not args.json:
        c = report.cost
        print(f"{report.generated}/{report.requested} sketches into the library, {report.rendered} rendered, "
              f"{report.pooled} in the pool to rate, {report.hallucinated} with unknown APIs; "
              f"{c['calls']} calls, {c['tokens_in']}+{c['tokens_out']} tokens, ${c['cost_usd']:.4f}")
        for failure in report.failures[:5]:
            print(f"  failed: {failure}")
    print(json.dumps(report.to_dict()), flush=True)
    return 0 if report.generated else 1
