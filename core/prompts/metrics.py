"""Prompt metrics on a prompt set: render rate, uses-brush rate, hallucinated-API rate, mean score.

One `SketchSample` per (system prompt, user prompt): the generator's answer, the code extracted from
it, the checker's report (unknown `brush.*` names = hallucinated APIs), the render and a score from
a scorer (taste-anchored judge, rubric, or the offline structure score). `summarize` turns a list of
them into `PromptMetrics`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.prompts.generators import Completion, CostMeter, Generator, generate_many
from core.render.types import RenderResult
from core.sketch import CheckReport, check, extract_code


@dataclass
class SketchSample:
    """One generated sketch and everything measured about it."""

    prompt: str
    completion: Completion
    code: str
    report: CheckReport | None
    render: RenderResult | None
    score: float | None = None
    reasoning: str = ""

    @property
    def rendered(self) -> bool:
        return bool(self.render is not None and self.render.ok)

    @property
    def uses_brush(self) -> bool:
        return bool(self.report is not None and self.report.uses_brush)

    @property
    def hallucinated(self) -> list[str]:
        """Unknown `brush.*` names the sketch uses (the checker's verdict against the installed p5.brush)."""
        return sorted({c.name for c in self.report.unknown_apis}) if self.report else []

    def error_text(self) -> str:
        """The generation or render error in one line, '' when there was none."""
        if self.completion.error:
            return f"generation failed: {self.completion.error}"
        if self.render is not None and self.render.error is not None:
            e = self.render.error
            where = f" at line {e.line}" if e.line else ""
            return f"render {e.kind}{where}: {e.message}"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {"prompt": self.prompt, "code": self.code, "rendered": None if self.render is None and self.code else self.rendered, "uses_brush": self.uses_brush,
                "hallucinated": self.hallucinated, "error": self.error_text(), "score": self.score,
                "reasoning": self.reasoning}


@dataclass
class PromptMetrics:
    """Rates over a prompt set (fractions of samples) and the mean score (None when nothing scored)."""

    n: int
    render_rate: float
    uses_brush_rate: float
    hallucination_rate: float
    mean_score: float | None
    generation_failures: int
    unknown_apis: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "render_rate": round(self.render_rate, 4), "uses_brush_rate": round(self.uses_brush_rate, 4),
                "hallucination_rate": round(self.hallucination_rate, 4),
                "score": None if self.mean_score is None else round(self.mean_score, 4),
                "generation_failures": self.generation_failures, "unknown_apis": self.unknown_apis}


def summarize(samples: Sequence[SketchSample]) -> PromptMetrics:
    """Fold samples into rates; the hallucination rate counts samples with at least one unknown API."""
    n = len(samples)
    scores = [s.score for s in samples if s.score is not None]
    unknown = Counter(name for s in samples for name in s.hallucinated)
    rate = (lambda k: sum(k(s) for s in samples) / n) if n else (lambda k: 0.0)
    return PromptMetrics(
        n=n, render_rate=rate(lambda s: s.rendered), uses_brush_rate=rate(lambda s: s.uses_brush),
        hallucination_rate=rate(lambda s: bool(s.hallucinated)),
        mean_score=sum(scores) / len(scores) if scores else None,
        generation_failures=sum(s.completion.error is not None for s in samples), unknown_apis=dict(unknown))


Scorer = Callable[[list[SketchSample]], None]  # fills .score and .reasoning in place


def sample_sketches(system: str, prompts: Sequence[str], generator: Generator, renderer: Any, *,
                    scorer: Scorer | None = None, concurrency: int = 4, seed: int = 0, size: int = 256,
                    timeout: float = 10.0, meter: CostMeter | None = None,
                    on_sample: Callable[[SketchSample], None] | None = None) -> list[SketchSample]:
    """Generate, check, render (a SyncRenderer or None to skip renders) and score one sketch per prompt."""
    completions = generate_many(generator, system, prompts, concurrency=concurrency, seed=seed, meter=meter)
    samples = []
    for i, (prompt, completion) in enumerate(zip(prompts, completions, strict=True)):
        code = extract_code(completion.text).code if completion.text else ""
        report = check(code) if code else None
        render = None
        if code and renderer is not None:
            render = renderer.render(code, seed=seed + i, size=size, timeout=timeout)
        samples.append(SketchSample(prompt, completion, code, report, render))
    if scorer is not None:
        scorer(samples)
    for s in samples:
        if on_sample is not None:
            on_sample(s)
    return samples


def prompt_metrics(system: str, prompts: Sequence[str], generator: Generator, renderer: Any,
                   scorer: Scorer | None = None, **kwargs: Any) -> tuple[PromptMetrics, list[SketchSample]]:
    """Metrics of one system prompt on a prompt set, with the samples behind them."""
    samples = sample_sketches(system, prompts, generator, renderer, scorer=scorer, **kwargs)
    return summarize(samples), samples
