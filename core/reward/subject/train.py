"""Train the subject recogniser: render its sketches in the sandbox, fit, measure on held-out renders, save.

One call does it all (`brushwork subject train`, once, at `make demo` time). The renders are made at
the tiny CPU preset's size (128 px) in the warm page pool; about one in five of each class is held out
and never trained on, and its accuracy is written to the artefact's meta.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.render import Renderer
from core.render.types import MACHINE_KINDS
from core.reward.imagestats import layout_lab
from core.reward.subject.features import ink_map, input_of
from core.reward.subject.model import RecogniserMeta, fit, predict, save
from core.reward.subject.sketches import LABELS, NONE, training_sketches
from core.reward.subject.vocabulary import SUBJECT_WORDS
from core.reward.types import RewardError

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class TrainSettings:
    """How big a recogniser to train (the defaults take a few minutes on 2 cores, mostly rendering)."""

    per_subject: int = 16
    negatives: int = 48
    steps: int = 500
    width: int = 16
    render_size: int = 128
    heldout_every: int = 5  # every n-th render of a class is held out
    seed: int = 0


async def render_inks(sketches: list[tuple[str, str]], size: int, renderer=None,
                      on_progress: Progress | None = None, pages: int = 2,
                      seeds: list[int] | None = None) -> list[tuple[str, np.ndarray]]:
    """(label, ink map) of every sketch that rendered; a failed render is left out. Sketch i renders with
    seed i (or seeds[i]). At most `pages` renders are asked for at once (a render left waiting for a page past
    its wall bound comes back `overloaded`), and a render the machine failed (MACHINE_KINDS) is tried once more."""
    own = renderer is None
    renderer = renderer or Renderer(pool_size=pages)
    gate = asyncio.Semaphore(pages)
    done = 0
    out: list[tuple[str, np.ndarray] | None] = [None] * len(sketches)

    async def one(i: int, label: str, code: str) -> None:
        nonlocal done
        seed = i if seeds is None else seeds[i]
        async with gate:
            result = await renderer.render(code, seed=seed, size=size, timeout=60.0, use_cache=False)
            if result.error is not None and result.error.kind in MACHINE_KINDS:
                result = await renderer.render(code, seed=seed, size=size, timeout=60.0, use_cache=False)
        if result.ok and result.png is not None:
            out[i] = (label, ink_map(layout_lab(result.png)))
        done += 1
        if on_progress is not None:
            on_progress("render", done, len(sketches))

    try:
        await asyncio.gather(*(one(i, label, code) for i, (label, code) in enumerate(sketches)))
    finally:
        if own:
            await renderer.close()
    return [item for item in out if item is not None]


def split(items: list[tuple[str, np.ndarray]], every: int) -> tuple[list, list]:
    """(train, held-out): every `every`-th item of each label is held out."""
    seen: dict[str, int] = {}
    train, held = [], []
    for label, ink in items:
        seen[label] = seen.get(label, 0) + 1
        (held if seen[label] % every == 0 else train).append((label, ink))
    return train, held


def accuracy(net, held: list[tuple[str, np.ndarray]]) -> tuple[float | None, dict[str, float]]:  # noqa: ANN001
    """Held-out accuracy overall and per label."""
    if not held:
        return None, {}
    probs = predict(net, np.stack([input_of(ink) for _, ink in held]))
    guesses = [LABELS[i] for i in probs.argmax(1)]
    by_label: dict[str, list[bool]] = {}
    for (label, _), guess in zip(held, guesses, strict=True):
        by_label.setdefault(label, []).append(guess == label)
    overall = float(np.mean([g == label for (label, _), g in zip(held, guesses, strict=True)]))
    return overall, {k: float(np.mean(v)) for k, v in sorted(by_label.items())}


def train_recogniser(settings: TrainSettings = TrainSettings(), home: Path | None = None, renderer=None,
                     on_progress: Progress | None = None) -> RecogniserMeta:
    """Render, fit, measure and save a recogniser; returns its meta (held-out accuracy included)."""
    t0 = time.perf_counter()
    sketches = training_sketches(settings.per_subject, settings.negatives, settings.seed)
    rendered = asyncio.run(render_inks(sketches, settings.render_size, renderer, on_progress))
    return fit_recogniser(rendered, settings, home, on_progress, asked=len(sketches), started=t0)


def fit_recogniser(rendered: list[tuple[str, np.ndarray]], settings: TrainSettings, home: Path | None = None,
                   on_progress: Progress | None = None, asked: int | None = None,
                   started: float | None = None) -> RecogniserMeta:
    """Fit, measure on held-out and save a recogniser on rendered (label, ink map) pairs (`render_inks`'s
    output; `asked` = how many sketches were sent to render); returns its meta."""
    t0 = time.perf_counter() if started is None else started
    asked = len(rendered) if asked is None else asked
    missing = sorted(set(LABELS) - {label for label, _ in rendered})
    if len(rendered) < asked // 2 or missing:
        raise RewardError(f"only {len(rendered)} of {asked} training sketches rendered"
                          f"{' (none of: ' + ', '.join(missing) + ')' if missing else ''}; "
                          "check the renderer with `brushwork doctor` and train again.")
    train, held = split(rendered, settings.heldout_every)
    index = {label: i for i, label in enumerate(LABELS)}
    step_report = (lambda step, _loss: on_progress("fit", step + 1, settings.steps)) if on_progress else None
    net = fit([ink for _, ink in train], [index[label] for label, _ in train], len(LABELS), index[NONE],
              steps=settings.steps, width=settings.width, seed=settings.seed, on_step=step_report)
    overall, by_label = accuracy(net, held)
    meta = RecogniserMeta(labels=list(LABELS), words={k: list(v) for k, v in SUBJECT_WORDS.items()},
                          width=settings.width, render_size=settings.render_size, train_images=len(train),
                          heldout_images=len(held), heldout_accuracy=overall, heldout_by_label=by_label,
                          steps=settings.steps, seconds=round(time.perf_counter() - t0, 1))
    save(net, meta, home)
    return meta
