"""The prompt lab's offline structure score counts what a render drew, not what the source says."""
from __future__ import annotations

import pytest

from core.prompts.generators import Completion
from core.prompts.metrics import SketchSample
from core.prompts.scoring import structure_score
from core.sketch import check

pytestmark = [pytest.mark.browser]

PAINTS = """function setup() {
  createCanvas(256, 256, WEBGL);
  background(250);
  brush.set("HB", "#1f5fbf", 2);
  brush.line(-80, -60, 80, 60);
  brush.noStroke();
  brush.fill("#d62828", 200);
  brush.rect(-60, -20, 80, 70);
  brush.circle(40, -40, 30);
  brush.set("pen", "#222222", 1);
  brush.line(-90, 80, 90, 80);
}
"""

# The same brush calls, none of which runs: plain p5 draws the picture.
DEAD = """function setup() {
  createCanvas(256, 256, WEBGL);
  background(250);
  fill(214, 40, 40);
  rect(-60, -20, 80, 70);
  if (width < 0) {
    brush.set("HB", "#1f5fbf", 2);
    brush.line(-80, -60, 80, 60);
    brush.fill("#d62828", 200);
    brush.rect(-60, -20, 80, 70);
    brush.circle(40, -40, 30);
    brush.line(-90, 80, 90, 80);
    brush.spline([[0, 0], [10, 10], [20, 0]]);
    brush.flowLine(0, 0, 40, 0);
  }
}
"""


def _sample(code: str, render) -> SketchSample:
    return SketchSample("a red house", Completion(code), code, check(code), render)


def test_dead_brush_calls_earn_nothing_once_rendered(renderer):
    painted = renderer.render(PAINTS, size=256)
    dead = renderer.render(DEAD, size=256)
    assert painted.ok and dead.ok, (painted.error, dead.error)
    dry_dead = structure_score(_sample(DEAD, None))  # a dry run only has the source to go on
    assert structure_score(_sample(DEAD, dead)) <= 0.4 < dry_dead
    assert structure_score(_sample(PAINTS, painted)) >= 0.8
