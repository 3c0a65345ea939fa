"""Held-out evaluation: sample the policy on never-trained prompts (several seeds), render, score.

Progress is judged here, not on the training reward: the same prompts and seeds at the start (the
SFT model, checkpoint "sft") and at checkpoints, scored with the run's rubric as training scores
(the rating pool as references, the judgement cache, the run's seed, `Rubric.combine` with the samples
of one prompt as a group), with the system prompt the run was fixed to at its start. The same images
are also scored by an independent signal the policy never trained on (core/train/independent.py), so
a policy that games the rubric shows as a split between the two. Evaluation draws from its own seeds
inside `preserved_rng`, so the training's random streams go on as if it had not run (a resumed run
equals one never stopped). `contact_sheet` puts the first and last evaluation side by side.
"""
from __future__ import annotations

import asyncio
import contextlib
import io
import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw

from core.reward import Rollout, Rubric, Score
from core.reward.floors import TOKENS_KEY
from core.reward.scoring import code_of
from core.sketch.check import check
from core.train.config import RunConfig
from core.train.corpus import heldout_specs
from core.train.monitor import group_diversity
from core.train.tiny import plain_prompt

if TYPE_CHECKING:
    from core.pool.pool import RatingPool
    from core.reward.judges.cache import JudgementCache


@dataclass
class HeldoutResult:
    """One evaluation: per (prompt, seed) rollouts and scores, and their means."""

    checkpoint: str
    step: int
    rollouts: list[Rollout]
    scores: list[Score]
    seeds: list[int]
    independent: list[float | None] | None = None  # the independent signal per sample (None: not scored)

    @property
    def totals(self) -> list[float | None]:
        return [s.total for s in self.scores]

    @property
    def components(self) -> list[dict[str, float | None]]:
        return [s.components for s in self.scores]

    def summary(self) -> dict[str, float | None]:
        """heldout/reward (over the measured samples: a machine fault or an outage is not a 0), the share
        measured, nonblank, per-component means and diversity."""
        totals = [t for t in self.totals if t is not None]
        out: dict[str, float | None] = {
            "heldout/reward": statistics.fmean(totals) if totals else None,
            "heldout/measured": len(totals) / len(self.totals) if self.totals else None,
            "heldout/nonblank": statistics.fmean(1.0 if r.png else 0.0 for r in self.rollouts) if self.rollouts else None,
        }
        names = sorted({k for c in self.components for k in c})
        for n in names:
            vals = [c[n] for c in self.components if c.get(n) is not None]
            out[f"heldout/{n}"] = statistics.fmean(vals) if vals else None
        if self.independent is not None:
            vals = [v for v in self.independent if v is not None]
            out["heldout/independent"] = statistics.fmean(vals) if vals else None
        div = group_diversity([r.prompt for r in self.rollouts], [r.code for r in self.rollouts],
                              [r.png for r in self.rollouts])
        out.update({f"heldout/{k}": v for k, v in div.items()})
        return out


def prompt_lines(path: str | Path, setting: str = "prompts") -> list[str]:
    """A prompt file's prompts: one a line, blank lines and `#` comments skipped (OSError naming `setting`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise OSError(f"{setting} = {str(path)!r}: {e.strerror or e}") from e
    lines = [ln.strip() for ln in text.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#")]


def heldout_prompts(cfg: RunConfig) -> list[str]:
    """The held-out prompts a config asks for: the never-trained template triples, or lines of a file
    (the first heldout_count of either). A run reads its own, fixed at its start (core/train/prompt_sets.py)."""
    if cfg.heldout_prompts == "procedural":
        return [s.prompt for s in heldout_specs(cfg.heldout_count, seed=cfg.seed)]
    return prompt_lines(cfg.heldout_prompts, "prompts.heldout_prompts")[: cfg.heldout_count]


@contextlib.contextmanager
def preserved_rng() -> Iterator[None]:
    """Python's, NumPy's and torch's (CPU and CUDA) random states put back as they were when the block ends."""
    import torch  # deferred: heavy (torch)

    py, npy = random.getstate(), np.random.get_state()
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        try:
            yield
        finally:
            random.setstate(py)
            np.random.set_state(npy)


def format_prompt(cfg: RunConfig, prompt: str, tokenizer, system: str) -> str:
    """The text the model is conditioned on, as in training (`system`: the run's fixed system prompt)."""
    if cfg.prompt_format == "plain":
        return plain_prompt(prompt)
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": prompt}]
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def generate(model, tokenizer, cfg: RunConfig, prompts: list[str], seed: int, system: str) -> list[tuple[str, int]]:
    """(completion, generated tokens up to and including the first EOS, as TRL counts them) per prompt."""
    import torch  # deferred: heavy (torch)

    was_training = model.training
    model.eval()
    torch.manual_seed(seed)
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        enc = tokenizer([format_prompt(cfg, p, tokenizer, system) for p in prompts], return_tensors="pt",
                        padding=True, add_special_tokens=False).to(model.device)
        with torch.no_grad():
            out = model.generate(**enc, do_sample=True, temperature=cfg.temperature, top_p=cfg.top_p, top_k=0,
                                 max_new_tokens=cfg.max_completion_length, pad_token_id=tokenizer.pad_token_id)
    finally:
        tokenizer.padding_side = side
        model.train(was_training)
    new = out[:, enc["input_ids"].shape[1]:]
    texts = tokenizer.batch_decode(new, skip_special_tokens=True)
    return list(zip(texts, [_generated_tokens(row.tolist(), tokenizer.eos_token_id) for row in new], strict=True))


