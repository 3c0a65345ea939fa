"""`brushwork score FILE.js --prompt "…" --rubric PRESET [--seed N] [--json]` and `score --batch DIR|PARQUET`.

Renders in the sandbox, checks, scores, and prints {"total", "components", "gates", "missing",
"refs", "cost", ...}. Exit 0 when a total was computed, 1 when it could not be, 2 for bad input.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from core.pool.pool import RatingPool
from core.reward.rubric import load_rubric
from core.reward.scoring import read_items, score_items, score_record, with_judge_overrides
from core.reward.types import RewardError
from core.sketch.errors import UnreadableInput
from core.store import Store, StoreError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="render and score a sketch (or a batch) with a rubric preset")
    p.add_argument("path", nargs="?", type=Path, help="a sketch .js (or a model's output)")
    p.add_argument("--batch", type=Path, help="a folder of .js files or a parquet with prompt + completion|code")
    p.add_argument("--prompt", help="the prompt (default: the file's `// prompt:` line)")
    p.add_argument("--rubric", default="offline-default", help="preset name or .toml path (default offline-default)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=int, default=512)
    p.add_argument("--timeout", type=float, default=30.0, help="render seconds per sketch")
    p.add_argument("--judge-url", help="OpenAI-compatible server for the rubric's judges (vLLM, Ollama, …)")
    p.add_argument("--judge-model", help="model name for the rubric's OpenAI-compatible judges")
    p.add_argument("-o", "--output", type=Path, help="parquet file for --batch (default: next to the input)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    source = args.batch or args.path
    if source is None:
        print("brushwork score: give a sketch file, or --batch DIR|PARQUET.", file=sys.stderr)
        return 2
    if not source.exists():
        print(f"brushwork score: {source}: no such file or folder.", file=sys.stderr)
        return 2
    try:
        rubric = with_judge_overrides(load_rubric(args.rubric), args.judge_url, args.judge_model)
        items = read_items(source, args.prompt)
    except (RewardError, UnreadableInput, ValueError) as e:
        print(f"brushwork score: {e}", file=sys.stderr)
        return 2
    if not items:
        print(f"brushwork score: nothing to score in {source}.", file=sys.stderr)
        return 2
    if not args.batch and not items[0]["prompt"]:
        print("brushwork score: no prompt; pass --prompt \"…\" (or put a `// prompt:` line in the file).",
              file=sys.stderr)
        return 2
    return asyncio.run(_score(args, rubric, items, source))


def _open_store():

    try:
        store = Store()
    except StoreError as e:
        print(f"brushwork score: no library database ({e}); scoring without cache or pool.", file=sys.stderr)
        return None, None
    return store, RatingPool(store)


async def _score(args: argparse.Namespace, rubric, items: list[dict], source: Path) -> int:

    store, pool = _open_store()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, transient=True, console=Console(file=sys.stderr),
                      disable=not args.batch) as bar:
            task = bar.add_task("rendering", total=len(items))
            rollouts, scores, notes = await score_items(
                items, rubric, seed=args.seed, size=args.size, timeout=args.timeout, store=store, refs_pool=pool,
                on_progress=lambda n: bar.advance(task, n))
    finally:
        if store is not None:
            store.close()
    if args.batch:
        return _write_batch(args, source, items, rollouts, scores, notes)
    rollout, score = rollouts[0], scores[0]
    out = {"file": str(source), "prompt": rollout.prompt, "rubric": rubric.name, **score.to_dict(),
           "render": _render_summary(rollout), "run_notes": notes}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        _print_human(out)
    return 0 if score.total is not None else 1


def _render_summary(rollout) -> dict:
    r = rollout.render
    if r is None:
        return {"ok": False, "error": "not rendered"}
    return {"ok": r.ok, "ms": round(r.ms, 1), "error": r.error.to_dict() if r.error else None}


def _print_human(out: dict) -> None:
    total = "n/a" if out["total"] is None else f"{out['total']:.3f}"
    print(f"{out['file']}  total {total}  ({out['rubric']})")
    for kind in ("gates", "components"):
        for name, value in out[kind].items():
            print(f"  {kind[:-1]:9s} {name:18s} {'—' if value is None else f'{value:.3f}'}")
    for line in out["missing"] and [f"missing: {', '.join(out['missing'])}"] or []:
        print("  " + line)
    for note in out["notes"] + out["run_notes"]:
        print(f"  note: {note}")


def _write_batch(args, source: Path, items, rollouts, scores, notes) -> int:
    import pyarrow as pa  # deferred: heavy (pyarrow): batch output only
    import pyarrow.parquet as pq  # deferred: heavy (pyarrow)

    rows = [score_record(it["name"], r, s) for it, r, s in zip(items, rollouts, scores, strict=True)]
    out = args.output or (source / "scores.parquet" if source.is_dir() else source.with_suffix(".scores.parquet"))
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), out)
    scored = sum(1 for s in scores if s.total is not None)
    summary = {"output": str(out), "rows": len(rows), "scored": scored, "cost": scores[0].cost if scores else {},
               "run_notes": notes}
    print(json.dumps(summary) if args.json else f"{scored}/{len(rows)} scored → {out}")
    return 0 if scored == len(rows) else 1
