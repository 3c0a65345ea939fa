"""Offline signals benchmark: milliseconds per rollout of each image signal of offline-default, at the training
size (128 px) and the studio's (512 px), side by side with the image statistics the preset already paid for.

Run with `brushwork bench offline_signals [--json] [--pngs DIR] [--repeat 5]`. The paintings are the PNGs in
DIR (e.g. demo-out/starters) or synthetic ones. Each signal is timed alone on every painting, `--repeat`
times; reported per signal: median wall ms and median CPU ms per rollout (CPU is what a loaded machine does
not stretch), and `ratio_to_stats` = its CPU ms / image_stats' CPU ms. The subject recogniser is timed with
the trained one in the data home when there is one, else with the same network untrained (timing only).
The 1-minute load average is reported. Last line of --json is JSON.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def paintings(folder: Path | None, side: int) -> list[bytes]:
    """PNGs of `side` px: the folder's (resized) or eight synthetic paintings."""
    from PIL import Image

    from tests.synthetic_paintings import synthetic_painting

    if folder is None:
        return [synthetic_painting(c, size=side, seed=i) for i, c in enumerate(["#f39a5b", "#3b6fc4"] * 4)]
    out = []
    for path in sorted(folder.glob("*.png")):
        with Image.open(path) as im:
            buf = io.BytesIO()
            im.convert("RGB").resize((side, side)).save(buf, format="PNG")
            out.append(buf.getvalue())
    return out


def recogniser():  # noqa: ANN201 (a callable png -> probabilities)
    from core.reward.imagestats import layout_lab
    from core.reward.subject.features import ink_map, input_of
    from core.reward.subject.inference import fold, probabilities
    from core.reward.subject.model import NoRecogniser, build_net, load

    try:
        weights, _ = load()
        trained = True
    except NoRecogniser:
        weights, trained = fold(build_net(9).eval()), False
    return (lambda png: probabilities(weights, input_of(ink_map(layout_lab(png)))[None])), trained


def time_signal(fn, pngs: list[bytes], repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """(median wall ms, median CPU ms) per painting over `repeat` passes."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        for png in pngs:
            fn(png)
        walls.append((time.perf_counter() - w0) * 1000 / len(pngs))
        cpus.append((time.process_time() - c0) * 1000 / len(pngs))
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pngs", type=Path, help="a folder of PNG paintings (default: synthetic ones)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from core.reward.craft import craft_stats
    from core.reward.imagestats import flat_paint_share, image_stats, layout_lab

    recognise, trained = recogniser()
    signals = {"image_stats": image_stats, "craft": lambda png: craft_stats(layout_lab(png)),
               "brushwork": flat_paint_share, "subject": recognise}
    report: dict = {"load_1min": round(os.getloadavg()[0], 2), "recogniser_trained": trained, "sizes": {}}
    for side in (128, 512):
        pngs = paintings(args.pngs, side)
        for fn in signals.values():  # warm-up: imports, torch's first call
            fn(pngs[0])
        rows = {name: time_signal(fn, pngs, args.repeat) for name, fn in signals.items()}
        base = rows["image_stats"][1] or 1e-9
        report["sizes"][side] = {name: {"wall_ms": round(w, 2), "cpu_ms": round(c, 2), "ratio_to_stats": round(c / base, 2)}
                                 for name, (w, c) in rows.items()}
        new = sum(rows[n][1] for n in ("craft", "brushwork", "subject"))
        report["sizes"][side]["new_signals_cpu_ms"] = round(new, 2)
        if not args.json:
            print(f"{side} px, {len(pngs)} paintings (load {report['load_1min']}):")
            for name, (w, c) in rows.items():
                print(f"  {name:12s} {w:8.2f} ms wall {c:8.2f} ms CPU  x{c / base:.2f} of image_stats")
            print(f"  new signals together: {new:.2f} ms CPU per rollout")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
