"""Render benchmark: a new browser per render (the naive way) vs the warm page pool, side by side.

Run with `brushwork bench render [--json] [--warm N] [--cold N]`. For an empty sketch and a watercolour
flower it reports: cold p50 (launch Chromium, load the harness, render, quit — p5 starts with the sketch;
the Playwright driver is started once, so only the browser is per render, as with Puppeteer);
warm p50/p95 (one render at a time through the pool, each with a warm page at hand: the latency an editor
sees); renders_per_s (a batch of N renders submitted at once, pages recycling between them: the training
throughput); speedup = cold p50 / warm p50; harness_overhead = median of (render ms − in-page sketch ms)
/ render ms over the warm renders. The render cache is off. The last line of --json output is one JSON
object; the two sides run in the same process, one after the other, so machine load hits both.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from playwright.async_api import async_playwright

from core.paths import REPO_ROOT, STARTERS
from core.render import Renderer
from core.render.browser import find_chromium, launch
from core.render.capture import capture
from core.render.jail import Jail
from core.render.sandbox import HarnessFiles, open_warm_page

EMPTY = "function setup() {\n  createCanvas(512, 512, WEBGL);\n  background(250);\n  rect(0, 0, 4, 4);\n}\n"


def flower_sketch() -> tuple[str, str]:
    """(name, code): the starters' watercolour hibiscus when present, else our own fixture flower."""
    starter = STARTERS / "01-peach-hibiscus.js"
    path = starter if starter.exists() else REPO_ROOT / "tests" / "render" / "fixtures" / "flower.js"
    return path.name, path.read_text()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def cold_render(pw, code: str, files: HarnessFiles) -> float:
    """Launch Chromium, load the harness, render once, quit: wall ms (the Playwright driver is shared,
    as Puppeteer has none: only the browser is new per render)."""
    t0 = time.perf_counter()
    jail = Jail(find_chromium())  # the same jail (no network, memory cap) as the pool's browser
    browser = await launch(pw, wrapper=str(jail.wrapper))
    wp = await open_warm_page(browser, files, prewarm=False)  # naive: p5 starts with the sketch
    out = await wp.page.evaluate("o => window.__brushwork.render(o)", {
        "code": code, "seed": 0, "width": 512, "height": 512, "density": 1, "frames": 1})
    assert out["ok"], out["error"]
    assert (await capture(wp.cdp, wp.world)).png  # the isolated world's snapshot, taken as the harness answered
    await browser.close()
    await asyncio.to_thread(jail.remove)
    return (time.perf_counter() - t0) * 1000


async def warm_renders(r: Renderer, code: str, n: int) -> dict:
    """Latency with a warm page at hand (p50/p95, overhead), then throughput of a batch of n at once."""
    await r.wait_warm(r.pool_size)
    await r.render(code, timeout=120, use_cache=False)  # first use of this sketch in the pool (JIT, shaders)
    ms, overhead = [], []
    for i in range(n):
        await r.wait_warm(1)  # a page reloads in the background after each render; latency is measured warm
        result = await r.render(code, seed=i, timeout=120, use_cache=False)
        assert result.ok, result.error
        ms.append(result.ms)
        overhead.append((result.ms - result.sketch_ms) / result.ms)
    await r.wait_warm(r.pool_size)
    t0 = time.perf_counter()
    batch = await asyncio.gather(*(r.render(code, seed=100 + i, timeout=120, use_cache=False) for i in range(n)))
    wall = time.perf_counter() - t0
    assert all(b.ok for b in batch), [b.error for b in batch if not b.ok]
    return {"ms": ms, "overhead": overhead, "per_s": n / wall}


async def bench(n_warm: int, n_cold: int) -> dict:
    files = HarnessFiles()
    sketches = {"empty": EMPTY, "flower": flower_sketch()[1]}
    report = {}
    async with Renderer(pool_size=2) as r, async_playwright() as pw:
        for name, code in sketches.items():
            warm = await warm_renders(r, code, n_warm if name == "empty" else max(3, n_warm // 2))
            cold = [await cold_render(pw, code, files) for _ in range(n_cold)]
            cold_p50, warm_p50 = statistics.median(cold), statistics.median(warm["ms"])
            report[name] = {
                "cold_p50_ms": round(cold_p50, 1),
                "warm_p50_ms": round(warm_p50, 1),
                "warm_p95_ms": round(pct(warm["ms"], 0.95), 1),
                "renders_per_s": round(warm["per_s"], 2),
                "speedup": round(cold_p50 / warm_p50, 2),
                "harness_overhead": round(statistics.median(warm["overhead"]), 3),
            }
    return report


async def oversubscription(factor: int = 4, timeout: float = 10.0, code: str | None = None) -> dict:
    """`factor` × cores watercolour renders submitted at once, each with `timeout`: how many time out when
    every page runs its sketch at once (before) and when running sketches are bounded by cores (after)."""
    code = code or flower_sketch()[1]
    n = factor * (os.cpu_count() or 1)
    out = {"renders": n, "timeout_s": timeout}
    for label, bounded in (("before", False), ("after", True)):
        r = Renderer(pool_size=n)
        if not bounded:  # as before: every page runs its sketch at once, on a plain wall clock
            r.sketch_slots, r.fair_clock = n, False
        async with r:
            await r.wait_warm(n, timeout=600)
            t0 = time.perf_counter()
            results = await asyncio.gather(*(r.render(code, seed=i, timeout=timeout, use_cache=False) for i in range(n)))
            wall = time.perf_counter() - t0
        out[label] = {"timeouts": sum(1 for x in results if x.error and x.error.kind == "timeout"),
                      "failed": sum(1 for x in results if not x.ok), "wall_s": round(wall, 1),
                      "max_ms": round(max(x.ms for x in results))}
    return out


def print_table(report: dict, flower_name: str) -> None:
    print(f"render benchmark (cache off; flower = {flower_name})")
    print(f"{'sketch':8} {'cold p50':>9} {'warm p50':>9} {'warm p95':>9} {'renders/s':>10} {'speedup':>8} {'overhead':>9}")
    for name, row in report.items():
        print(f"{name:8} {row['cold_p50_ms']:>7.0f}ms {row['warm_p50_ms']:>7.0f}ms {row['warm_p95_ms']:>7.0f}ms "
              f"{row['renders_per_s']:>10.2f} {row['speedup']:>7.1f}× {row['harness_overhead']:>8.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="brushwork bench render")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--warm", type=int, default=12, help="warm renders of the empty sketch")
    parser.add_argument("--cold", type=int, default=3, help="cold renders per sketch")
    parser.add_argument("--oversubscribe", type=int, default=0, metavar="K",
                        help="instead: K × cores watercolour renders at once, timeouts before/after the core bound")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-render timeout for --oversubscribe")
    parser.add_argument("--sketch", type=Path, help="sketch for --oversubscribe (default: the watercolour flower)")
    args = parser.parse_args()
    if args.oversubscribe:
        print(json.dumps(asyncio.run(oversubscription(args.oversubscribe, args.timeout,
                                                        args.sketch.read_text() if args.sketch else None))))
        return
    report = asyncio.run(bench(args.warm, args.cold))
    if not args.json:
        print_table(report, flower_sketch()[0])
    else:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
