"""Helpers for reward tests: rollouts from synthetic paintings, a pool of love-tier references."""
from __future__ import annotations

from pathlib import Path

from core.render.types import RenderResult
from core.reward import Rollout
from tests.synthetic_paintings import synthetic_painting

CHEATS = Path(__file__).resolve().parent / "cheats"
REPO = Path(__file__).resolve().parents[2]
STARTERS = REPO / "resources" / "starters"
GOOD_CODE = (STARTERS / "01-peach-hibiscus.js").read_text()


# What the harness measured for the hibiscus starter: the drawing primitives that drew (render contract).
DRAWN = {"endShape": 13, "line": 29, "circle": 11}


def png_rollout(png: bytes | None, prompt: str = "a peach hibiscus in watercolour", code: str = GOOD_CODE,
                error_kind: str | None = None, brush_calls: dict[str, int] | None = DRAWN) -> Rollout:
    """A Rollout whose render is the given PNG (or a failed render of `error_kind`) with measured brush counts."""
    from core.render.types import RenderError

    error = RenderError(error_kind, "test") if error_kind else None
    render = RenderResult(ok=error is None and png is not None, png=png, error=error, ms=1.0, sketch_ms=1.0,
                          brush_calls=brush_calls)
    return Rollout(prompt=prompt, completion=code, code=code, render=render)


def painting(colour: str = "#ffa64d", seed: int = 0, size: int = 256) -> bytes:
    """A synthetic flower-ish painting (blobs and leaves on paper)."""
    return synthetic_painting(colour, size=size, seed=seed)


def love_pool(store, n: int = 4, colour: str = "#ffa64d", prompt: str = "a peach flower"):
    """A RatingPool holding n love-tier paintings of one colour."""
    from core.pool import RatingPool

    pool = RatingPool(store)
    for i in range(n):
        image = pool.add_image(painting(colour, seed=100 + i, size=128), prompt=prompt).image
        pool.rate(image.id, "love")
    return pool


def real_painting(prompt: str) -> tuple[str, str]:
    """(name, code) of the real painting for a prompt: a starter with that prompt, else the corpus sketch."""
    from core.reward.scoring import real_painting as found

    real = found(prompt)
    assert real is not None, f"no real painting for {prompt!r}: add a starter or use a corpus prompt"
    return real


def score_beside_reals(paths: list[Path], renderer, recogniser_home: Path, home: Path, size: int):
    """Render each sketch file (its prompt in a `// prompt:` line) and the real painting of each prompt for
    real at `size`, and score them all on offline-default with the session's subject recogniser (copied into
    `home`). Returns ({name: (prompt, Score, RenderResult)}, {prompt: name of its real painting})."""
    import asyncio
    import os
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from core.reward import load_rubric
    from core.reward.scoring import prompt_from_header
    from core.reward.subject.model import model_dir
    from core.sketch import check

    sketches = {p.name: (prompt_from_header(p.read_text()), p.read_text()) for p in paths}
    reals = {prompt: real_painting(prompt) for prompt in sorted({prompt for prompt, _ in sketches.values()})}
    todo = {**sketches, **{name: (prompt, code) for prompt, (name, code) in reals.items()}}

    def one(item):
        name, (prompt, code) = item
        result = renderer.render(code, seed=0, size=size, timeout=240, use_cache=False)
        if result.error is not None and result.error.kind == "browser":  # a starved Chromium: once more
            result = renderer.render(code, seed=0, size=size, timeout=240, use_cache=False)
        return name, Rollout(prompt, code, code, result, check(code))

    with ThreadPoolExecutor(2) as ex:  # the renderer's pool has two pages
        rollouts = dict(ex.map(one, todo.items()))
    shutil.copytree(model_dir(recogniser_home), model_dir(home))
    old = os.environ.get("BRUSHWORK_HOME")
    os.environ["BRUSHWORK_HOME"] = str(home)  # the subject component reads the recogniser from the data home
    try:
        scores = asyncio.run(load_rubric("offline-default").score(list(rollouts.values())))
    finally:
        if old is None:
            os.environ.pop("BRUSHWORK_HOME")
        else:
            os.environ["BRUSHWORK_HOME"] = old
    table = {name: (r.prompt, s, r.render) for (name, r), s in zip(rollouts.items(), scores, strict=True)}
    return table, {prompt: name for prompt, (name, _) in reals.items()}
