"""The rubric as TRL reward functions: one function per component, the batch rendered and scored once.

TRL calls every reward function with the same batch. The first call renders every completion in the
warm page pool and scores the batch with the rubric (`await rubric.score(...)`, components run
concurrently); the other functions read that cached result. Each weighted component is returned
already multiplied by the product of the gates (structure, substance, the length floor), and the
rubric's weights are passed to TRL as `reward_weights` (normalised), so TRL's weighted sum is the
rubric's gated total and TRL logs every component under `rewards/<name>/mean`. Gates are also
returned as functions with weight 0 (logged, not trained on). None = not measured, never 0: a
renderer or judge outage leaves those components None, is recorded as an event, and the run goes on.
"""
from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.hashing import bytes_hash
from core.reward import Rollout, Rubric, Score
from core.reward.registry import component_info
from core.reward.scoring import code_of
from core.sketch.check import check
from core.train.monitor import group_diversity

log = logging.getLogger(__name__)
LENGTH_GATE = "length_floor"


@dataclass
class ScoredBatch:
    """One TRL batch after rendering and scoring."""

    step: int
    rollouts: list[Rollout]
    scores: list[Score]
    values: dict[str, list[float | None]]  # function name -> per-sample value handed to TRL
    render_ms: float
    reward_ms: float
    diversity: dict[str, float | None]
    outages: list[str] = field(default_factory=list)

    def png_hashes(self) -> list[str | None]:
        return [bytes_hash(r.png) if r.png else None for r in self.rollouts]


