"""The set the lead rated by eye (ratings.json): render it, or load it with those ratings into a pool.

Starters at a new seed, muddy variations of them, poor sketches and procedural-corpus sketches, shuffled
with a fixed seed. `render OUT` writes OUT/imgs/NNN.png, items.json and 20-image contact sheets (prompt
shown, source hidden) to rate from; `load OUT HOME` adds every picture whose bytes still match its
rating to the pool in HOME, rated. Then `BRUSHWORK_HOME=HOME brushwork rm train --json && … rm eval --json`.

    python benchmarks/own_pool/render_set.py render OUT
    python benchmarks/own_pool/render_set.py load OUT HOME
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image, ImageDraw  # noqa: E402

RATINGS = Path(__file__).with_name("ratings.json")


def items() -> list[tuple[str, str, str, int]]:
    """(kind, prompt, code, seed) in the rated order."""
    from core.pool.demo_sketches import muddy, nope_sketches, starter_sketches
    from core.train.corpus import corpus

    out = []
    for sk in starter_sketches(1):
        out.append(("starter", sk.prompt, sk.code, 7))
        out.append(("muddy", sk.prompt, muddy(sk.code, 0.45, 0.8), 11))
    out += [("poor", sk.prompt, sk.code, sk.seed) for sk in nope_sketches(3)]
    out += [("corpus", prompt, code, 0) for prompt, code in corpus(24, seed=5)]
    random.Random(3).shuffle(out)
    return out


def render(out: Path) -> None:
    from core.render import SyncRenderer

    (out / "imgs").mkdir(parents=True, exist_ok=True)
    todo = items()
    r = SyncRenderer(pool_size=2)
    r.start()
    recs = []
    try:
        with ThreadPoolExecutor(2) as ex:
            results = ex.map(lambda it: r.render(it[2], seed=it[3], size=256, timeout=90), todo)
            for i, (it, res) in enumerate(zip(todo, results, strict=True)):
                recs.append({"i": i, "kind": it[0], "prompt": it[1], "code": it[2], "seed": it[3], "ok": res.ok})
                if res.ok:
                    (out / "imgs" / f"{i:03d}.png").write_bytes(res.png)
    finally:
        r.close()
    (out / "items.json").write_text(json.dumps(recs, indent=1))
    ok = [x for x in recs if x["ok"]]
    for s in range(0, len(ok), 20):
        sheet = Image.new("RGB", (5 * 210, 4 * 235), "white")
        draw = ImageDraw.Draw(sheet)
        for k, x in enumerate(ok[s:s + 20]):
            im = Image.open(out / "imgs" / f"{x['i']:03d}.png").convert("RGB").resize((200, 200))
            cx, cy = (k % 5) * 210 + 5, (k // 5) * 235 + 5
            sheet.paste(im, (cx, cy))
            draw.text((cx, cy + 202), f"#{x['i']} {x['prompt'][:34]}", fill="black")
        sheet.save(out / f"sheet{s // 20}.png")
    print(f"{len(ok)} of {len(recs)} rendered into {out}")


def load(out: Path, home: Path) -> None:
    from core.pool.pool import RatingPool
    from core.store import Store

    rated = {r["i"]: r for r in json.loads(RATINGS.read_text())["images"]}
    pool = RatingPool(Store(home / "brushwork.db"))
    tiers, stale = Counter(), 0
    for it in json.loads((out / "items.json").read_text()):
        png_file, rating = out / "imgs" / f"{it['i']:03d}.png", rated.get(it["i"])
        if rating is None or not png_file.exists():
            continue
        png = png_file.read_bytes()
        if hashlib.sha256(png).hexdigest()[:16] != rating["png_sha256"]:
            stale += 1  # the sketch or the renderer changed since: not the picture that was rated
            continue
        added = pool.add_image(png, prompt=it["prompt"], source="hand", code=it["code"], name=f"own-{it['i']:03d}")
        pool.rate(added.image.id, rating["tier"])
        tiers[rating["tier"]] += 1
    print(f"rated {sum(tiers.values())} images {dict(tiers)}; {stale} no longer match their rating")


if __name__ == "__main__":
    if sys.argv[1:2] == ["render"] and len(sys.argv) == 3:
        render(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["load"] and len(sys.argv) == 4:
        load(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
