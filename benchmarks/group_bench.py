"""Group benchmark: one GRPO group rendered as training renders it, against the same sketches rendered alone.

Run with `brushwork bench group [DIR] [--json] [--pages N] [--repeat K] [--gap-ms MS]`. The sketches are DIR's `*.js`
files, or a built-in set like a tiny model's (short procedural sketches from core/train/corpus.py, one cut
short, one with a 1.x brush name, one on a P2D canvas, one that draws nothing). Each render runs in a fresh
browser context of its own, cache off, at the tiny-cpu preset's size and timeout. After the pool is warm:
- `alone_ms_sum`: the sketches rendered one at a time, each on a warm page (the pool full again before
  each), summed; `ideal_ms` = alone_ms_sum / min(cores, renders);
- `wall_ms`: the whole group submitted at once, as BatchScorer submits a batch (median of --repeat runs);
  `ratio_to_ideal` = wall_ms / ideal_ms;
- `refill_ms`: from the group's last answer until the pool holds its pages again (median);
  `refill_cpu_ms`: the browser tree's CPU time over that refill (a floor: closed pages' last moments are not
  counted), and `refill_idle_ms` = refill_cpu_ms / min(cores, pages): the refill on an idle machine, the
  figure a shared machine's load does not move;
- `fresh_context`: every render of every group was handed a page no other render had, and every one
  of those pages' contexts was closed afterwards (checked on the pool, not assumed);
- `steady_wall_ms`: then --repeat groups as training sends them, each `gap_ms` (a step's generation time,
  --gap-ms) after the last ended, whether the pool has refilled or not (median), and its
  `steady_ratio_to_ideal`: what the refill costs a step when it does not fit in the generation;
- `charged_ideal_ms`: the group's own estimate of ideal_ms (its renders' charged times over the cores), what
  `bench train` reports as render_ideal_ms, where no render runs alone;
- `page_pss_mb` / `page_rss_mb`: median PSS / RSS of one warm page's renderer process (psutil), and
  `browser_pss_mb`, the whole warm browser tree; `load_avg`: the 1-minute load average at the start and end.
Both sides run in the same process one after the other, so the machine's load hits both. The figures are
printed side by side (alone | as one group), then one JSON object, the last line (--json: the JSON only).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import psutil

from core.render import Renderer
from core.train.corpus import Spec, sketch_code

SIZE, TIMEOUT = 128, 30.0  # resources/train/tiny-cpu.toml: render_size, render_timeout
GENERATION_MS = 1250.0  # a tiny-cpu step's generation on an idle 2-core machine (issue 22's figure)


def builtin_sketches() -> dict[str, str]:
    """Eight sketches like a tiny model's group: five procedural ones and three it gets wrong."""
    specs = [Spec("sun", "red", "pencil", "on the left"), Spec("flower", "pink", "watercolour", "in the centre"),
             Spec("tree", "green", "ink", "on the right", "small"), Spec("house", "blue", "marker", "in the centre"),
             Spec("boat", "brown", "charcoal", "on the left", "large")]
    out = {f"{s.subject}-{s.medium}": sketch_code(s, seed=i) for i, s in enumerate(specs)}
    truncated = sketch_code(Spec("fish", "orange", "watercolour", "on the right"))
    out["cut-short"] = truncated[: len(truncated) * 2 // 3]  # a completion that hit max_completion_length
    out["bleed-1x"] = ('function setup() {\n  createCanvas(512, 512, WEBGL);\n  background("#f4efe4");\n'
                       '  brush.bleed(0.3);\n  brush.fill("#2a9d4f", 200);\n  brush.circle(0, 0, 80);\n}\n')
    out["p2d-canvas"] = ('function setup() {\n  createCanvas(512, 512);\n  background(240);\n'
                         '  brush.set("HB", "#222222", 2);\n  brush.line(-100, 0, 100, 0);\n}\n')
    return out


def load_sketches(folder: Path | None) -> dict[str, str]:
    if folder is None:
        return builtin_sketches()
    files = sorted(folder.glob("*.js"))
    if not files:
        raise SystemExit(f"bench group: no .js files in {folder}")
    return {f.stem: f.read_text(encoding="utf-8", errors="replace") for f in files}


class HandoutLog:
    """Records every page the pool hands out (to check that no render shares a context with another)."""

    def __init__(self, renderer: Renderer):
        self.pages: list = []
        pool = renderer._pool  # noqa: SLF001 (the benchmark checks the pool's own hand-outs)
        take = pool.take

        async def logged_take(*args, **kwargs):
            wp = await take(*args, **kwargs)
            self.pages.append(wp)
            return wp

        pool.take = logged_take

    def fresh(self) -> bool:
        contexts = [id(wp.context) for wp in self.pages]
        return len(set(contexts)) == len(contexts) and all(wp.closed for wp in self.pages)


def memory(renderer: Renderer) -> dict:
    """PSS / RSS of the warm browser tree and of one page's renderer process (median over pages)."""
    jail = renderer._pool.jail  # noqa: SLF001
    if jail is None:
        return {}
    pages, total_pss, total_rss = [], 0, 0
    renderers = jail.pids_of_type("renderer")
    for proc in jail.processes():
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        total_pss += info.pss
        total_rss += info.rss
        if proc.pid in renderers:
            pages.append((info.pss, info.rss))
    mb = 1024 * 1024
    return {"page_pss_mb": round(statistics.median(p for p, _ in pages) / mb, 1) if pages else None,
            "page_rss_mb": round(statistics.median(r for _, r in pages) / mb, 1) if pages else None,
            "browser_pss_mb": round(total_pss / mb, 1), "browser_rss_mb": round(total_rss / mb, 1),
            "renderer_processes": len(renderers)}


def tree_cpu(renderer: Renderer) -> dict[int, tuple[float, float]]:
    """Every live browser process: pid -> (start time, CPU seconds so far)."""
    jail = renderer._pool.jail  # noqa: SLF001
    out = {}
    for proc in jail.processes() if jail is not None else []:
        try:
            with proc.oneshot():
                times = proc.cpu_times()
                out[proc.pid] = (proc.create_time(), times.user + times.system)
        except psutil.Error:
            continue
    return out


def cpu_since(before: dict[int, tuple[float, float]], after: dict[int, tuple[float, float]], t0: float) -> float:
    """CPU seconds the browser tree used between two snapshots: what the processes alive at both gained, plus
    all of those started since `t0` (the new pages' renderers). Processes that ended meanwhile (the closed
    pages) are not counted: a floor."""
    total = 0.0
    for pid, (started, cpu) in after.items():
        if pid in before and before[pid][0] == started:
            total += cpu - before[pid][1]
        elif started >= t0 - 0.01:
            total += cpu
    return total


async def warm(r: Renderer, pages: int) -> float:
    """Wait until the pool holds `pages` ready pages (and its cold spare, where the renderer says); the
    seconds it took."""
    t0 = time.perf_counter()
    if not await r.wait_warm(pages, timeout=300):
        raise SystemExit(f"bench group: the pool did not warm {pages} pages in 300 s")
    full = getattr(r, "warm_full", None)  # older renderers cannot say: their ready count stands in
    while full is not None and not full():
        if time.perf_counter() - t0 > 300:
            raise SystemExit("bench group: the pool did not fill in 300 s")
        await asyncio.sleep(0.01)
    return time.perf_counter() - t0


async def bench(sketches: dict[str, str], pages: int | None, repeat: int, gap_ms: float = 0.0) -> dict:
    codes = list(sketches.values())
    n = len(codes)
    pages = pages or n
    load0 = os.getloadavg()[0]
    r = Renderer(pool_size=pages)
    log = HandoutLog(r)
    async with r:
        await warm(r, pages)
        for code in codes:  # first use: JIT, shaders, the cold spare a P2D sketch asks for
            await r.render(code, size=SIZE, timeout=TIMEOUT, use_cache=False)
        await warm(r, pages)
        mem = memory(r)
        sandbox = r.sandbox
        cpu_limit = getattr(r, "cpu_limit", None)  # an older renderer cannot say
        alone, kinds = [], {}
        for name, code in sketches.items():
            await warm(r, pages)
            res = await r.render(code, size=SIZE, timeout=TIMEOUT, use_cache=False)
            alone.append(res.ms)
            kinds[name] = "ok" if res.ok else res.error.kind
        walls, refills, charged, refill_cpu = [], [], [], []
        for i in range(repeat):
            await warm(r, pages)
            await asyncio.sleep(0.5)  # the last page's prewarm settles
            t0 = time.perf_counter()
            group = await asyncio.gather(*(r.render(c, seed=i, size=SIZE, timeout=TIMEOUT, use_cache=False)
                                           for c in codes))
            walls.append((time.perf_counter() - t0) * 1000)
            charged.append(sum(res.charged_ms or 0.0 for res in group) / min(r.sketch_slots, n))
            before, started = tree_cpu(r), time.time()
            refills.append(await warm(r, pages) * 1000)
            refill_cpu.append(cpu_since(before, tree_cpu(r), started) * 1000)
            changed = [name for name, res in zip(sketches, group, strict=True)
                       if ("ok" if res.ok else res.error.kind) != kinds[name]]
            if changed:
                print(f"bench group: outcome differs from the alone run for {', '.join(changed)}: "
                      f"{[(res.error.kind, res.error.message[:200]) for res in group if res.error]}", file=sys.stderr)
        steady = []
        for i in range(repeat if gap_ms > 0 else 0):
            # as in training: the next group comes `gap_ms` after the last one ended, warm or not
            await asyncio.sleep(gap_ms / 1000)
            t0 = time.perf_counter()
            await asyncio.gather(*(r.render(c, seed=100 + i, size=SIZE, timeout=TIMEOUT, use_cache=False)
                                   for c in codes))
            steady.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(0)
    cores = os.cpu_count() or 1
    alone_sum = sum(alone)
    ideal = alone_sum / min(cores, n)
    wall = statistics.median(walls)
    return {"renders": n, "cores": cores, "pages": pages, "alone_ms_sum": round(alone_sum, 1),
            "ideal_ms": round(ideal, 1), "wall_ms": round(wall, 1), "ratio_to_ideal": round(wall / ideal, 2),
            "refill_ms": round(statistics.median(refills), 1), "fresh_context": log.fresh(),
            "refill_cpu_ms": round(statistics.median(refill_cpu), 1),
            "refill_idle_ms": round(statistics.median(refill_cpu) / min(cores, pages), 1),
            "charged_ideal_ms": round(statistics.median(charged), 1),
            "gap_ms": gap_ms, "steady_wall_ms": round(statistics.median(steady), 1) if steady else None,
            "steady_ratio_to_ideal": round(statistics.median(steady) / ideal, 2) if steady else None,
            "steady_walls_ms": [round(w) for w in steady],
            "walls_ms": [round(w) for w in walls], "refills_ms": [round(x) for x in refills],
            "alone_ms": {k: round(v) for k, v in zip(sketches, alone, strict=True)}, "outcomes": kinds,
            "sandbox": sandbox, "cpu_limit": cpu_limit, **mem, "load_avg": [round(load0, 2), round(os.getloadavg()[0], 2)]}


def side_by_side(report: dict) -> list[str]:
    """The figures for a reader: the group against the same sketches alone, and what a page costs."""
    ideal, wall, charged = report["ideal_ms"], report["wall_ms"], report["charged_ideal_ms"]
    load = report["load_avg"]
    lines = [f"{report['renders']} renders on {report['cores']} cores, {report['pages']} warm pages over "
             f"{report['sandbox'].get('browsers', 1)} browser(s); a fresh context per render: "
             f"{'yes' if report['fresh_context'] else 'NO'}; load {load[0]} -> {load[1]}",
             f"{'':24}{'alone, one at a time':>22}{'as one group':>16}",
             f"{'wall (ms)':24}{report['alone_ms_sum']:>22}{wall:>16}",
             f"{'ideal (ms)':24}{ideal:>22}{charged:>16}   (alone sum / min(cores, renders) | charged estimate)",
             f"{'ratio to ideal':24}{1.0:>22.2f}{report['ratio_to_ideal']:>16.2f}   (target <= 1.5, stretch 1.2)",
             f"{'as training (gap)':24}{'':>22}{str(report['steady_wall_ms']):>16}   ms a group "
             f"{report['gap_ms']:g} ms after the last, warm or not: x{report['steady_ratio_to_ideal']} of ideal",
             f"{'refill after the group':24}{'':>22}{report['refill_ms']:>16}   ms until the pool is warm again",
             f"{'refill CPU':24}{'':>22}{report['refill_cpu_ms']:>16}   ms of the browser's CPU: "
             f"{report['refill_idle_ms']} ms on {min(report['cores'], report['pages'])} idle cores, "
             f"{report['refill_cpu_ms'] / report['pages']:.0f} ms a page",
             f"groups (ms): {report['walls_ms']}; refills (ms): {report['refills_ms']}; charged estimate x"
             f"{charged / ideal:.2f} of the measured ideal" if ideal else "",
             "per sketch alone (ms, outcome): " + ", ".join(f"{k} {v} {report['outcomes'][k]}"
                                                          for k, v in report["alone_ms"].items())]
    if report.get("page_pss_mb") is not None:
        lines.append(f"one warm page: {report['page_pss_mb']} MB PSS, {report['page_rss_mb']} MB RSS (its renderer "
                     f"process); the warm browser tree {report['browser_pss_mb']} MB PSS over "
                     f"{report['renderer_processes']} renderer processes")
    lines.append(f"CPU limit: {report.get('cpu_limit')}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="brushwork bench group")
    parser.add_argument("dir", nargs="?", type=Path, help="folder of .js sketches (default: a built-in set)")
    parser.add_argument("--json", action="store_true", help="print only the JSON object (still the last line)")
    parser.add_argument("--pages", type=int, help="pages in the pool (default: one per sketch)")
    parser.add_argument("--repeat", type=int, default=3, help="groups rendered (the median is reported)")
    parser.add_argument("--gap-ms", type=float, default=GENERATION_MS,
                        help="then as many groups back to back, each this long after the last (a step's "
                             f"generation; default {GENERATION_MS:g}); 0 skips them")
    args = parser.parse_args()
    report = asyncio.run(bench(load_sketches(args.dir), args.pages, max(1, args.repeat), max(0.0, args.gap_ms)))
    if not args.json:
        print("\n".join(line for line in side_by_side(report) if line))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
