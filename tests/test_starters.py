"""The bundled starters: headers, real p5.brush 2.2 API only, and each renders to a real picture."""
from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from core.paths import RESOURCES, STARTERS
from core.sketch.check import check

STARTER_FILES = sorted(STARTERS.glob("*.js"))
HEADER = re.compile(r"^//\s*(\w+):\s*(.+?)\s*$")
# Generous: on a busy 2-core machine the heaviest watercolour starter takes ~10-30 s in SwiftShader.
TIMEOUT_S = 90
_renders: dict[tuple[str, int], object] = {}


def header(path) -> dict[str, str]:
    """The `// key: value` lines at the top of a starter."""
    fields = {}
    for line in path.read_text().splitlines():
        m = HEADER.match(line)
        if not m:
            break
        fields[m.group(1)] = m.group(2)
    return fields


def readme_pick(label: str) -> str:
    """The file the starters README names as the simplest / heaviest."""
    text = (STARTERS / "README.md").read_text()
    m = re.search(rf"\*\*{label}:\*\*\s*`([^`]+\.js)`", text)
    assert m, f"README.md does not name the {label.lower()} starter"
    return m.group(1)


@pytest.fixture
def render(renderer, artifacts):
    """Render starters once per (file, seed) for the whole module; PNGs go to artifacts/starters/."""
    def one(path, seed: int):
        result = renderer.render(path.read_text(), seed=seed, size=512, timeout=TIMEOUT_S, use_cache=False)
        if result.ok:
            out = artifacts / "starters"
            out.mkdir(exist_ok=True)
            (out / f"{path.stem}{f'-seed{seed}' if seed else ''}.png").write_bytes(result.png)
        return result

    def go(path, seed: int = 0):
        if (path.name, seed) not in _renders:
            # The first call renders every starter at once: the renderer's pages work in parallel.
            todo = [(p, 0) for p in STARTER_FILES if (p.name, 0) not in _renders] if seed == 0 else []
            todo = todo or [(path, seed)]
            with ThreadPoolExecutor(max_workers=2) as pool:
                for (p, s), result in zip(todo, pool.map(lambda job: one(*job), todo), strict=True):
                    _renders[(p.name, s)] = result
        return _renders[(path.name, seed)]
    return go


def test_there_are_enough_starters():
    assert len(STARTER_FILES) >= 10


@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda p: p.stem)
def test_header_and_api(path):
    fields = header(path)
    assert {"title", "prompt", "brushes"} <= fields.keys(), fields
    assert fields["prompt"].startswith("draw ")
    report = check(path.read_text())
    assert report.clean, report.problems()
    assert report.has_setup and report.creates_canvas and report.webgl
    assert "createCanvas(512, 512, WEBGL)" in path.read_text()
    assert "noLoop()" in path.read_text()


@pytest.mark.browser
@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda p: p.stem)
def test_renders_a_picture(path, render):
    result = render(path)
    assert result.ok, result.error
    assert not [line for line in result.console if line.startswith("error")], result.console
    px = np.asarray(Image.open(io.BytesIO(result.png)).convert("RGB")).astype(np.int16)
    assert px.shape == (512, 512, 3)
    # Not blank: enough pixels stand clearly apart from the paper colour in the corner.
    marked = (np.abs(px - px[2, 2]).sum(axis=2) > 40).sum()
    assert marked > 500, f"only {marked} marked pixels"


@pytest.mark.browser
def test_readme_names_the_simplest_and_the_heaviest(render):
    simplest, heaviest = STARTERS / readme_pick("Simplest"), STARTERS / readme_pick("Heaviest")
    assert simplest.exists() and heaviest.exists()
    tokens = {p.name: check(p.read_text(), syntax=False).tokens for p in STARTER_FILES}
    assert min(tokens, key=tokens.get) == simplest.name
    assert max(tokens, key=tokens.get) == heaviest.name
    fills = {p.name: p.read_text().count("brush.fill(") for p in STARTER_FILES}
    assert max(fills, key=fills.get) == heaviest.name
    light, heavy = render(simplest), render(heaviest)
    assert light.ok and heavy.ok
    assert heavy.sketch_ms > 3 * light.sketch_ms, (heavy.sketch_ms, light.sketch_ms)


@pytest.mark.browser
def test_structure_does_not_depend_on_the_seed(render):
    # Seeds vary the details only: every seed still renders, and differently.
    path = STARTERS / "06-charcoal-tree.js"
    a, b = render(path, seed=1), render(path, seed=2)
    assert a.ok and b.ok
    assert a.png != b.png


def test_default_prompts():
    lines = (RESOURCES / "prompts" / "default_prompts.txt").read_text().splitlines()
    assert 35 <= len(lines) <= 60
    assert len(set(lines)) == len(lines)
    assert all(line.startswith("draw ") and line == line.strip() for line in lines)
    text = "\n".join(lines)
    for colours in ("red", "peach|orange", "yellow", "green", "blue", "purple|violet", "pink", "white"):
        assert re.search(rf"\b({colours})\b", text), colours
    for medium in ("watercolour", "pencil", "pastel", "charcoal", "ink"):
        assert medium in text, medium
