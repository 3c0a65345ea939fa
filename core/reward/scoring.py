"""Score sketches end to end: read, extract, render in the warm pool, check, and score with a rubric.

The library side of `brushwork score` (single file, folder of .js, or a parquet of prompts and
completions); the trainer builds Rollouts itself and calls `Rubric.score` directly.
"""
from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.paths import STARTERS
from core.render import BrowserUnavailable, Renderer
from core.render.types import MACHINE_KINDS
from core.reward.judges.cache import JudgementCache
from core.reward.rubric import Rubric
from core.reward.types import Rollout, Score
from core.sketch.check import check
from core.sketch.extract import extract_code
from core.sketch.files import read_sketch_text
from core.train.corpus import all_specs, sketch_code

_PROMPT_HEADER = re.compile(r"^\s*//\s*prompt:\s*(.+?)\s*$", re.M | re.I)


def prompt_from_header(code: str) -> str | None:
    """The `// prompt: …` line of a sketch file (starters and cheat sketches carry one)."""
    m = _PROMPT_HEADER.search(code)
    return m.group(1) if m else None


def real_painting(prompt: str) -> tuple[str, str] | None:
    """(name, code) of the real painting of a prompt: the starter with that `// prompt:` line, else the
    procedural corpus's sketch (core/train/corpus.py) for that prompt; None when there is neither. What a
    cheat written against the prompt must score below (tests/reward/test_cheats.py, `brushwork bench cheats`)."""
    for path in sorted(STARTERS.glob("*.js")):
        text = path.read_text()
        if prompt_from_header(text) == prompt:
            return path.name, text
    spec = next((s for s in all_specs() if s.prompt == prompt), None)
    return None if spec is None else (f"corpus: {prompt}", sketch_code(spec, seed=1))


def with_judge_overrides(rubric: Rubric, url: str | None = None, model: str | None = None) -> Rubric:
    """A copy whose OpenAI-compatible judges use `url` / `model` (a local vLLM, Ollama or test server)."""
    if not url and not model:
        return rubric
    judges = {}
    for name, s in rubric.judge_settings.items():
        if s.backend == "openai":
            s = replace(s, base_url=url or s.base_url, model=model or s.model)
        judges[name] = s
    return replace(rubric, judge_settings=judges)


def read_items(source: Path, prompt: str | None = None) -> list[dict[str, Any]]:
    """[{"name", "prompt", "completion"}] from a .js file, a folder of them, or a parquet with prompt + completion|code."""
    if source.suffix == ".parquet":
        import pyarrow.parquet as pq  # deferred: heavy (pyarrow): only batch scoring writes parquet

        rows = pq.read_table(source).to_pylist()
        if rows and "completion" not in rows[0] and "code" not in rows[0]:
            raise ValueError(f"{source}: needs a 'completion' or 'code' column (has {', '.join(rows[0])}).")
        return [{"name": str(r.get("name") or i), "prompt": r.get("prompt") or prompt or "",
                 "completion": r.get("completion") or r.get("code") or ""} for i, r in enumerate(rows)]
    files = sorted(p for p in source.glob("*.js") if p.is_file()) if source.is_dir() else [source]
    items = []
    for f in files:
        text = read_sketch_text(f)
        items.append({"name": f.name, "prompt": prompt or prompt_from_header(text) or "", "completion": text})
    return items


def code_of(completion: str) -> str:
    """The sketch inside a completion: raw .js passes through, model output is extracted."""
    stripped = completion.lstrip()
    if stripped.startswith(("```", "<")) or "```" in completion:
        return extract_code(completion).code
    return completion


async def score_items(items: list[dict[str, Any]], rubric: Rubric, *, seed: int = 0, size: int = 512,
                      timeout: float = 30.0, store=None, refs_pool=None, render: bool = True,
                      on_progress: Callable[[int], None] | None = None) -> tuple[list[Rollout], list[Score], list[str]]:
    """Render, check and score items; returns (rollouts, scores, notes about the run)."""
    rollouts = [Rollout(prompt=it["prompt"], completion=it["completion"], code=code_of(it["completion"]), seed=seed)
                for it in items]
    notes: list[str] = []
    for r in rollouts:
        r.check = check(r.code)
    if render:
        notes += await _render_all(rollouts, seed=seed, size=size, timeout=timeout, store=store,
                                   on_progress=on_progress)
    cache = JudgementCache(store) if store is not None else None
    if cache is not None and not cache.available:
        notes.append("judgement cache off: the store has no judgements table yet (schema v4)")
    scores = await rubric.score(rollouts, refs_pool=refs_pool, cache=cache, seed=seed)
    return rollouts, scores, notes


async def _render_all(rollouts: list[Rollout], *, seed: int, size: int, timeout: float, store,
                      on_progress: Callable[[int], None] | None) -> list[str]:
    # Not started up front: the renderer launches Chromium on its first cache miss, so scoring
    # sketches already rendered (the same file under another rubric) opens no browser at all.
    renderer = Renderer(pool_size=min(2, max(1, len(rollouts))), store=store)
    down: list[str] = []  # once Chromium cannot start, the rest are not tried one launch each

    def machine_fault(result) -> bool:  # noqa: ANN001 (RenderResult)
        return result.error is not None and result.error.kind in MACHINE_KINDS

    async def one(r: Rollout) -> None:
        if r.code.strip() and not down:
            result = await renderer.render(r.code, seed=seed, size=size, timeout=timeout)
            if machine_fault(result):  # the machine's failure (a crash, a wall-bound stop under load): once more
                result = await renderer.render(r.code, seed=seed, size=size, timeout=timeout)
            # Kept on the rollout even when the machine failed it: the rubric then scores it None (not measured,
            # its fault in the row), never 0, whichever of MACHINE_KINDS it was.
            r.render = result
            if machine_fault(result):
                try:
                    await renderer.start()  # a no-op while Chromium runs; raises when it cannot start at all
                except BrowserUnavailable as e:
                    down.append(str(e))
        if on_progress:
            on_progress(1)

    try:
        await asyncio.gather(*(one(r) for r in rollouts))
    finally:
        await renderer.close()
    return [f"not rendered: {down[0]}"] if down else []


def score_record(name: str, rollout: Rollout, score: Score) -> dict[str, Any]:
    """One flat row for parquet: name, prompt, total, one column per component and gate, what is missing and
    what its group could not share (JSON lists), the machine's render fault if any, the notes."""
    row: dict[str, Any] = {"name": name, "prompt": rollout.prompt, "total": score.total,
                           "render_ok": bool(rollout.render and rollout.render.ok),
                           "render_error": rollout.render.error.kind if rollout.render and rollout.render.error else None}
    row.update({f"c_{k}": v for k, v in score.components.items()})
    row.update({f"g_{k}": v for k, v in score.gates.items()})
    row["missing"] = json.dumps(score.missing)
    row["dropped"] = json.dumps(score.dropped)
    row["fault"] = score.fault
    row["notes"] = json.dumps(score.notes)
    return row
