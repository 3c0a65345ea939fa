"""`brushwork ...` — thin subcommands that call the modules of core (`studio` starts `python -m studio`)."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from core.paths import REPO_ROOT
from core.version import __version__

# Each module exposes register(subparsers); its parser sets `func` to the command to run.
# Modules load lazily: `brushwork check` must not pay for Playwright, numpy or the pool.
COMMANDS = {
    "check": ("core.sketch.commands", "check a sketch: brush use, unknown APIs, allowlist, tokens"),
    "render": ("core.render.commands", "render a sketch (or a folder of them) to PNG in the sandbox"),
    "pool": ("core.pool.commands", "the rated reference pool: import, stats, export"),
    "score": ("core.reward.commands", "render and score a sketch (or a batch) with a rubric preset"),
    "rubric": ("core.reward.rubric_commands", "rubric tools: diagnose a window of scored rollouts"),
    "bench": ("core.bench", "run a benchmark by name (`brushwork bench -h` lists them)"),
    "rm": ("core.reward.learned.commands", "the learned reward model: train, eval, info, demo-pool"),
    "subject": ("core.reward.subject.commands", "the offline reward's subject recogniser: train, info"),
    "prompt": ("core.prompts.commands", "system prompts: show, measure, evolve with GEPA, promote to training"),
    "generate": ("core.prompts.generate_commands", "generate sketches with a model into the library (ready to rate)"),
    "doctor": ("core.doctor", "what is installed and what is missing, each with its fix"),
    "model": ("core.train.model_cli", "build a model locally (tiny: tokenizer + small LM from the corpus)"),
    "sft": ("core.train.sft_cli", "warm-start the tiny model on the procedural corpus"),
    "train": ("core.train.train_cli", "run GRPO training (TRL + LoRA) as its own process"),
    "runs": ("core.train.runs_cli", "training runs: list them, show one's figures, export metrics and samples"),
    "export": ("core.train.export_cli", "export a run's trained model: the LoRA adapter or a merged model, with a card"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser for `command`; for None, every command (imports them all)."""
    parser = argparse.ArgumentParser(prog="brushwork", description="Teach a language model to paint with p5.brush.")
    parser.add_argument("--version", action="version", version=f"brushwork {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if command in (None, name):
            importlib.import_module(module_name).register(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    studio = sub.add_parser("studio", help="open the desktop studio (same as `python -m studio`)")
    studio.set_defaults(func=lambda args: run_studio([]))
    return parser


def run_studio(studio_args: list[str]) -> int:
    """Become the studio (`python -m studio`) with os.execve: core never imports Qt or the studio, and
    there is no parent left behind whose `kill` would orphan the studio and its Chromium."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, [sys.executable, "-m", "studio", *studio_args], env)
    except OSError as e:  # execve returns only when it failed
        print(f"brushwork: cannot start the studio: {e.strerror}", file=sys.stderr)
        return 2
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    if command == "studio" and "-h" not in argv[: argv.index("studio")]:
        return run_studio(argv[argv.index("studio") + 1:])  # its arguments are the studio's own
    args = build_parser(command if command in COMMANDS else "").parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