class BatchScorer:
    """Owns the renderer (on its own event-loop thread) and the cache of the current batch."""

    def __init__(self, rubric: Rubric, *, render_size: int = 256, render_timeout: float = 20.0,
                 render_pool: int = 2, store=None, min_completion_tokens: int = 0, renderer=None,
                 on_scored: Callable[[ScoredBatch], None] | None = None):
        self.rubric = rubric
        self.render_size, self.render_timeout = render_size, render_timeout
        self.min_completion_tokens = min_completion_tokens
        self.on_scored = on_scored
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="brushwork-reward", daemon=True)
        self._thread.start()
        if renderer is None:
            from core.render import Renderer

            renderer = Renderer(pool_size=render_pool, store=store)
        self.renderer = renderer
        self._key: tuple | None = None
        self.last: ScoredBatch | None = None
        self.weighted = list(rubric.weights)
        self.gates = [*rubric.gates, *([LENGTH_GATE] if min_completion_tokens > 0 else [])]

    def reward_functions(self) -> tuple[list[Callable], list[float]]:
        """TRL reward functions (named `name`, so TRL logs rewards/<name>) and their weights."""
        total = sum(self.rubric.weights.values()) or 1.0
        names = self.weighted + self.gates
        weights = [self.rubric.weights[n] / total for n in self.weighted] + [0.0] * len(self.gates)
        return [self._function(n) for n in names], weights

    def _function(self, name: str) -> Callable[..., list[float | None]]:
        def reward(prompts: list, completions: list, completion_ids: list | None = None, **kw: Any) -> list[float | None]:
            state = kw.get("trainer_state")
            step = state.global_step + 1 if state is not None else 0
            return self.score(prompts, completions, completion_ids, step).values[name]

        reward.__name__ = name
        return reward

    def score(self, prompts: list, completions: list, completion_ids: list | None, step: int) -> ScoredBatch:
        """The batch's ScoredBatch, computed on the first call for this batch and cached."""
        key = (step, len(completions), hash(tuple(map(_text, completions))))
        if key != self._key or self.last is None:
            self.last = asyncio.run_coroutine_threadsafe(
                self._score(prompts, completions, completion_ids, step), self._loop).result()
            self._key = key
            if self.on_scored is not None:
                self.on_scored(self.last)
        return self.last

    async def _score(self, prompts: list, completions: list, completion_ids: list | None, step: int) -> ScoredBatch:
        texts = [_text(c) for c in completions]
        rollouts = [Rollout(prompt=_text(p), completion=t, code=code_of(t)) for p, t in zip(prompts, texts, strict=True)]
        outages: list[str] = []
        t0 = time.perf_counter()
        results = await asyncio.gather(*(self._render(r) for r in rollouts), return_exceptions=True)
        for res in results:
            if isinstance(res, BaseException):
                outages.append(f"render failed: {type(res).__name__}: {res}")
        for r in rollouts:
            r.check = check(r.code)
        browser = sum(1 for r in rollouts if r.render is not None and r.render.error is not None
                      and r.render.error.kind == "browser")
        if browser:
            outages.append(f"renderer unavailable for {browser} of {len(rollouts)} rollouts")
        t1 = time.perf_counter()
        try:
            scores = await self.rubric.score(rollouts)
        except Exception as e:  # the judge or a component crashed: this batch is not measured
            log.exception("rubric.score failed")
            outages.append(f"reward failed: {type(e).__name__}: {e}")
            names = [*self.rubric.gates, *self.weighted]
            scores = [Score(total=None, components=dict.fromkeys(self.weighted), gates=dict.fromkeys(self.rubric.gates),
                            missing=names) for _ in rollouts]
        t2 = time.perf_counter()
        outages += self._component_outages(rollouts, scores)
        lengths = [len(ids) for ids in completion_ids] if completion_ids is not None else None
        values = self._values(scores, lengths)
        diversity = group_diversity([r.prompt for r in rollouts], [r.code for r in rollouts], [r.png for r in rollouts])
        return ScoredBatch(step=step, rollouts=rollouts, scores=scores, values=values, render_ms=(t1 - t0) * 1000,
                           reward_ms=(t2 - t1) * 1000, diversity=diversity, outages=outages)

    def _component_outages(self, rollouts: list[Rollout], scores: list[Score]) -> list[str]:
        """One line per component a judge (or a crash) left unmeasured on rendered images this batch."""
        judged = {s.name for s in self.rubric.specs if component_info(s.fn)["judged"]}
        lines = []
        for name in self.weighted:
            hit = [s for r, s in zip(rollouts, scores, strict=True) if r.png is not None and name in s.missing
                   and (name in judged or any(n.startswith(f"{name}: not measured") for n in s.notes))]
            if hit:
                why = next((n for s in hit for n in s.notes if n.startswith(f"{name}:")), "")
                lines.append(f"{name} not measured for {len(hit)} of {len(rollouts)} rollouts" + (f" ({why})" if why else ""))
        return lines

    async def _render(self, rollout: Rollout) -> None:
        if rollout.code.strip():
            rollout.render = await self.renderer.render(rollout.code, seed=0, size=self.render_size,
                                                        timeout=self.render_timeout)

    def _values(self, scores: list[Score], lengths: list[int] | None) -> dict[str, list[float | None]]:
        values: dict[str, list[float | None]] = {n: [] for n in self.weighted + self.gates}
        for i, s in enumerate(scores):
            gates = dict(s.gates)
            if LENGTH_GATE in self.gates:
                gates[LENGTH_GATE] = None if lengths is None else float(lengths[i] >= self.min_completion_tokens)
            measured = [g for g in gates.values() if g is not None]
            product = math.prod(measured) if measured else 1.0
            for n in self.gates:
                values[n].append(gates.get(n))
            for n in self.weighted:
                v = s.components.get(n)
                values[n].append(None if v is None else product * v)
        return values

    def close(self) -> None:
        """Close the renderer and stop the loop thread."""
        try:
            asyncio.run_coroutine_threadsafe(self.renderer.close(), self._loop).result(30)
        except Exception as e:  # closing a dead browser must not hide the run's own outcome
            log.warning("renderer close failed: %s", e)
        from core.reward.judges.clients import close_shared_clients  # the judges' HTTP clients live per loop

        try:
            asyncio.run_coroutine_threadsafe(close_shared_clients(), self._loop).result(10)
        except Exception as e:
            log.warning("closing the judge clients failed: %s", e)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


def _text(x: Any) -> str:
    """A completion or prompt as text (conversational ones are lists of messages)."""
    if isinstance(x, str):
        return x
    if isinstance(x, list):
        return "\n".join(m.get("content", "") if isinstance(m, dict) else str(m) for m in x)
    return str(x)
