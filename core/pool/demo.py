"""The demo pool: a fresh install's something to judge against, rendered by the real renderer.

Starters (love), washed-out variations of them (okay) and deliberately poor procedural sketches
(nope) go into the rating pool as source `supplement` with the prompt prefix `[demo] `, so every
view can label them and the learned reward model can drop them once a person has rated enough of
their own (`own_ratings_replace_demo`).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from core.pool.demo_sketches import DemoSketch, demo_sketches
from core.pool.pool import PoolImage, RatingPool
from core.render import BrowserUnavailable, SyncRenderer
from core.store import Store

DEMO_PREFIX = "[demo] "
DEMO_SOURCE = "supplement"
DEMO_SIZE = 256
# Once a person has rated this many images of their own, the demo pool no longer trains the model.
OWN_RATINGS_REPLACE_DEMO = 30


@dataclass
class DemoReport:
    added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    tiers: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"added": self.added, "duplicates": self.duplicates, "failed": [list(f) for f in self.failed],
                "tiers": self.tiers, "seconds": round(self.seconds, 1)}


def is_demo(image: PoolImage) -> bool:
    """True for an image the demo pool put there."""
    return bool(image.prompt) and image.prompt.startswith(DEMO_PREFIX)


def strip_demo(prompt: str | None) -> str | None:
    """The prompt without the demo label."""
    return prompt[len(DEMO_PREFIX):] if prompt and prompt.startswith(DEMO_PREFIX) else prompt


def training_images(pool: RatingPool, min_own: int = OWN_RATINGS_REPLACE_DEMO) -> list[PoolImage]:
    """Rated images to learn from: the person's own when they have `min_own` of them, else all (demo too)."""
    rated = [im for im in pool.images() if im.tier is not None]
    own = [im for im in rated if not is_demo(im)]
    return own if len(own) >= min_own else rated


def build_demo_pool(
    pool: RatingPool,
    renderer,  # noqa: ANN001 (SyncRenderer or anything with its blocking render())
    sketches: list[DemoSketch] | None = None,
    size: int = DEMO_SIZE,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int = 2,
    timeout: float = 60.0,
) -> DemoReport:
    """Render every demo sketch and add + rate it; a sketch that fails to render is reported, not fatal.

    `timeout` is generous: the heaviest starter takes ~5 s alone but far longer on a busy machine.
    """
    sketches = demo_sketches() if sketches is None else sketches
    report = DemoReport(tiers={"love": 0, "okay": 0, "nope": 0})
    start = time.perf_counter()

    def render(sk: DemoSketch):  # noqa: ANN202 (RenderResult | None)
        if cancel is not None and cancel():
            return None
        return renderer.render(sk.code, seed=sk.seed, size=size, timeout=timeout)

    # Two renders in flight keep both warm pages busy; images are added and rated in sketch order.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as ex:
        for i, (sk, result) in enumerate(zip(sketches, ex.map(render, sketches), strict=True)):
            if progress is not None:
                progress(i, len(sketches), sk.name)
            if result is None:
                break
            if not result.ok or result.png is None:
                msg = result.error.message if result.error else "no image"
                report.failed.append((sk.name, f"{result.error.kind if result.error else 'error'}: {msg}"))
                continue
            added = pool.add_image(result.png, prompt=DEMO_PREFIX + sk.prompt, source=DEMO_SOURCE, code=sk.code,
                                   name=sk.name)
            if added.duplicate:
                report.duplicates += 1
            else:
                report.added += 1
            if added.image.tier is None:
                pool.rate(added.image.id, sk.tier)
            report.tiers[sk.tier] += 1
    if progress is not None:
        progress(len(sketches), len(sketches), "done")
    report.seconds = time.perf_counter() - start
    return report


def register(sub: argparse._SubParsersAction) -> None:
    """`brushwork pool demo` is added by core.pool.commands; `brushwork rm demo-pool` by the rm commands."""
    p = sub.add_parser("demo-pool", help="render the demo pool (starters, variations, poor sketches) and rate it")
    add_arguments(p)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--size", type=int, default=DEMO_SIZE, help="render size in px")
    p.add_argument("--love-seeds", type=int, default=2, help="seeds per starter rated love")
    p.add_argument("--nope-per-kind", type=int, default=5, help="poor sketches of each kind")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo pool in the data home's rating pool."""
    store = Store()
    pool = RatingPool(store)
    sketches = demo_sketches(args.love_seeds, args.nope_per_kind)

    def progress(done: int, total: int, name: str) -> None:
        if not args.json:
            print(f"\r[{done}/{total}] {name[:40]:<40}", end="", file=sys.stderr, flush=True)

    try:
        with SyncRenderer(pool_size=2, store=store) as renderer:
            report = build_demo_pool(pool, renderer, sketches, size=args.size, progress=progress)
    except BrowserUnavailable as e:
        print(f"brushwork: the demo pool needs the renderer: {e}", file=sys.stderr)
        return 2
    if not args.json:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        t = report.tiers
        print(f"demo pool: {report.added} added, {report.duplicates} already there "
              f"({t['love']} love, {t['okay']} okay, {t['nope']} nope) in {report.seconds:.0f} s")
        for name, why in report.failed:
            print(f"failed {name}: {why}", file=sys.stderr)
    return 0 if not report.failed else 1
