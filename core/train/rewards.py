"""The rubric as TRL's one reward function: each batch rendered once, scored once, totals from `Rubric.combine`.

Each rollout is checked and measured (its cheap components, then its judge calls) as soon as its own render
lands, so judging overlaps the renders still running; the totals are made once the batch is in, per GRPO
group, by the one combine rule. The renderer keeps a warm page for every rollout of a batch, refilled in the
background while the model generates and updates.

TRL gets a single reward function (`total`) returning the rubric's total per completion, computed by
`Rubric.score` → `Rubric.combine` with the GRPO groups as the groups: a component missing for half a
group or more is dropped for the whole group, one lacking what most of its group has leaves that rollout
without a total, and a rollout with nothing measured (a machine
fault, a judge outage on its only component, an unmeasured gate) is None, which TRL leaves out of its
group's baseline and gives no advantage. TRL's multi-function sum (`nansum`) would have counted each
missing component as 0 for that rollout alone. Every component and gate is logged as its own metric
(`rewards/<name>/mean`) through TRL's `log_metric`, not as weight-0 reward functions, so TRL's own
`reward` metric is the mean of exactly the totals it trained on. Outages become run events.

The policy's tokenizer, handed to the scorer, is the run's tokenizer for every component
(RunContext.shared[TOKENIZER_KEY]): the length component counts the code in the tokens the policy writes.
"""
from __future__ import annotations

import asyncio
import logging
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.hashing import bytes_hash
from core.render import Renderer
from core.reward import Rollout, Rubric, Score
from core.reward.floors import TOKENS_KEY
from core.reward.judges.clients import close_shared_clients
from core.reward.offline import TOKENIZER_KEY
from core.reward.registry import component_info
from core.reward.rubric import Measured, ScoringPass
from core.reward.scoring import code_of
from core.sketch.check import check
from core.train.monitor import group_diversity

if TYPE_CHECKING:
    from core.pool.pool import RatingPool
    from core.reward.judges.cache import JudgementCache

log = logging.getLogger(__name__)
LENGTH_GATE = "length_floor"
REWARD_NAME = "total"  # TRL logs it as rewards/total/mean; its `reward` is the mean of these values


def training_rubric(rubric: Rubric, min_completion_tokens: int = 0) -> Rubric:
    """The run's rubric: the preset, plus the length floor as a gate when the config sets one."""
    if min_completion_tokens <= 0:
        return rubric
    return rubric.with_gate(LENGTH_GATE, "completion_tokens_floor", {"min_tokens": min_completion_tokens})


@dataclass
class ScoredBatch:
    """One TRL batch after rendering and scoring."""

    step: int
    rollouts: list[Rollout]
    scores: list[Score]
    render_ms: float
    reward_ms: float
    diversity: dict[str, float | None]
    outages: list[str] = field(default_factory=list)
    # What rendering would take with every render alone on a warm page, spread over the renderer's cores:
    # the sum of the renders' charged times (wall less their processes' waits for a CPU) / min(cores, renders)
    render_ideal_ms: float | None = None

    @property
    def totals(self) -> list[float | None]:
        """What TRL receives: one total per completion (None = not measured)."""
        return [s.total for s in self.scores]

    def metrics(self) -> dict[str, float]:
        """Per component and gate the mean of its measured values, and the shares measured and complete."""
        out: dict[str, float] = {}
        names = list(dict.fromkeys(n for s in self.scores for n in [*s.gates, *s.components]))
        for name in names:
            values = [v for s in self.scores for v in [s.components.get(name, s.gates.get(name))] if v is not None]
            if values:
                out[f"rewards/{name}/mean"] = statistics.fmean(values)
        n = max(1, len(self.scores))
        out["rubric/measured"] = sum(s.total is not None for s in self.scores) / n
        out["rubric/complete"] = sum(s.complete for s in self.scores) / n
        out["rubric/faults"] = float(sum(s.fault is not None for s in self.scores))
        if self.render_ideal_ms is not None:
            out["render_ideal_ms"] = self.render_ideal_ms
        return out

    def png_hashes(self) -> list[str | None]:
        return [bytes_hash(r.png) if r.png else None for r in self.rollouts]


