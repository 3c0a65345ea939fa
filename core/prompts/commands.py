"""`brushwork prompt ...`: show system prompts, measure them, evolve them with GEPA, promote one to training.

  prompt show [NAME|FILE]                       print a system prompt (allowlist, full-reference, a file)
  prompt metrics --system NAME|FILE [gen opts]  render / uses-brush / hallucinated-API rates and mean score
  prompt evolve CONFIG [--json] [--budget N]    run or resume a GEPA evolution; last line = seed vs best JSON
  prompt stop RUN_DIR                           ask a running evolution to stop after its current step
  prompt lineage RUN_DIR [--json]               the candidates of a run, rejected proposals included
  prompt promote FILE|RUN_DIR                   use a prompt (or a run's best) as the training system prompt
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from core.prompts.config import ConfigError, GeneratorConfig, load_config
from core.prompts.evolve import request_stop, run_evolution
from core.prompts.generators import CostMeter, GeneratorError, default_tiny_model, make_generator
from core.prompts.lineage import read_lineage
from core.prompts.metrics import prompt_metrics
from core.prompts.scoring import offline_scorer, rubric_scorer
from core.prompts.system import PromptError, load_prompt_set, system_prompt, use_as_training_prompt
from core.render import BrowserUnavailable, SyncRenderer

log = logging.getLogger("brushwork.prompts")


def add_generator_args(p: argparse.ArgumentParser, model_help: str = "model name the endpoint knows") -> None:
    """--generator/--model/--base-url/--api-key-env/--model-path/--concurrency/--price-in/--price-out."""
    g = p.add_argument_group("generator")
    g.add_argument("--generator", default="openai", choices=("openai", "gemini", "local"), help="backend")
    g.add_argument("--model", default=None, help=model_help)
    g.add_argument("--base-url", default=None, help="endpoint URL, e.g. http://127.0.0.1:8000/v1")
    g.add_argument("--api-key-env", default=None, help="environment variable with the key (default OPENAI_API_KEY / GEMINI_API_KEY)")
    g.add_argument("--model-path", default=None, help="local: a transformers model folder (default <data home>/models/tiny)")
    g.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    g.add_argument("--max-tokens", type=int, default=2048, help="longest answer")
    g.add_argument("--price-in", type=float, default=0.0, help="USD per million input tokens (cost accounting)")
    g.add_argument("--price-out", type=float, default=0.0, help="USD per million output tokens")


def generator_config(args: argparse.Namespace) -> GeneratorConfig:
    """A GeneratorConfig from add_generator_args' options."""
    defaults = {"openai": ("gpt-4o-mini", "OPENAI_API_KEY"), "gemini": ("gemini-2.5-flash", "GEMINI_API_KEY"),
                "local": ("local", None)}[args.generator]
    model_path = args.model_path or (str(default_tiny_model()) if args.generator == "local" else None)
    return GeneratorConfig(kind=args.generator, model=args.model or defaults[0], base_url=args.base_url,
                           api_key_env=args.api_key_env or defaults[1], model_path=model_path,
                           concurrency=args.concurrency, max_tokens=args.max_tokens,
                           price_in_per_mtok=args.price_in, price_out_per_mtok=args.price_out)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("prompt", help="system prompts: show, measure, evolve with GEPA, promote to training")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    show = verbs.add_parser("show", help="print a system prompt")
    show.add_argument("name", nargs="?", default="allowlist", help="allowlist, full-reference or a file")
    show.set_defaults(func=_show)
    metrics = verbs.add_parser("metrics", help="measure a system prompt on a prompt set")
    metrics.add_argument("--system", default="allowlist", help="allowlist, full-reference or a file")
    metrics.add_argument("--prompts", type=Path, default=None, help="prompt set, one a line (default: bundled)")
    metrics.add_argument("-n", type=int, default=8, help="how many prompts of the set")
    metrics.add_argument("--size", type=int, default=256, help="render side in px")
    metrics.add_argument("--rubric", default=None, help="score with this reward preset (default: offline structure)")
    metrics.add_argument("--json", action="store_true")
    add_generator_args(metrics)
    metrics.set_defaults(func=_metrics)
    evolve = verbs.add_parser("evolve", help="evolve a system prompt with GEPA (resumable)")
    evolve.add_argument("config", type=Path, help="TOML config (see core/prompts/config.py)")
    evolve.add_argument("--budget", type=int, default=None, help="override max_metric_calls")
    evolve.add_argument("--run-dir", type=Path, default=None, help="override the run folder")
    evolve.add_argument("--json", action="store_true", help="print events as JSON lines")
    evolve.set_defaults(func=_evolve)
    stop = verbs.add_parser("stop", help="stop a running evolution gracefully")
    stop.add_argument("run_dir", type=Path)
    stop.set_defaults(func=_stop)
    lineage = verbs.add_parser("lineage", help="list a run's candidates")
    lineage.add_argument("run_dir", type=Path)
    lineage.add_argument("--json", action="store_true")
    lineage.set_defaults(func=_lineage)
    promote = verbs.add_parser("promote", help="use a prompt file or a run's best prompt for training")
    promote.add_argument("source", type=Path, help="a prompt file or an evolution run folder")
    promote.set_defaults(func=_promote)


