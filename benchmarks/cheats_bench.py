"""Cheats benchmark: every attack sketch beside the real painting of its prompt, on one preset, at the training
size and the studio's.

An attack is a sketch written to score without painting what its prompt asks (text, stripes, noise, junk
hatching over a subject, the wrong colour beside a swatch of the right one, ...). Each names its prompt in a
`// prompt:` line; its real painting is the starter with that prompt, else the procedural corpus's sketch
(core.reward.scoring.real_painting). Every sketch and real painting is rendered at each `--sizes` entry and
scored on `--preset`; reported per attack: its total minus its real painting's (the *margin*; an attack
wins when it is ≥ 0). The default folders are tests/reward/cheats (must all lose: tests/reward/test_cheats.py)
and tests/reward/known_holes (found by red-teaming; the ones that still win are listed there). Subject-aware
components use the recogniser in the data home (`brushwork subject train`, `make demo`); without one the
subject-known prompts are scored blind, and the JSON says so.

Run with `brushwork bench cheats [--json] [--sizes 128,512] [--preset offline-default] [DIR_OR_FILE ...]`.
Last line of --json is JSON: `wins` (attack, size, margin), `closest` (the attack nearest its real painting
per folder), `reals` (each real painting's total).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT_DIRS = [REPO / "tests" / "reward" / "cheats", REPO / "tests" / "reward" / "known_holes"]


def attack_files(paths: list[Path]) -> list[Path]:
    """Every .js under the given folders (recursively) or the files themselves, sorted."""
    out: list[Path] = []
    for p in paths:
        out += sorted(p.rglob("*.js")) if p.is_dir() else [p]
    return out


def _fmt(total: float | None) -> str:
    return "-" if total is None else f"{total:.3f}"


def main(argv: list[str] | None = None) -> int:
    from core.reward.rubric import load_rubric
    from core.reward.scoring import prompt_from_header, real_painting, score_items
    from core.reward.subject.model import recogniser_problem

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, help="attack folders or files (default: the cheats and known holes)")
    ap.add_argument("--json", action="store_true", help="end with one JSON line")
    ap.add_argument("--sizes", default="128,512", help="render sizes, comma-separated")
    ap.add_argument("--preset", default="offline-default", help="rubric preset name or TOML path")
    args = ap.parse_args(argv)
    files = attack_files(args.paths or DEFAULT_DIRS)
    attacks = {}
    for f in files:
        prompt = prompt_from_header(f.read_text())
        if prompt is None:
            print(f"bench cheats: {f} has no `// prompt:` line; left out", file=sys.stderr)
            continue
        attacks[str(f.relative_to(REPO)) if f.is_relative_to(REPO) else str(f)] = (prompt, f.read_text())
    reals = {}
    for prompt in sorted({p for p, _ in attacks.values()}):
        found = real_painting(prompt)
        if found is None:
            print(f"bench cheats: no real painting for {prompt!r} (no starter, not a corpus prompt)", file=sys.stderr)
        else:
            reals[prompt] = found
    rubric = load_rubric(Path(args.preset) if args.preset.endswith(".toml") else args.preset)
    names = [n for n, (p, _) in attacks.items() if p in reals]
    items = [{"prompt": attacks[n][0], "completion": attacks[n][1]} for n in names]
    items += [{"prompt": p, "completion": code} for p, (_, code) in reals.items()]
    totals: dict[int, list[float | None]] = {}
    t0 = time.perf_counter()
    for size in (int(s) for s in args.sizes.split(",")):
        _, scores, notes = asyncio.run(score_items(items, rubric, size=size, timeout=60.0))
        totals[size] = [s.total for s in scores]
        for note in notes:
            print(f"  note ({size} px): {note}")
    real_total = {size: dict(zip(reals, t[len(names):], strict=True)) for size, t in totals.items()}
    wins, closest, rows = [], {}, []
    for i, name in enumerate(names):
        prompt = attacks[name][0]
        folder = str(Path(name).parent)
        cells = []
        for size, t in totals.items():
            real = real_total[size][prompt]
            margin = None if t[i] is None or real is None else round(t[i] - real, 4)
            cells.append(f"{size}: {'-' if margin is None else f'{margin:+.3f}'}")
            if margin is not None:
                if margin >= 0:
                    wins.append({"attack": name, "size": size, "margin": margin})
                if folder not in closest or margin > closest[folder]["margin"]:
                    closest[folder] = {"attack": name, "size": size, "margin": margin}
        rows.append(f"{name:62s} " + "  ".join(cells) + ("   WINS" if any(w["attack"] == name for w in wins) else ""))
    print(f"margin = attack total - real painting total ({rubric.name}; an attack wins at >= 0)")
    print("\n".join(rows))
    for prompt, (real_name, _) in reals.items():
        print(f"real  {real_name[:56]:56s} " + "  ".join(f"{s}: {_fmt(real_total[s][prompt])}" for s in totals))
    out = {"bench": "cheats", "preset": rubric.name, "attacks": len(names), "recogniser": recogniser_problem() or "trained",
           "wins": wins, "closest": closest, "seconds": round(time.perf_counter() - t0, 1),
           "reals": {real_name: {str(s): real_total[s][p] for s in totals} for p, (real_name, _) in reals.items()}}
    print(f"{len(wins)} win(s) of {len(names)} attacks x {len(totals)} sizes")
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
