"""Fixtures for the rating pool: a pool on the test's store and a folder of synthetic paintings."""
from __future__ import annotations

from pathlib import Path

import pytest
from pool_helpers import COLOURS

from core.pool import RatingPool
from tests.synthetic_paintings import synthetic_painting


@pytest.fixture
def pool(store) -> RatingPool:
    return RatingPool(store)


@pytest.fixture
def painting_folder(tmp_path) -> Path:
    """Six paintings (two with sidecars), one exact duplicate and one corrupt PNG."""
    folder = tmp_path / "renders"
    (folder / "sub").mkdir(parents=True)
    for i, group in enumerate(["peach", "blue", "pink", "red", "yellow"]):
        (folder / f"p{i}.png").write_bytes(synthetic_painting(COLOURS[group], size=128, seed=i))
    (folder / "sub" / "p5.jpg").write_bytes(synthetic_painting(COLOURS["purple"], size=128, seed=5, fmt="JPEG"))
    (folder / "p0.txt").write_text("draw a peach hibiscus\n")
    (folder / "p1.js").write_text("function setup() { createCanvas(400, 400, WEBGL); }")
    (folder / "p1.json").write_text('{"prompt": "a blue iris", "tier": "love"}')
    (folder / "copy_of_p2.png").write_bytes((folder / "p2.png").read_bytes())
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20)
    return folder
