"""Reference generation: a model writes sketches for prompts; each is checked, rendered, and stored in the
library (source 'generated') with its render added to the pool unrated, ready for the Rate pane.

Thin colours can drive the prompts: `prompts_for_colours(["peach"], n)` picks prompts of the bundled
set whose colour word is in that group (or a plain template), so `brushwork generate --thin` fills the
colour groups that have too few loved references.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.pool import PoolError, RatingPool
from core.pool.colour import prompt_colour
from core.prompts.generators import Completion, CostMeter, Generator, generate_many
from core.prompts.system import load_prompt_set
from core.sketch import check, extract_code
from core.store import Store

COLOUR_TEMPLATES = ("draw a {c} flower in watercolour", "draw a {c} bowl of fruit in soft pastel",
                    "draw a {c} sunset over hills in watercolour")


@dataclass
class GenerateReport:
    requested: int
    generated: int = 0
    rendered: int = 0
    hallucinated: int = 0
    pooled: int = 0
    failures: list[str] = field(default_factory=list)
    sketch_ids: list[int] = field(default_factory=list)
    cost: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"requested": self.requested, "generated": self.generated, "rendered": self.rendered,
                "hallucinated": self.hallucinated, "pooled": self.pooled, "failures": self.failures[:20],
                "sketch_ids": self.sketch_ids, "cost": self.cost}


def prompts_for_colours(groups: Sequence[str], n: int, prompt_set: Sequence[str] | None = None,
                        seed: int = 0) -> list[str]:
    """n prompts spread over colour groups: bundled prompts of that colour first, then templates."""
    if not groups:
        raise ValueError("no colour groups given: name at least one (e.g. peach) or use --prompts.")
    pool_prompts = list(prompt_set) if prompt_set is not None else load_prompt_set()
    rng = random.Random(seed)
    per_group = {g: [p for p in pool_prompts if prompt_colour(p) == g] or [t.format(c=g) for t in COLOUR_TEMPLATES]
                 for g in groups}
    return [rng.choice(per_group[groups[i % len(groups)]]) for i in range(n)]


def thin_colour_groups(min_love: int = 10) -> list[str]:
    """Colour groups of the pool with fewer than `min_love` loved references."""
    store = Store()
    try:
        return [t.group for t in RatingPool(store).thin_colours(min_love)]
    finally:
        store.close()


def generate_into_library(store: Any, generator: Generator, system: str, prompts: Sequence[str], renderer: Any, *,
                          size: int = 512, seed: int = 0, timeout: float = 15.0, concurrency: int = 4,
                          pool_source: str | None = "library",
                          on_progress: Callable[[int, str], None] | None = None,
                          run_id: str | None = None, step: int | None = None,
                          provenance: dict[str, Any] | None = None) -> GenerateReport:
    """One sketch per prompt into the library; renders to the store's cache and (if pool_source) the pool.

    Sketch i is generated and rendered with seed `seed + i` (kept in its meta, so it can be made again);
    `run_id`/`step` tie it to a training run's checkpoint and `provenance` adds to its meta."""
    meter = CostMeter()
    report = GenerateReport(requested=len(prompts))
    pool = RatingPool(store) if pool_source else None
    done = 0

    def landed(_i: int, _c: Completion) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, "generated")

    completions = generate_many(generator, system, prompts, concurrency=concurrency, seed=seed, meter=meter,
                                on_done=landed)
    for i, (prompt, comp) in enumerate(zip(prompts, completions, strict=True)):
        if comp.error or not comp.text.strip():
            report.failures.append(f"{prompt}: {comp.error or 'empty answer'}")
            if on_progress is not None:
                on_progress(len(prompts) + i + 1, "failed")
            continue
        code = extract_code(comp.text).code
        report_ = check(code)
        unknown = sorted({c.name for c in report_.unknown_apis})
        report.hallucinated += int(bool(unknown))
        meta = {"generator": generator.name, "seed": seed + i, "tokens_in": comp.tokens_in,
                "tokens_out": comp.tokens_out, "cost_usd": comp.cost_usd, "unknown_apis": unknown,
                "system_prompt_chars": len(system), **(provenance or {})}
        sketch_id = store.add_sketch(code, source="generated", prompt=prompt, title=prompt[:60], meta=meta,
                                     run_id=run_id, step=step)
        report.generated += 1
        report.sketch_ids.append(sketch_id)
        result = renderer.render(code, seed=seed + i, size=size, timeout=timeout)
        store.save_render(code, result.seed, result.width, result.height, png=result.png, ms=result.ms,
                          error=result.error.to_dict() if result.error else None, console=result.console)
        if result.ok:
            report.rendered += 1
            if pool is not None:
                try:
                    pool.add_image(result.png, prompt=prompt, source=pool_source, code=code, sketch_id=sketch_id,
                                   name=f"generated-{sketch_id}")
                    report.pooled += 1
                except PoolError as e:
                    report.failures.append(f"{prompt}: not added to the pool: {e}")
        else:
            report.failures.append(f"{prompt}: render {result.error.kind}: {result.error.message}")
        if on_progress is not None:
            on_progress(len(prompts) + i + 1, "rendered" if result.ok else "failed")
    report.cost = meter.to_dict()
    return report
