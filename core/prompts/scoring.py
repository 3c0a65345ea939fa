"""Scorers for generated sketches: a taste-anchored few-shot judge, the reward rubric, or an offline score.

Every scorer gates on the basics first: a sketch that did not render, uses no brush or calls APIs
p5.brush lacks scores 0 — the judge never sees it. The few-shot judge shows a vision model seven
rated paintings from the pool (love and nope) before the candidate, so "good" means the user's taste.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from core.pool import RatingPool
from core.prompts.config import JudgeConfig
from core.prompts.metrics import Scorer, SketchSample
from core.reward import Rollout, load_rubric
from core.reward.judges.clients import openai_client
from core.reward.judges.keys import key_to_send
from core.store import Store

log = logging.getLogger("brushwork.prompts")


def gate(s: SketchSample) -> str | None:
    """Why the sample scores 0 before any judging, or None when it passes."""
    if not s.code:
        return s.error_text() or "no code in the answer"
    if s.hallucinated:
        return f"calls APIs p5.brush does not have: {', '.join('brush.' + n for n in s.hallucinated)}"
    if not s.uses_brush:
        return "does not use p5.brush"
    if s.render is not None and not s.render.ok:  # None = not rendered on purpose (dry run)
        return s.error_text() or "did not render"
    return None


def structure_score(s: SketchSample) -> float:
    """Offline quality in [0, 1]: setup + WEBGL canvas, enough drawing calls, a fill, several methods.

    From a render, the calls are the run-time counts (drawing primitives that drew; `fill` is a state
    call): dead code and calls that drew nothing earn nothing. Only a dry run (nothing rendered, on
    purpose, and labelled so) reads the checker's static calls."""
    r = s.report
    assert r is not None
    if s.render is not None and s.render.brush_calls is not None:
        drawn = s.render.brush_calls
        count, names, fills = sum(drawn.values()), set(drawn), "fill" in (s.render.brush_state or {})
    else:
        calls = [c for c in r.brush_calls if c.called]
        count, names = len(calls), {c.name for c in calls}
        fills = "fill" in names
    parts = [float(r.has_setup), float(r.creates_canvas and r.webgl), min(count / 8, 1.0),
             float(fills), min(len(names) / 4, 1.0)]
    return sum(parts) / len(parts)


def offline_scorer(samples: list[SketchSample]) -> None:
    """Score with the gate and the structure score (no network, no model)."""
    for s in samples:
        why = gate(s)
        s.score, s.reasoning = (0.0, why) if why else (structure_score(s), "offline structure score")


def rubric_scorer(preset: str) -> Scorer:
    """A scorer from the reward engine's rubric preset."""
    rubric = load_rubric(preset)

    def score(samples: list[SketchSample]) -> None:
        passing = [s for s in samples if gate(s) is None]
        for s in samples:
            if all(s is not p for p in passing):
                s.score, s.reasoning = 0.0, gate(s) or ""
        rollouts = [Rollout(s.prompt, s.completion.text, s.code, s.render, s.report) for s in passing]
        scores = asyncio.run(_score_with_pool(rubric, rollouts)) if rollouts else []
        for s, sc in zip(passing, scores, strict=True):
            s.score = sc.total  # None = not measured (a judge or the machine failed): never a stand-in number
            missing = f" (missing: {', '.join(sc.missing)})" if sc.missing else ""
            s.reasoning = f"rubric {preset}: " + ("not measured; " if sc.total is None else "") + ", ".join(
                f"{k}={v:.2f}" for k, v in sc.components.items() if v is not None) + missing
    return score


async def _score_with_pool(rubric: Any, rollouts: list) -> list:
    """Score with the rating pool as the references (pairwise components need it), closed afterwards."""
    store = Store()
    try:
        return await rubric.score(rollouts, refs_pool=RatingPool(store))
    finally:
        store.close()


