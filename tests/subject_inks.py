"""The subject recogniser's training renders, shipped with the tests: a session fits its recogniser on them.

Rendering the 88 training sketches through the sandbox took most of `make test`'s slowest setup (minutes
on a busy 2-core machine, in each lane that needed a recogniser), and each session's recogniser came out a
little different. tests/fixtures/subject_inks.npz holds their ink maps instead: `training_sketches` of
SETTINGS rendered at 128 px by `render_inks` (seed i for sketch i), exactly what `train_recogniser` fits
on, quantised to 1/255. A session's fit on them is the same every time (seeded, one torch thread).

`python -m tests.subject_inks` (from the repository root) renders them again and rewrites the file. tests/reward/test_subject_inks.py
checks that the file still holds the sketches the corpus makes (their code's hashes) and that fresh renders
of some of them match the shipped maps.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "subject_inks.npz"
SETTINGS = {"per_subject": 8, "negatives": 24, "seed": 0, "render_size": 128}
REGENERATE = "python -m tests.subject_inks"


def sketches() -> list[tuple[str, str]]:
    """(label, code) of the training sketches the shipped renders are of, as the corpus makes them now."""
    # deferred: the corpus module loads Playwright, and every test session imports this file via conftest
    from core.reward.subject.sketches import training_sketches

    return training_sketches(SETTINGS["per_subject"], SETTINGS["negatives"], SETTINGS["seed"])


def code_hash(code: str) -> str:
    """A short hash of a sketch's code (the fixture keeps these, not the code)."""
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def load(path: Path = FIXTURE) -> tuple[list[tuple[str, np.ndarray]], list[str], dict]:
    """(label, float32 ink map) pairs, the hashes of their sketches' code, and the settings they were made with."""
    with np.load(path) as data:
        labels = [str(x) for x in data["labels"]]
        inks = data["inks"].astype(np.float32) / 255.0
        hashes = [str(x) for x in data["hashes"]]
        settings = json.loads(str(data["settings"]))
    return list(zip(labels, inks, strict=True)), hashes, settings


def write(rendered: list[tuple[str, np.ndarray]], made: list[tuple[str, str]], path: Path = FIXTURE) -> None:
    """Save ink maps of `made` (every one rendered, in order) with their code's hashes."""
    assert [label for label, _ in rendered] == [label for label, _ in made]
    inks = np.stack([np.round(np.clip(ink, 0.0, 1.0) * 255.0).astype(np.uint8) for _, ink in rendered])
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, labels=np.array([label for label, _ in made]), inks=inks,
                        hashes=np.array([code_hash(code) for _, code in made]), settings=json.dumps(SETTINGS))


def main() -> int:
    """Render the training sketches through the sandbox and rewrite the fixture."""
    from core.reward.subject.train import render_inks

    made = sketches()
    t0 = time.perf_counter()
    rendered = asyncio.run(render_inks(made, SETTINGS["render_size"],
                                       on_progress=lambda _s, done, total: print(f"\r{done}/{total}", end="")))
    print()
    if len(rendered) != len(made):
        print(f"{len(made) - len(rendered)} of {len(made)} sketches did not render; the fixture is unchanged. "
              "Check `brushwork doctor` and run again.", file=sys.stderr)
        return 1
    write(rendered, made)
    print(f"wrote {FIXTURE.relative_to(REPO)}: {len(made)} renders in {time.perf_counter() - t0:.0f} s, "
          f"{FIXTURE.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
