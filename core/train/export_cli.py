"""`brushwork export RUN_DIR[/checkpoints/checkpoint-N] --adapter OUT | --merge OUT [--json]`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.train.commands import cap_torch_threads

# core.train.export and core.train.trained (torch, transformers, peft, Playwright) load inside run(), after the
# arguments are parsed.


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a run's trained model: the LoRA adapter or a merged model, with a card")
    p.add_argument("run", type=Path, help="a run folder (its last checkpoint) or RUN_DIR/checkpoints/checkpoint-N")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--adapter", type=Path, metavar="OUT", help="save the LoRA adapter (small; needs the base model)")
    what.add_argument("--merge", type=Path, metavar="OUT", help="save the base model with the adapter merged in")
    p.add_argument("--json", action="store_true", help="only the JSON report on stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.store import Store, StoreError  # deferred: heavy (sqlite_utils)
    from core.train.export import export_model  # deferred: heavy (playwright, sqlite_utils)
    from core.train.trained import TrainedModelError, resolve_checkpoint  # deferred: heavy (playwright)

    kind, out = ("adapter", args.adapter) if args.adapter else ("merged", args.merge)
    try:
        ref = resolve_checkpoint(args.run)
    except TrainedModelError as e:
        print(f"brushwork export: {e}", file=sys.stderr)
        return 2
    cap_torch_threads()
    try:
        store = Store()
    except StoreError as e:  # the card then says the figures are not here; the model still exports
        print(f"brushwork export: no held-out figures in the card: {e}", file=sys.stderr)
        store = None
    try:
        report = export_model(ref, out, kind, store)
    except (TrainedModelError, OSError) as e:
        print(f"brushwork export: {e}", file=sys.stderr)
        return 2
    finally:
        if store is not None:
            store.close()
    if not args.json:
        print(f"{kind} of {ref.run_id}/{ref.name} (step {ref.step}) -> {report['out']}: {', '.join(report['files'])}")
    print(json.dumps(report), flush=True)
    return 0
