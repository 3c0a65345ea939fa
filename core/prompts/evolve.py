"""`run_evolution`: evolve a system prompt with GEPA against rendered, judged sketches.

The run folder (`EvolveConfig.resolved_run_dir()`) holds gepa's state (resume = run again with the
same folder; `max_metric_calls` counts the whole run, resumes included), our `config.toml`,
`lineage.jsonl` (every candidate, rejected proposals too), `best_prompt.md` and `summary.json`.
Stop gracefully with `stop_file(run_dir)` (from any process) or a threading.Event.
gepa's messages go to the `brushwork.prompts.gepa` logger: passing our own logger keeps gepa from
teeing the process's stdout into its run folder.
"""
from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.prompts.adapter import COMPONENT, SketchPromptAdapter
from core.prompts.config import EvolveConfig, dump_config
from core.prompts.generators import CostMeter, make_generator
from core.prompts.lineage import LineageRecorder, read_lineage
from core.prompts.proposer import reflection_settings
from core.prompts.scoring import make_scorer
from core.prompts.system import load_prompt_set, system_prompt
from core.render import SyncRenderer

log = logging.getLogger("brushwork.prompts")
STOP_FILE = "gepa.stop"


class GepaLog:
    """gepa's LoggerProtocol routed into Python logging (never stdout)."""

    def __init__(self, logger: logging.Logger | None = None):
        self.logger = logger or logging.getLogger("brushwork.prompts.gepa")

    def log(self, message: str) -> None:
        self.logger.info("%s", message)


def stop_file(run_dir: Path | str) -> Path:
    """Creating this file stops a running evolution after its current step."""
    return Path(run_dir) / STOP_FILE


def request_stop(run_dir: Path | str) -> Path:
    """Ask the run in `run_dir` to stop gracefully (works across processes)."""
    path = stop_file(run_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return path


@dataclass
class EvolveSummary:
    seed: dict[str, Any]
    best: dict[str, Any]
    metric_calls: int
    best_idx: int
    best_text: str
    candidates: int
    rejected: int
    run_dir: str
    cost: dict[str, Any]
    stopped: bool

    def figures(self) -> dict[str, Any]:
        """The closing JSON line: seed and best rates, metric calls (plus where the run lives)."""
        return {"seed": self.seed, "best": self.best, "metric_calls": self.metric_calls, "best_idx": self.best_idx,
                "candidates": self.candidates, "rejected": self.rejected, "run_dir": self.run_dir, "cost": self.cost}


def split_prompts(cfg: EvolveConfig) -> tuple[list[str], list[str]]:
    """Shuffle the prompt set with the run's seed; train first, then validation (reused when too few)."""
    prompts = load_prompt_set(cfg.prompts)
    random.Random(cfg.seed).shuffle(prompts)
    train = prompts[: cfg.train_size]
    val = prompts[cfg.train_size: cfg.train_size + cfg.val_size] or train[: cfg.val_size]
    return train, val


def _figures(node: Any) -> dict[str, Any]:
    m = node.metrics if node else {}
    return {"hallucination_rate": m.get("hallucination_rate"), "render_rate": m.get("render_rate"),
            "uses_brush_rate": m.get("uses_brush_rate"), "score": None if node is None else round(node.score, 4)}


def run_evolution(cfg: EvolveConfig, *, stop_event: threading.Event | None = None, renderer: Any = None,
                  on_event: Callable[[dict[str, Any]], None] | None = None) -> EvolveSummary:
    """Run (or resume) an evolution; returns seed vs best figures. `renderer`: a started SyncRenderer to share."""
    import gepa  # deferred: heavy (gepa)
    from gepa import NoImprovementStopper, ScoreThresholdStopper  # deferred: heavy (gepa)

    run_dir = cfg.resolved_run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
    if stop_file(run_dir).exists():  # a stop left from the last session would end this one at once
        stop_file(run_dir).unlink()
        log.info("removed an old stop request in %s", run_dir)
    (run_dir / "config.toml").write_text(dump_config(cfg), encoding="utf-8")
    train, val = split_prompts(cfg)
    generator = make_generator(cfg.generator)
    scorer, scorer_name = make_scorer(cfg.judge, cfg.seed, rendered=cfg.render)
    log.info("evolving %s: generator %s, scorer %s, %d train / %d val prompts, budget %d",
             run_dir, generator.name, scorer_name, len(train), len(val), cfg.max_metric_calls)
    own_renderer = renderer is None and cfg.render
    if own_renderer:
        renderer = SyncRenderer(pool_size=1)
        renderer.start()
    meter = CostMeter()
    adapter = SketchPromptAdapter(generator, renderer if cfg.render else None, scorer, concurrency=cfg.generator.concurrency, seed=cfg.seed,
                                  size=cfg.render_size, timeout=cfg.render_timeout, meter=meter)
    recorder = LineageRecorder(run_dir, val, adapter.cached, on_event)
    # A perfect prompt, or one the proposer can no longer improve, needs no more budget.
    stoppers: list[Any] = [ScoreThresholdStopper(1.0), NoImprovementStopper(cfg.patience)]
    if stop_event is not None:
        stoppers.append(lambda _state: stop_event.is_set())
    try:
        result = gepa.optimize(
            seed_candidate={COMPONENT: system_prompt(cfg.seed_prompt)}, trainset=train, valset=val, adapter=adapter,
            max_metric_calls=cfg.max_metric_calls, reflection_minibatch_size=cfg.minibatch_size,
            run_dir=str(run_dir), callbacks=[recorder], logger=GepaLog(), stop_callbacks=stoppers, seed=cfg.seed,
            display_progress_bar=False, **reflection_settings(cfg.reflection))
    finally:
        if own_renderer:
            renderer.close()
    lineage = read_lineage(run_dir)
    best = lineage.by_idx(result.best_idx)
    best_text = result.candidates[result.best_idx][COMPONENT]
    (run_dir / "best_prompt.md").write_text(best_text, encoding="utf-8")
    summary = EvolveSummary(
        seed=_figures(lineage.by_idx(0)), best=_figures(best), metric_calls=int(result.total_metric_calls or 0),
        best_idx=result.best_idx, best_text=best_text, candidates=len(result.candidates),
        rejected=sum(n.status == "rejected" for n in lineage.nodes), run_dir=str(run_dir), cost=meter.to_dict(),
        stopped=stop_file(run_dir).exists() or bool(stop_event and stop_event.is_set()))
    (run_dir / "summary.json").write_text(json.dumps(summary.figures(), indent=2), encoding="utf-8")
    return summary
