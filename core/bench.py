"""`brushwork bench NAME` runs benchmarks/NAME_bench.py in its own process.

GUI benchmarks (the editor, the Rate pane) belong to the studio's entry point
(`python -m studio bench NAME`); this command hands them over as a subprocess, so core never
imports Qt or the studio.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from core.paths import REPO_ROOT

BENCH_DIR = REPO_ROOT / "benchmarks"
GUI_BENCHES = ("editor", "rating", "training_pane")  # run through `python -m studio bench NAME`


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help=f"run a benchmark ({', '.join(bench_names())})")
    p.add_argument("name", help="benchmark name: a file benchmarks/NAME_bench.py, one of " + ", ".join(bench_names()))
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for the benchmark, e.g. --json")
    p.set_defaults(func=run)


def bench_names() -> list[str]:
    """Every benchmark there is: the NAME of each benchmarks/NAME_bench.py."""
    return sorted(p.name.removesuffix("_bench.py") for p in BENCH_DIR.glob("*_bench.py"))


def bench_command(name: str, rest: list[str]) -> list[str] | None:
    """The command line that runs benchmark `name`, or None when there is no such benchmark."""
    name = name.replace("-", "_")  # `bench training-pane` runs training_pane_bench.py
    script = BENCH_DIR / f"{name}_bench.py"
    if not script.exists():
        return None
    if name in GUI_BENCHES:
        return [sys.executable, "-m", "studio", "bench", name, *rest]
    return [sys.executable, str(script), *rest]


def run(args: argparse.Namespace) -> int:
    command = bench_command(args.name, args.rest)
    if command is None:
        print(f"brushwork bench: no benchmark {args.name!r}; have: {', '.join(bench_names()) or 'none'}.",
              file=sys.stderr)
        return 2
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        return subprocess.call(command, cwd=REPO_ROOT, env=env)
    except KeyboardInterrupt:
        return 130