class FewShotJudge:
    """A vision model scores a painting 0–10 after seeing `shots` rated examples (love / nope) from the pool."""

    PROMPT_VERSION = "fewshot-v1"

    def __init__(self, cfg: JudgeConfig, examples: Sequence[tuple[str, bytes, str | None]]):
        self.cfg = cfg
        self.examples = list(examples)  # (tier, png bytes, prompt)
        key = key_to_send("openai", cfg.api_key_env, cfg.base_url, f"few-shot judge {cfg.model}")
        self.client = openai_client(cfg.base_url, key, cfg.timeout)

    def _messages(self, png: bytes, prompt: str) -> list[dict[str, Any]]:
        content: list[dict[str, Any]] = [{"type": "text", "text": (
            "You judge paintings made with code, with the taste of the person whose ratings follow. "
            "First their rated examples, then a new painting to score.")}]
        for i, (tier, data, ex_prompt) in enumerate(self.examples, 1):
            verdict = "LOVED" if tier == "love" else "REJECTED (nope)"
            content.append({"type": "text", "text": f"Example {i} ({ex_prompt or 'no prompt'}): {verdict}"})
            content.append(_image(data))
        content.append({"type": "text", "text": f"New painting, asked for: {prompt!r}. Score it 0-10 against "
                        "this taste and the prompt. Answer JSON only: {\"score\": <0-10>, \"reasoning\": \"<one sentence>\"}"})
        content.append(_image(png))
        return [{"role": "user", "content": content}]

    def judge(self, png: bytes, prompt: str) -> tuple[float | None, str]:
        """(score in [0, 1] or None when the judge did not answer usably, reasoning)."""
        for _attempt in range(2):  # a malformed answer is asked again once
            try:
                resp = self.client.chat.completions.create(model=self.cfg.model, temperature=0,
                                                           messages=self._messages(png, prompt))
            except Exception as e:
                log.warning("judge call failed: %s", e)
                return None, f"judge unavailable: {type(e).__name__}"
            parsed = parse_judgement(resp.choices[0].message.content or "")
            if parsed is not None:
                return parsed
        return None, "judge answer unreadable"

    def _one(self, s: SketchSample) -> None:
        why = gate(s)
        if why:
            s.score, s.reasoning = 0.0, why
            return
        if s.render is None:  # dry run: nothing to show the judge
            s.score, s.reasoning = structure_score(s), "offline structure score (not rendered)"
            return
        score, reasoning = self.judge(s.render.png, s.prompt)
        # No verdict is not a zero: fall back to the offline measure and say so.
        s.score, s.reasoning = (score, reasoning) if score is not None else (structure_score(s), reasoning + "; offline score used")

    def __call__(self, samples: list[SketchSample]) -> None:
        with ThreadPoolExecutor(max(1, self.cfg.concurrency), thread_name_prefix="brushwork-judge") as pool:
            list(pool.map(self._one, samples))


def _image(png: bytes) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(png).decode()}}


_JSON = re.compile(r"\{.*\}", re.S)


def parse_judgement(text: str) -> tuple[float, str] | None:
    """`{"score": 7, "reasoning": "..."}` anywhere in the text → (0.7, reasoning); None when unreadable."""
    match = _JSON.search(text)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
        score = float(data["score"])
    except (ValueError, KeyError, TypeError):
        return None
    if not 0 <= score <= 10:
        return None
    return score / 10, str(data.get("reasoning", ""))[:500]


def pool_examples(shots: int, seed: int = 0) -> list[tuple[str, bytes, str | None]]:
    """`shots` rated images from the pool, about half love and half nope (fewer when the pool is thin)."""
    store = Store()
    try:
        pool = RatingPool(store)
        rng = random.Random(seed)
        love = sorted(pool.images(tier="love"), key=lambda im: im.id)
        nope = sorted(pool.images(tier="nope"), key=lambda im: im.id)
        n_love = min(len(love), max(shots - min(len(nope), shots // 2), 0))
        picked = [("love", im) for im in rng.sample(love, n_love)]
        picked += [("nope", im) for im in rng.sample(nope, min(len(nope), shots - n_love))]
        rng.shuffle(picked)
        return [(tier, im.path.read_bytes(), im.prompt) for tier, im in picked]
    finally:
        store.close()


def make_scorer(cfg: JudgeConfig, seed: int = 0, rendered: bool = True) -> tuple[Scorer, str]:
    """The configured scorer and its name: the few-shot judge, else the rubric preset.

    Without renders (a dry run) only the offline structure score means anything: judges and image
    components would see nothing.
    """
    if not rendered:
        return offline_scorer, "offline-structure (dry run, no renders)"
    if cfg.kind == "openai":
        examples = pool_examples(cfg.shots, seed)
        if not examples:
            log.warning("the pool has no rated love/nope images: the judge scores without examples")
        return FewShotJudge(cfg, examples), f"fewshot:{cfg.model}:{len(examples)}-shot"
    if cfg.kind not in ("none", "rubric"):
        raise ValueError(f"unknown judge kind {cfg.kind!r}: use none or openai.")
    return rubric_scorer(cfg.rubric), f"rubric:{cfg.rubric}"
