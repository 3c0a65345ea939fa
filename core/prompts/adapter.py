"""GEPA adapter: a candidate system prompt is scored by the sketches a generator writes under it.

`evaluate` generates one sketch per user prompt, checks it (unknown `brush.*` names = hallucinated
APIs), renders it and scores it (few-shot judge, rubric or offline structure score). The reflective
dataset tells the proposer, per sketch, what went wrong: generation errors, hallucinated APIs, render
errors and the judge's reasoning.
"""
from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from core.prompts.generators import CostMeter, Generator
from core.prompts.metrics import Scorer, SketchSample, sample_sketches
from core.sketch.allowlist import DEFAULT_ALLOWLIST

COMPONENT = "system_prompt"


def text_key(text: str) -> str:
    """A short stable key for a prompt text (cache and lineage)."""
    return f"{zlib.crc32(text.encode()):08x}"


def feedback_for(s: SketchSample) -> str:
    """What the reflection step is told about one sketch, most decisive problem first."""
    parts = [f"Score {0.0 if s.score is None else s.score:.2f}."]
    if s.completion.error:
        parts.append(f"The model call failed: {s.completion.error}.")
    elif not s.code:
        parts.append("The answer held no code block.")
    if s.hallucinated:
        names = ", ".join(f"brush.{n}" for n in s.hallucinated)
        allowed = ", ".join(f"brush.{n}" for n in DEFAULT_ALLOWLIST)
        parts.append(f"It called APIs that do not exist in p5.brush 2.x: {names}. Methods that exist and suffice: {allowed}.")
    if s.code and not s.uses_brush:
        parts.append("It never called brush.*: the painting must be made with p5.brush.")
    if s.render is not None and s.render.error is not None:
        parts.append(f"Rendering failed ({s.error_text()}).")
    if s.reasoning and not s.hallucinated:
        parts.append(f"Judge: {s.reasoning}")
    return " ".join(parts)


class SketchPromptAdapter:
    """gepa's GEPAAdapter for one component, `system_prompt`; data instances are user prompts."""

    propose_new_texts = None  # gepa asks; None = use the configured proposer or reflection model

    def __init__(self, generator: Generator, renderer: Any, scorer: Scorer, *, concurrency: int = 4, seed: int = 0,
                 size: int = 256, timeout: float = 10.0, meter: CostMeter | None = None,
                 on_samples: Callable[[str, list[SketchSample]], None] | None = None):
        self.generator, self.renderer, self.scorer = generator, renderer, scorer
        self.concurrency, self.seed, self.size, self.timeout = concurrency, seed, size, timeout
        self.meter = meter or CostMeter()
        self.on_samples = on_samples
        self.evaluations = 0
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}  # (prompt-text key, user prompt) -> sample dict
        self._lock = threading.Lock()

    def evaluate(self, batch: list[str], candidate: dict[str, str], capture_traces: bool = False) -> Any:
        """Generate, render and score one sketch per user prompt in `batch`; a gepa EvaluationBatch."""
        from gepa import EvaluationBatch  # deferred: heavy (gepa): about 1 s, only when evolving

        system = candidate[COMPONENT]
        samples = sample_sketches(system, batch, self.generator, self.renderer, scorer=self.scorer,
                                  concurrency=self.concurrency, seed=self.seed, size=self.size,
                                  timeout=self.timeout, meter=self.meter)
        outputs = [s.to_dict() for s in samples]
        key = text_key(system)
        with self._lock:
            self.evaluations += len(samples)
            for out in outputs:
                self._cache[(key, out["prompt"])] = out
        if self.on_samples is not None:
            self.on_samples(system, samples)
        return EvaluationBatch(outputs=outputs, scores=[float(s.score or 0.0) for s in samples],
                               trajectories=samples if capture_traces else None)

    def make_reflective_dataset(self, candidate: dict[str, str], eval_batch: Any,
                                components_to_update: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Per sketch: the prompt, the code (trimmed), feedback, and the raw facts a rule-based proposer reads."""
        records = []
        for s in eval_batch.trajectories or []:
            records.append({
                "Inputs": s.prompt,
                "Generated Outputs": s.code[:1500] or s.completion.text[:500],
                "Feedback": feedback_for(s),
                "Hallucinated APIs": [f"brush.{n}" for n in s.hallucinated],
                "Render error": s.error_text(),
                "Uses brush": s.uses_brush,
                "Score": float(s.score or 0.0),
            })
        return {name: records for name in components_to_update}

    def cached(self, system: str, prompts: Sequence[str]) -> list[Mapping[str, Any]]:
        """The sample dicts this adapter produced for `system` on `prompts` (missing ones left out)."""
        key = text_key(system)
        with self._lock:
            return [self._cache[(key, p)] for p in prompts if (key, p) in self._cache]


def rates(outputs: Sequence[Mapping[str, Any]]) -> dict[str, float | int | None]:
    """hallucination_rate, render_rate, uses_brush_rate and mean score of sample dicts (None when empty)."""
    n = len(outputs)
    if not n:
        return {"n": 0, "hallucination_rate": None, "render_rate": None, "uses_brush_rate": None, "score": None}
    return {"n": n,
            "hallucination_rate": round(sum(bool(o["hallucinated"]) for o in outputs) / n, 4),
            "render_rate": None if all(o["rendered"] is None for o in outputs)
            else round(sum(bool(o["rendered"]) for o in outputs) / n, 4),
            "uses_brush_rate": round(sum(bool(o["uses_brush"]) for o in outputs) / n, 4),
            "score": round(sum(float(o["score"] or 0.0) for o in outputs) / n, 4)}
