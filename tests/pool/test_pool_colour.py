"""Colour grouping in Lab with the paper excluded, on synthetic paintings of known colours."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from pool_helpers import COLOURS

from core.pool.colour import analyse, group_of_hex, prompt_colour
from tests.synthetic_paintings import synthetic_painting


@pytest.mark.parametrize("group", sorted(COLOURS))
@pytest.mark.parametrize("paper", ["#f4efe4", "#ffffff", "#e9e4d4"])
def test_synthetic_paintings_land_in_their_group(group, paper):
    img = Image.open(io.BytesIO(synthetic_painting(COLOURS[group], size=200, seed=1, paper=paper,
                                                   leaves=group != "green")))
    info = analyse(img)
    assert info.group == group
    assert info.colours[0][1] > 0.5  # the paper is not counted as a colour
    assert group_of_hex(info.colours[0][0]) == group


def test_prompt_colour_beats_leaf_area_only_when_present():
    # a small peach flower among big leaves: the prompt's colour wins because the painting shows it
    img = Image.new("RGB", (200, 200), "#f4efe4")
    img.paste(Image.new("RGB", (120, 120), "#3f9a3a"), (10, 10))
    img.paste(Image.new("RGB", (40, 40), "#ffa64d"), (140, 140))
    assert analyse(img).group == "green"
    assert analyse(img, "draw a peach hibiscus").group == "peach"
    assert analyse(img, "draw a blue hibiscus").group == "green"  # no blue in it: the prompt cannot claim it


def test_dark_background_is_paper_too():
    img = Image.new("RGB", (100, 100), "#101418")
    img.paste(Image.new("RGB", (30, 30), "#ec7fb0"), (35, 35))
    info = analyse(img)
    assert info.group == "pink"
    assert info.paper.startswith("#1")


def test_blank_paper_is_neutral():
    assert analyse(Image.new("RGB", (50, 50), "#f4efe4")).group == "neutral"


@pytest.mark.parametrize("prompt,group", [
    ("draw a peach hibiscus", "peach"), ("An ORANGE poppy", "peach"), ("coral reef", "peach"),
    ("salmon sunset", "peach"), ("a crimson rose", "red"), ("a rose", None), ("navy sea", "blue"),
    ("lavender field", "purple"), ("a magenta orchid", "pink"), ("golden wheat", "yellow"), (None, None),
])
def test_prompt_colour_words(prompt, group):
    assert prompt_colour(prompt) == group


@pytest.mark.slow
@pytest.mark.parametrize("starter,group,on_paper", [
    ("01-peach-hibiscus.js", "peach", True), ("02-red-poppies.js", "red", False),  # a landscape: sky all round
    ("09-blue-iris.js", "blue", True), ("07-sunflower.js", "yellow", True)])
@pytest.mark.browser
def test_real_renders_of_starters_land_in_their_group(renderer, pool, starter, group, on_paper, artifacts):
    from core.paths import STARTERS

    code = (STARTERS / starter).read_text()
    prompt = next(line.split(":", 1)[1].strip() for line in code.splitlines() if line.startswith("// prompt:"))
    result = renderer.render(code, seed=1, size=512, timeout=90)
    assert result.ok, result.error
    (artifacts / f"pool_{starter}.png").write_bytes(result.png)
    info = analyse(Image.open(io.BytesIO(result.png)), prompt)
    assert info.group == group, (prompt, info.colours[:4])
    if on_paper:
        assert info.paper.startswith("#f")  # the cream paper, found from the border, is not a colour
    assert pool.add_image(result.png, prompt=prompt, code=code).image.colour_group == group
