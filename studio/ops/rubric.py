"""Rubric ops: the Rubric pane's only door into core.reward (presets, scoring a sample, the learned model).

Scoring runs in a worker *process* (the components are CPU work in Python: image statistics, the
sketch check, the learned model; in a thread they would hold the GIL against the GUI thread), in
small chunks so progress shows and cancel stops it between chunks. Re-combining weights is numpy
over cached values and runs on the GUI thread (about a millisecond for 200 images). Preset files and
the learned model's meta are read and written in a thread (`run_in_thread`).
"""
from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import tomllib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np
import tomli_w

from core.pool.demo import is_demo as _is_demo
from core.pool.demo import strip_demo
from core.pool.pool import PoolImage, RatingPool
from core.render.types import RenderResult
from core.reward.learned.artefacts import read_meta
from core.reward.learned.train import train_reward_model
from core.reward.rubric import PRESETS_DIR, Rubric, load_rubric, rubric_from_dict
from core.reward.types import Rollout, RubricError
from core.store import Store
from core.store.home import presets_dir
from studio.bus import ChangeBus, Job, Jobs
from studio.ops import run_in_thread, start_job
from studio.ops.rubric_sample import ScoredSample, Setting, correlation_matrix, open_rubric, pick_sample

CHUNK = 8


def user_presets_dir() -> Path:
    """Presets the user saved from the Rubric pane (the bundled ones stay read-only)."""
    return presets_dir()


async def preset_choices() -> list[tuple[str, Path]]:
    """(label, path) of every preset: bundled first, then the user's (listed in a thread)."""
    return await run_in_thread(_preset_choices)


def _preset_choices() -> list[tuple[str, Path]]:
    out = [(p.stem, p) for p in sorted(PRESETS_DIR.glob("*.toml"))]
    user = user_presets_dir()
    if user.is_dir():
        out += [(f"{p.stem} (mine)", p) for p in sorted(user.glob("*.toml"))]
    return out


async def load_preset(path: Path | str) -> Rubric:
    """The preset's Rubric, read and checked in a thread (RubricError says what is wrong with it)."""
    return await run_in_thread(load_rubric, path)


def is_demo(image: PoolImage) -> bool:
    """True for a demo-pool image (the pane labels them)."""
    return _is_demo(image)


def display_prompt(image: PoolImage) -> str:
    """The prompt as a person reads it, with "(demo)" for demo-pool images."""
    text = strip_demo(image.prompt) or "(no prompt)"
    return f"{text} (demo)" if is_demo(image) else text


_EXECUTOR: ProcessPoolExecutor | None = None


def scoring_executor() -> ProcessPoolExecutor:
    """One spawned worker process for scoring samples (started on first use, reused after)."""
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_lower_priority)
    return _EXECUTOR


def _lower_priority() -> None:
    """Scoring is background work: on a busy machine the GUI thread gets the core first."""
    try:
        os.nice(10)
    except OSError:
        pass


def shutdown_executor() -> None:
    """Stop the scoring process (the studio calls this on exit)."""
    global _EXECUTOR
    if _EXECUTOR is not None:
        _EXECUTOR.shutdown(wait=False, cancel_futures=True)
        _EXECUTOR = None


async def in_process(fn: Callable, *args):  # noqa: ANN201 (fn's result)
    """Run picklable `fn(*args)` in the scoring process."""
    return await asyncio.get_running_loop().run_in_executor(scoring_executor(), fn, *args)


def _score_chunk(rubric: Rubric, images: list[PoolImage], db_path: str
                 ) -> tuple[list[list[float]], list[str], list[bool]]:
    """(component values per image, notes, uncounted per image: no stored render says what it counted)."""
    # The worker outlives one pane: the learned model and presets belong to this pool's data home.
    os.environ["BRUSHWORK_HOME"] = str(Path(db_path).parent)
    store = Store(db_path)
    pool = RatingPool(store)

    rollouts, uncounted = [], []
    for im in images:
        png = im.path.read_bytes()
        # What the harness counted when this code was rendered (the renders table keeps it); an image with no
        # stored render has no counts, and the components that need them say "not measured".
        record = store.find_render(im.code, 0, im.width, im.height) if im.code else None
        drawn = record if record is not None and record.ok else None
        uncounted.append(drawn is None or drawn.brush_calls is None)
        render = RenderResult(ok=True, png=png, error=None, ms=0.0, sketch_ms=None, width=im.width, height=im.height,
                              brush_calls=drawn and drawn.brush_calls, brush_state=drawn and drawn.brush_state)
        rollouts.append(Rollout(prompt=strip_demo(im.prompt) or "", completion=im.code or "", code=im.code or "",
                                render=render))
    scores = asyncio.run(rubric.score(rollouts, refs_pool=pool))
    rows, notes = [], []
    names = [sp.name for sp in rubric.specs]
    for s in scores:
        values = {**s.components, **s.gates}
        rows.append([math.nan if values.get(n) is None else float(values[n]) for n in names])
        notes += [n for n in s.notes if n not in notes]
    return rows, notes, uncounted


