"""`brushwork runs list|show|export`: training runs from a terminal (a workstation over SSH, a cluster job).

  brushwork runs list [--json]
  brushwork runs show RUN [--json]                         # RUN: id, unique prefix, run folder or latest
  brushwork runs export RUN [-o OUT] [--format parquet|csv] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="training runs: list them, show one's figures, export metrics and samples")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    ls = verbs.add_parser("list", help="every run, newest first: status, steps, held-out reward first -> last")
    ls.add_argument("--json", action="store_true", help="a JSON list instead of the table")
    ls.set_defaults(func=_list)
    show = verbs.add_parser("show", help="one run: status, checkpoints, held-out figures, reward trend, events")
    show.add_argument("run", help="run id, a unique prefix of it, its run folder, or `latest`")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_show)
    export = verbs.add_parser("export", help="metrics and samples to Parquet or CSV, the contact sheet beside them")
    export.add_argument("run", help="run id, a unique prefix of it, its run folder, or `latest`")
    export.add_argument("-o", "--out", type=Path, help="folder to write (default ./<run id>-export)")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("--json", action="store_true", help="only the JSON report on stdout")
    export.set_defaults(func=_export)


def _fmt(v: float | None, digits: int = 3) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _heldout_span(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "-"
    first, last = rows[0].get("reward"), rows[-1].get("reward")
    return _fmt(first) if len(rows) == 1 else f"{_fmt(first)} -> {_fmt(last)}"


def _list(args: argparse.Namespace) -> int:
    from core.store import Store  # deferred: heavy (sqlite_utils)
    from core.train.runs import heldout_table  # deferred: heavy (pyarrow, scipy, playwright)
    from core.train.tail import list_runs  # deferred: heavy (sqlite_utils)

    store = Store()
    try:
        runs = [(r, heldout_table(store, r.id)) for r in list_runs(store)]
    finally:
        store.close()
    if args.json:
        print(json.dumps([{"id": r.id, "name": r.name, "status": r.status, "last_step": r.last_step,
                           "steps": r.config.get("steps"), "created_at": r.created_at, "run_dir": r.run_dir,
                           "heldout_reward": [h.get("reward") for h in held]} for r, held in runs], indent=2))
        return 0
    if not runs:
        print("no runs yet: `brushwork train CONFIG.toml` starts one")
        return 0
    width = max(len(r.id) for r, _ in runs)
    print(f"{'run':<{width}}  {'status':<8}  {'step':>9}  {'held-out reward':<16}  started")
    for r, held in runs:
        step = f"{r.last_step if r.last_step is not None else '-'}/{r.config.get('steps', '?')}"
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created_at)) if r.created_at else "-"
        print(f"{r.id:<{width}}  {r.status:<8}  {step:>9}  {_heldout_span(held):<16}  {started}")
    return 0


def _with_run(args: argparse.Namespace, fn) -> int:
    """Open the store, find the run, call fn(store, run); a bad reference is a message and exit 2."""
    from core.store import Store  # deferred: heavy (sqlite_utils)
    from core.train.runs import RunNotFound, find_run  # deferred: heavy (pyarrow, scipy, playwright)

    store = Store()
    try:
        try:
            run = find_run(store, args.run)
        except RunNotFound as e:
            print(f"brushwork runs {args.verb}: {e}", file=sys.stderr)
            return 2
        return fn(store, run)
    finally:
        store.close()


def _show(args: argparse.Namespace) -> int:
    from core.train.runs import summarize  # deferred: heavy (pyarrow, scipy, playwright)

    def show(store, run) -> int:
        s = summarize(store, run)
        if args.json:
            print(json.dumps(s, indent=2, default=str))
            return 0
        print(f"run {s['id']} ({s['name']}): {s['status']} at step {s['last_step']} of {s['steps']}")
        print(f"  folder: {s['run_dir']}")
        print(f"  checkpoints: {', '.join(s['checkpoints']) or 'none'}")
        n = s["reward_window"]
        print(f"  training reward, first {n} -> last {n} logged steps: {_fmt(s['reward_first'])} -> "
              f"{_fmt(s['reward_last'])}")
        if s["heldout"]:
            keys = [k for k in ("reward", "delta", "ci_low", "ci_high", "independent", "nonblank")
                    if any(h.get(k) is not None for h in s["heldout"])]
            print("  held-out:  " + "  ".join(f"{k:>15}" for k in keys))
            for h in s["heldout"]:
                print(f"    {h['checkpoint']:<14} (step {h['step']}) " + "  ".join(f"{_fmt(h.get(k)):>15}" for k in keys))
        else:
            print("  held-out: not evaluated yet")
        print(f"  samples: {', '.join(f'{n} {k}' for k, n in sorted(s['samples'].items())) or 'none'}")
        if s["events"]:
            print(f"  events: {', '.join(f'{n} {k}' for k, n in sorted(s['events'].items()))}")
        print(f"  contact sheet: {s['contact_sheet'] or 'not written yet'}")
        if s["error"]:
            print(f"  error: {s['error']}")
        for line in s["rise"]:  # last: what `make demo` ends with
            print(line)
        return 0

    return _with_run(args, show)


def _export(args: argparse.Namespace) -> int:
    from core.train.runs import export_run  # deferred: heavy (pyarrow, scipy, playwright)

    def export(store, run) -> int:
        out = args.out or Path.cwd() / f"{run.id}-export"
        try:
            report = export_run(store, run, out, args.format)
        except OSError as e:
            print(f"brushwork runs export: cannot write {out}: {e.strerror or e}", file=sys.stderr)
            return 2
        if not args.json:
            print(f"{report['steps']} steps x {report['metric_keys']} metrics -> {report['metrics']}")
            print(f"{report['sample_rows']} samples -> {report['samples']}")
            print(f"contact sheet -> {report['contact_sheet'] or 'none (fewer than two held-out evaluations)'}")
        print(json.dumps(report), flush=True)
        return 0

    return _with_run(args, export)
