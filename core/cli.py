"""`brushwork ...` — thin subcommands that call the modules of core (and start the studio)."""
from __future__ import annotations

import argparse
import importlib
import sys

# Each module exposes register(subparsers); its parser sets `func` to the command to run.
# Modules load lazily: `brushwork check` must not pay for Playwright, numpy or the pool.
COMMANDS = {
    "check": ("core.sketch.commands", "check a sketch: brush use, unknown APIs, allowlist, tokens"),
    "render": ("core.render.commands", "render a sketch (or a folder of them) to PNG in the sandbox"),
    "pool": ("core.pool.commands", "the rated reference pool: import, stats, export"),
    "bench": ("core.bench", "run a benchmark (render, editor, rating)"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser for `command`; for None, every command (imports them all)."""
    parser = argparse.ArgumentParser(prog="brushwork", description="Teach a language model to paint with p5.brush.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if command in (None, name):
            importlib.import_module(module_name).register(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
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
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command if command in COMMANDS else "").parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