def _generated_tokens(ids: list[int], eos: int | None) -> int:
    return ids.index(eos) + 1 if eos is not None and eos in ids else len(ids)


def renders_in_flight(cfg: RunConfig) -> int:
    """Held-out renders handed to the renderer at once: two per page, so a page never waits for work."""
    return 2 * max(1, cfg.render_pool)


async def evaluate(model, tokenizer, cfg: RunConfig, rubric: Rubric, renderer, checkpoint: str, step: int, *,
                   system: str, prompts: list[str] | None = None, refs_pool: RatingPool | None = None,
                   cache: JudgementCache | None = None, shared: dict | None = None,
                   independent: Rubric | None = None) -> HeldoutResult:
    """Sample every held-out prompt (the run's fixed set; else the config's) with every seed, render
    (seed-matched), score with the run's rubric and, when given, the independent signal (`shared`: what the
    training reward hands its components too, the policy's tokenizer)."""
    prompts = heldout_prompts(cfg) if prompts is None else prompts
    rollouts = []
    for seed in cfg.heldout_seeds:
        for p, (text, tokens) in zip(prompts, generate(model, tokenizer, cfg, prompts, seed, system), strict=True):
            rollouts.append(Rollout(prompt=p, completion=text, code=code_of(text), seed=seed, meta={TOKENS_KEY: tokens}))
    return await score_heldout(rollouts, rubric, renderer, cfg, checkpoint, step, refs_pool=refs_pool, cache=cache,
                               shared=shared, independent=independent)


async def score_heldout(rollouts: list[Rollout], rubric: Rubric, renderer, cfg: RunConfig, checkpoint: str, step: int,
                        *, refs_pool: RatingPool | None = None, cache: JudgementCache | None = None,
                        shared: dict | None = None, independent: Rubric | None = None) -> HeldoutResult:
    """Render (each rollout with its seed) and score held-out rollouts; the samples of one prompt form a group.

    `independent` scores the same images a second time (its own total per sample), never mixed into the first."""
    # A few renders ahead of the renderer's pages, not all at once: a render waiting for a page longer than
    # its wall bound is `overloaded` (not measured), and 200 held-out renders queued on 2 pages would be.
    ahead = asyncio.Semaphore(renders_in_flight(cfg))

    async def render(r: Rollout) -> None:
        r.check = check(r.code)
        if r.code.strip():
            async with ahead:
                r.render = await renderer.render(r.code, seed=r.seed, size=cfg.render_size, timeout=cfg.render_timeout)

    await asyncio.gather(*(render(r) for r in rollouts))
    scores = await rubric.score(rollouts, refs_pool=refs_pool, cache=cache, seed=cfg.seed, shared=shared)
    second = None
    if independent is not None:
        second = [s.total for s in await independent.score(rollouts, refs_pool=refs_pool, cache=cache, seed=cfg.seed,
                                                           shared=shared)]
    return HeldoutResult(checkpoint=checkpoint, step=step, rollouts=rollouts, scores=scores,
                         seeds=[r.seed for r in rollouts], independent=second)


def contact_sheet(first: list[tuple[str, bytes | None, float | None]], last: list[tuple[str, bytes | None, float | None]],
                  title_first: str, title_last: str, cell: int = 160) -> Image.Image:
    """Rows of (prompt, png, total): the first evaluation on the left half, the last on the right."""
    rows = max(len(first), len(last))
    per_side = 1
    label_h = 28
    sheet = Image.new("RGB", (cell * 2 * per_side + 8, label_h + rows * (cell + 18)), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((4, 6), title_first, fill="black")
    draw.text((cell + 12, 6), title_last, fill="black")
    for col, items in enumerate((first, last)):
        for row, (prompt, png, total) in enumerate(items):
            x, y = col * (cell + 8), label_h + row * (cell + 18)
            if png:
                sheet.paste(Image.open(io.BytesIO(png)).convert("RGB").resize((cell, cell)), (x, y))
            else:
                draw.rectangle((x, y, x + cell - 1, y + cell - 1), outline="red")
                draw.text((x + 6, y + cell // 2), "no image", fill="red")
            score = "None" if total is None else f"{total:.2f}"
            draw.text((x + 2, y + cell + 2), f"{score} {prompt.removeprefix('draw a ')[:24]}", fill="black")
    return sheet