class SerialTokenizer:
    """The policy's tokenizer for the reward's components, one encode at a time: they run on worker threads
    (rubric.py), and a transformers fast tokenizer resets its Rust backend's padding and truncation inside
    encode, which fails ("Already borrowed") when another thread is using it."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self._lock = threading.Lock()

    def encode(self, text: str, **kw: Any) -> Any:
        with self._lock:
            return self.tokenizer.encode(text, **kw)


class BatchScorer:
    """Owns the renderer (on its own event-loop thread) and the cache of the current batch.

    `tokenizer`: the policy's, put in every scoring pass's RunContext.shared[TOKENIZER_KEY], so length is
    measured in the tokens the policy writes (training and held-out alike)."""

    def __init__(self, rubric: Rubric, *, render_size: int = 256, render_timeout: float = 20.0,
                 render_pool: int = 2, store=None, refs_pool: RatingPool | None = None,
                 cache: JudgementCache | None = None, seed: int = 0, num_generations: int = 1, renderer=None,
                 on_scored: Callable[[ScoredBatch], None] | None = None, tokenizer: Any = None):
        self.rubric = rubric
        # what every scoring pass (training and held-out) hands its components
        self.shared: dict[str, Any] = {} if tokenizer is None else {TOKENIZER_KEY: SerialTokenizer(tokenizer)}
        self.render_size, self.render_timeout = render_size, render_timeout
        self.refs_pool, self.cache, self.seed = refs_pool, cache, seed
        self.num_generations = max(1, num_generations)
        self.on_scored = on_scored
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="brushwork-reward", daemon=True)
        self._thread.start()
        if renderer is None:
            renderer = Renderer(pool_size=render_pool, store=store)
        self.renderer = renderer
        self._key: tuple | None = None
        self.last: ScoredBatch | None = None

    def reward_function(self) -> Callable[..., list[float | None]]:
        """TRL's reward function: the rubric total per completion; logs components through `log_metric`."""
        def total(prompts: list, completions: list, completion_ids: list | None = None, trainer_state=None,
                  log_metric: Callable[[str, float], None] | None = None, **kw: Any) -> list[float | None]:
            step = trainer_state.global_step + 1 if trainer_state is not None else 0
            batch = self.score(prompts, completions, completion_ids, step)
            if log_metric is not None:
                for name, value in batch.metrics().items():
                    log_metric(name, value)
            return batch.totals

        total.__name__ = REWARD_NAME
        return total

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
        for r, ids in zip(rollouts, completion_ids or [None] * len(rollouts), strict=True):
            if ids is not None:
                r.meta[TOKENS_KEY] = len(ids)
        reserve = getattr(self.renderer, "reserve", None)  # a stand-in renderer renders as it is
        if reserve is not None:
            reserve(len(rollouts))  # a warm page for each rollout from the next batch on, refilled meanwhile
        outages: list[str] = []
        landed: list[float] = []
        t0 = time.perf_counter()
        # TRL's groups: each process's batch holds whole groups of num_generations consecutive completions.
        groups = [i // self.num_generations for i in range(len(rollouts))]
        try:
            async with self.rubric.scoring(self.refs_pool, cache=self.cache, seed=self.seed,
                                           shared=self.shared) as run:
                run.prepare(rollouts)
                measured = await asyncio.gather(*(self._render_and_measure(r, run, outages, landed)
                                                  for r in rollouts), return_exceptions=True)
            crashed = next((m for m in measured if isinstance(m, BaseException)), None)
            if crashed is not None:
                raise crashed
            scores = run.scores(rollouts, measured, groups)
        except Exception as e:  # the judge or a component crashed: this batch is not measured
            log.exception("rubric scoring failed")
            outages.append(f"reward failed: {type(e).__name__}: {e}")
            scores = [Score(total=None, components=dict.fromkeys(self.rubric.components),
                            gates=dict.fromkeys(self.rubric.gates), missing=list(self.rubric.components))
                      for _ in rollouts]
        t2 = time.perf_counter()
        t1 = max(landed, default=t0)
        outages += self.outages(rollouts, scores)
        diversity = group_diversity([r.prompt for r in rollouts], [r.code for r in rollouts], [r.png for r in rollouts])
        # render_ms: until the last render landed; reward_ms: what scoring took past it (it overlaps the renders)
        return ScoredBatch(step=step, rollouts=rollouts, scores=scores, render_ms=(t1 - t0) * 1000,
                           reward_ms=(t2 - t1) * 1000, diversity=diversity, outages=outages,
                           render_ideal_ms=self._ideal_ms(rollouts))

    def _ideal_ms(self, rollouts: list[Rollout]) -> float | None:
        charged = [r.render.charged_ms for r in rollouts if r.render is not None and r.render.charged_ms is not None]
        cores = getattr(self.renderer, "sketch_slots", 1)
        return sum(charged) / min(cores, len(charged)) if charged else None

    async def _render_and_measure(self, rollout: Rollout, run: ScoringPass, outages: list[str],
                                  landed: list[float]) -> Measured:
        """Render one rollout (its static check alongside, off the loop), then measure it at once: its judge
        calls start while the rest of the batch still renders."""
        checked = asyncio.ensure_future(asyncio.to_thread(check, rollout.code))
        try:
            await self._render(rollout)
        except Exception as e:  # the renderer itself failed: the rollout is measured without a render
            outages.append(f"render failed: {type(e).__name__}: {e}")
        finally:
            landed.append(time.perf_counter())
            rollout.check = await checked
        return await run.measure(rollout)

    def outages(self, rollouts: list[Rollout], scores: list[Score]) -> list[str]:
        """One line for machine faults, one per component a judge (or a crash) left unmeasured on an image."""
        lines = []
        faults = [s.fault for s in scores if s.fault is not None]
        if faults:
            kinds = ", ".join(sorted(set(faults)))
            lines.append(f"renderer unavailable for {len(faults)} of {len(rollouts)} rollouts ({kinds}): not measured")
        judged = {s.name for s in self.rubric.specs if component_info(s.fn)["judged"]}
        for name in self.rubric.components:
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

    def run(self, coro):  # noqa: ANN001, ANN201 (a coroutine and its result)
        """Run a coroutine on the scorer's loop (the renderer and judge clients live there) and wait for it."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def close(self) -> None:
        """Close the renderer and stop the loop thread."""
        try:
            asyncio.run_coroutine_threadsafe(self.renderer.close(), self._loop).result(30)
        except Exception as e:  # closing a dead browser must not hide the run's own outcome
            log.warning("renderer close failed: %s", e)

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
