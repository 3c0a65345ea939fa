"""`brushwork pool import | stats | export` — the rating pool from the command line."""
from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from core.atomic import AtomicWriteError
from core.pool import io as pool_io
from core.pool.pool import TIERS, PoolError, RatingPool
from core.store import POOL_SOURCES, Store, StoreError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pool", help="the rating pool: import images, stats, export")
    cmds = p.add_subparsers(dest="pool_command", required=True)

    imp = cmds.add_parser("import", help="import a folder of PNG/JPEG (or an exported .parquet / HF folder)")
    imp.add_argument("path", type=Path)
    imp.add_argument("--source", default="hand", choices=POOL_SOURCES)
    imp.add_argument("--library", action="store_true", help="import the library's latest renders instead")
    imp.set_defaults(func=cmd_import)

    st = cmds.add_parser("stats", help="counts per tier and colour group, thin colours")
    st.add_argument("--json", action="store_true")
    st.add_argument("--min-love", type=int, default=10, help="a colour with fewer love references is thin")
    st.set_defaults(func=cmd_stats)

    ex = cmds.add_parser("export", help="export the pool to parquet or an HF datasets folder")
    ex.add_argument("out", type=Path)
    ex.add_argument("--format", choices=("parquet", "hf"), default="parquet")
    ex.add_argument("--tiers", default="", help="comma-separated tiers to keep (default: all images)")
    ex.set_defaults(func=cmd_export)


def _open() -> RatingPool:
    return RatingPool(Store())


def _says_why(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A database, pool or file error ends in its sentence on stderr and exit 1, never a traceback."""
    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (StoreError, PoolError, AtomicWriteError) as e:
            print(f"brushwork pool: {e}", file=sys.stderr)
            return 1
    return run


@_says_why
def cmd_import(args: argparse.Namespace) -> int:

    pool = _open()
    path: Path = args.path
    if not args.library and not path.exists():
        print(f"brushwork pool: {path} does not exist", file=sys.stderr)
        return 2
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeRemainingColumn(), transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name[-40:])

        try:
            if args.library:
                report = pool_io.import_from_library(pool, progress=progress)
            elif path.suffix == ".parquet":
                report = pool_io.import_parquet(pool, path, progress=progress)
            elif pool_io.is_hf_folder(path):
                report = pool_io.import_hf(pool, path, progress=progress)
            else:
                report = pool_io.import_folder(pool, path, source=args.source, progress=progress)
        except (ValueError, OSError) as e:  # not parquet / not a dataset / unreadable: the input's fault
            print(f"brushwork pool: cannot import {path}: {e}. Give a folder of images, a .parquet or "
                  "an HF datasets folder written by `brushwork pool export`.", file=sys.stderr)
            return 1
    for skipped in report.skipped:
        print(f"skipped {skipped.name}: {skipped.reason}", file=sys.stderr)
    print(report.summary())
    return 0


@_says_why
def cmd_stats(args: argparse.Namespace) -> int:
    stats = _open().stats(min_love=args.min_love)
    if args.json:
        print(json.dumps(stats))
        return 0
    c = stats["counts"]
    print(f"{c['images']} images · {c['rated']} rated · {c['love']} love · {c['okay']} okay · {c['nope']} nope")
    print(f"{'colour':<9}{'images':>7}{'love':>6}{'okay':>6}{'nope':>6}{'unrated':>9}")
    for group, n in stats["colour_groups"].items():
        print(f"{group:<9}{n['images']:>7}{n['love']:>6}{n['okay']:>6}{n['nope']:>6}{n['unrated']:>9}")
    for thin in stats["thin_colours"]:
        print(f"thin: {thin['text']}")
    return 0


@_says_why
def cmd_export(args: argparse.Namespace) -> int:
    pool = _open()
    tiers = tuple(t for t in args.tiers.split(",") if t) or None
    unknown = sorted(set(tiers or ()) - set(TIERS))
    if unknown:
        print(f"brushwork pool: unknown tier {', '.join(unknown)}; use love, okay or nope.", file=sys.stderr)
        return 2
    export = pool_io.export_hf if args.format == "hf" else pool_io.export_parquet
    n = export(pool, args.out, tiers=tiers)
    print(f"exported {n} images to {args.out} ({args.format})")
    return 0
