"""The obvious cheats, rendered for real, score low on offline-default; real starters score high."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from reward_helpers import CHEATS, STARTERS

from core.reward import Rollout, load_rubric
from core.reward.scoring import prompt_from_header
from core.sketch import check

# Five real renders; a loaded 2-core machine takes minutes for watercolour starters.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1500)]

CHEAT_FILES = ("flood.js", "giant-circle.js", "loop-10000.js")
STARTER_FILES = ("01-peach-hibiscus.js", "06-charcoal-tree.js")


@pytest.fixture(scope="module")
def scored(renderer, tmp_path_factory):
    """(name -> Score) for the cheats and two starters, each rendered in the sandbox."""
    def one(path):
        code = path.read_text()
        result = renderer.render(code, seed=0, timeout=240, use_cache=False)
        if result.error is not None and result.error.kind == "browser":  # a starved Chromium: once more
            result = renderer.render(code, seed=0, timeout=240, use_cache=False)
        return path.name, Rollout(prompt_from_header(code), code, code, result, check(code))

    paths = [CHEATS / n for n in CHEAT_FILES] + [STARTERS / n for n in STARTER_FILES]
    with ThreadPoolExecutor(2) as ex:  # the renderer's pool has two pages
        rollouts = dict(ex.map(one, paths))
    scores = asyncio.run(load_rubric("offline-default").score(list(rollouts.values())))
    return dict(zip(rollouts, scores, strict=True)), rollouts


def test_cheats_score_low(scored):
    scores, rollouts = scored
    for name in CHEAT_FILES:
        s = scores[name]
        error = rollouts[name].render.error
        assert s.total is not None and s.total < 0.15, (name, s.to_dict(), error)
    # one brush method repeated is not a painting: the harness counted every call, the gate closed on them
    loop = rollouts["loop-10000.js"].render
    assert loop.ok and loop.brush_calls == {"set": 1, "line": 10000}, (loop.error, loop.brush_calls)
    assert scores["loop-10000.js"].gates["structure"] == 0.0
    assert any("2 distinct brush methods" in n for n in scores["loop-10000.js"].notes), scores["loop-10000.js"].notes


def test_starters_score_high_and_show_every_component(scored, artifacts):
    scores, rollouts = scored
    for name in STARTER_FILES:
        s = scores[name]
        assert rollouts[name].render.ok, rollouts[name].render.error
        (artifacts / f"reward-{name}.png").write_bytes(rollouts[name].png)
        assert s.total is not None and s.total > 0.6, (name, s.to_dict())
        assert s.gates == {"structure": 1.0, "substance": 1.0}
    assert all(v is not None for v in scores["01-peach-hibiscus.js"].components.values())
    worst_starter = min(scores[n].total for n in STARTER_FILES)
    best_cheat = max(scores[n].total for n in CHEAT_FILES)
    assert worst_starter - best_cheat > 0.4
