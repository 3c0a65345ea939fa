"""`brushwork ...` — thin subcommands that call the modules of core (and start the studio)."""
from __future__ import annotations

import argparse
import importlib
import sys

# Each module exposes register(subparsers); its parser sets `func` to the command to run.
COMMAND_MODULES = [
    "core.sketch.commands",   # check
    "core.render.commands",   # render
    "core.pool.commands",     # pool import / stats / export
    "core.bench",             # bench render | editor | rating
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brushwork", description="Teach a language model to paint with p5.brush.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        module.register(sub)
    studio = sub.add_parser("studio", help="open the desktop studio")
    studio.set_defaults(func=_studio)
    return parser


def _studio(args: argparse.Namespace) -> int:
    try:
        from studio.app import main as studio_main  # Qt only when asked for
    except ImportError as e:
        print(f"brushwork: the studio cannot start: {e}", file=sys.stderr)
        return 2
    return studio_main([])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
