"""`brushwork bench NAME` runs benchmarks/NAME_bench.py from the source checkout."""
from __future__ import annotations

import argparse
import runpy
import sys

from core.paths import REPO_ROOT

BENCH_DIR = REPO_ROOT / "benchmarks"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="run a benchmark (render, editor, rating)")
    p.add_argument("name", help="benchmark name: a file benchmarks/NAME_bench.py")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for the benchmark, e.g. --json")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    script = BENCH_DIR / f"{args.name}_bench.py"
    if not script.exists():
        names = sorted(p.name.removesuffix("_bench.py") for p in BENCH_DIR.glob("*_bench.py"))
        print(f"brushwork bench: no benchmark {args.name!r}; have: {', '.join(names) or 'none'}", file=sys.stderr)
        return 2
    sys.argv = [str(script), *args.rest]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as e:
        return int(e.code or 0)
    return 0