def _fail(message: str, code: int = 2) -> int:
    print(f"brushwork prompt: {message}", file=sys.stderr)
    return code


def _show(args: argparse.Namespace) -> int:
    try:
        print(system_prompt(args.name))
    except PromptError as e:
        return _fail(str(e))
    return 0


def _metrics(args: argparse.Namespace) -> int:

    try:
        system = system_prompt(args.system)
        prompts = load_prompt_set(args.prompts, args.n)
        gen = make_generator(generator_config(args))
    except (PromptError, GeneratorError) as e:
        return _fail(str(e))
    scorer = rubric_scorer(args.rubric) if args.rubric else offline_scorer
    meter = CostMeter()
    try:
        with SyncRenderer(pool_size=1) as renderer:
            metrics, _ = prompt_metrics(system, prompts, gen, renderer, scorer, size=args.size,
                                        concurrency=args.concurrency, meter=meter)
    except BrowserUnavailable as e:
        return _fail(str(e))
    out = {**metrics.to_dict(), "cost": meter.to_dict()}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{metrics.n} sketches · render {metrics.render_rate:.0%} · uses brush {metrics.uses_brush_rate:.0%}"
              f" · hallucinated APIs {metrics.hallucination_rate:.0%} · score {out['score']}")
        if metrics.unknown_apis:
            print("unknown APIs: " + ", ".join(f"brush.{k} ×{v}" for k, v in metrics.unknown_apis.items()))
    return 0


def _evolve(args: argparse.Namespace) -> int:

    try:
        cfg = load_config(args.config)
    except ConfigError as e:
        return _fail(str(e))
    if args.budget is not None:
        cfg.max_metric_calls = args.budget
    if args.run_dir is not None:
        cfg.run_dir = str(args.run_dir)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    for noisy in ("httpx", "httpx2", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    def on_event(event: dict) -> None:
        if event["event"] in ("candidate", "rejected"):
            m = event.get("metrics") or {}
            line = {"event": event["event"], "idx": event.get("idx"), "iteration": event["iteration"],
                    "hallucination_rate": m.get("hallucination_rate"), "render_rate": m.get("render_rate")}
            print(json.dumps(line) if args.json else
                  f"{event['event']:9} it {event['iteration']:>3}  hallucinated {m.get('hallucination_rate')}"
                  f"  rendered {m.get('render_rate')}", flush=True)

    try:
        summary = run_evolution(cfg, on_event=on_event)
    except (PromptError, GeneratorError, BrowserUnavailable, ValueError) as e:  # ValueError: unknown kinds
        return _fail(str(e))
    if not args.json:
        print(f"best prompt (candidate {summary.best_idx}) saved to {Path(summary.run_dir) / 'best_prompt.md'}")
    print(json.dumps(summary.figures()), flush=True)
    return 0


def _stop(args: argparse.Namespace) -> int:
    print(f"stop requested: {request_stop(args.run_dir)}")
    return 0


def _lineage(args: argparse.Namespace) -> int:
    lin = read_lineage(args.run_dir)
    if not lin.nodes:
        return _fail(f"no lineage in {args.run_dir}: is it an evolution run folder?", 1)
    if args.json:
        print(json.dumps({"front": lin.front, "metric_calls": lin.metric_calls, "finished": lin.finished,
                          "nodes": [asdict(n) for n in lin.nodes]}))
        return 0
    for n in lin.nodes:
        m = n.metrics
        print(f"{n.key:5} {n.status:8} parents {n.parents} score {n.score} hallucinated {m.get('hallucination_rate')}"
              f" rendered {m.get('render_rate')}{'  ★ front' if n.on_front else ''}")
    return 0


def _promote(args: argparse.Namespace) -> int:
    source = args.source / "best_prompt.md" if args.source.is_dir() else args.source
    try:
        text = source.read_text(encoding="utf-8")
        path = use_as_training_prompt(text)
    except OSError as e:
        return _fail(f"cannot read {source}: {e.strerror}. Give a prompt file or a finished run folder.")
    except PromptError as e:
        return _fail(str(e))
    print(f"training system prompt written to {path}")
    return 0