async def score_sample(pool: RatingPool, rubric: Rubric, jobs: Jobs | None = None, n: int = 120,
                       progress: Callable[[int, int], None] | None = None, seed: int = 0) -> ScoredSample:
    """Score up to n rated images with every component of `rubric`, in a worker thread, chunk by chunk."""
    images = await run_in_thread(pick_sample, pool, n, seed)
    full = open_rubric(rubric)
    names = [s.name for s in full.specs]

    async def work(job: Job | None) -> ScoredSample:
        rows: list[list[float]] = []
        notes: list[str] = []
        uncounted: list[bool] = []
        for start in range(0, len(images), CHUNK):
            if job is not None and job.cancelled:
                raise asyncio.CancelledError
            chunk_rows, chunk_notes, chunk_uncounted = await in_process(
                _score_chunk, full, images[start:start + CHUNK], str(pool.store.path))
            rows += chunk_rows
            uncounted += chunk_uncounted
            notes += [n for n in chunk_notes if n not in notes]
            if progress is not None:
                progress(len(rows), len(images))
            if job is not None and jobs is not None:
                jobs.progress(job, len(rows) / max(1, len(images)))
        values = np.array(rows, dtype=float).reshape(len(images), len(names))
        sample = ScoredSample(images, names, values, notes, rubric=rubric, uncounted=np.array(uncounted, dtype=bool))
        sample.correlation = await in_process(correlation_matrix, sample)
        return sample

    if jobs is None:
        return await work(None)
    return await start_job(jobs, f"Scoring {len(images)} rated images with {rubric.name}", work)


def preset_toml(rubric: Rubric, settings: dict[str, Setting], name: str) -> str:
    """The preset as TOML with the pane's weights and gates; components weighted 0 and not gates are left out."""
    components: dict[str, dict] = {}
    for spec in rubric.specs:
        st = settings.get(spec.name, Setting(spec.weight, spec.gate))
        if st.weight <= 0 and not st.gate:
            continue
        entry: dict = {"fn": spec.fn} if spec.fn != spec.name else {}
        if st.weight > 0:
            entry["weight"] = round(st.weight, 4)
        if st.gate:
            entry["gate"] = True
        if spec.params:
            entry["params"] = spec.params
        if spec.fallback:
            entry["fallback"] = spec.fallback
        components[spec.name] = entry
    judges = {jname: {k: v for k, v in js.public_dict().items() if k != "name" and v not in ("", [], None)}
              for jname, js in rubric.judge_settings.items()}
    data = {"name": name, "description": f"{rubric.description} (weights tuned in the Rubric pane)".strip(),
            "components": components, **({"judges": judges} if judges else {})}
    return f"# Saved from the Rubric pane, based on {rubric.name}.\n" + tomli_w.dumps(data)


async def save_preset(rubric: Rubric, settings: dict[str, Setting], name: str) -> Path:
    """Write the pane's weights as a new preset in the data home (in a thread); returns its path."""
    return await run_in_thread(_save_preset, rubric, settings, name)


def _save_preset(rubric: Rubric, settings: dict[str, Setting], name: str) -> Path:
    """Write the pane's weights as a new preset in the data home; checked by loading it back."""
    clean = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip()).strip("-")
    if not clean:
        raise RubricError("give the preset a name (letters, digits, - or _).")
    text = preset_toml(rubric, settings, clean)
    rubric_from_dict(tomllib.loads(text))  # refuses a preset that would not load
    target = user_presets_dir() / f"{clean}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


async def model_summary() -> dict | None:
    """The learned model's meta (held-out accuracy, baseline, date, demo pool) or None, read in a thread."""
    meta = await run_in_thread(read_meta)
    return None if meta is None else asdict(meta)


async def retrain(pool: RatingPool, bus: ChangeBus, jobs: Jobs) -> dict:
    """Retrain the learned model as a cancellable background job; announces a `reward_model` change."""
    async def work(job: Job) -> dict:
        loop = asyncio.get_running_loop()

        def progress(what: str, frac: float) -> None:
            loop.call_soon_threadsafe(jobs.progress, job, frac)

        report = await run_in_thread(train_reward_model, pool, progress=progress, cancel=lambda: job.cancelled)
        out = report.to_dict()
        bus.emit_change("reward_model")
        bus.message.emit(f"Reward model retrained: held-out pair accuracy {out['heldout_pair_accuracy']}"
                         f" vs {out['baseline_accuracy']} for 'more colourful wins'")
        return out
    return await start_job(jobs, "Training the reward model", work)
