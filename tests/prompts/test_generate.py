"""`brushwork generate`: sketches from a model into the library and the pool, driven by thin colours."""
from __future__ import annotations

import json

import pytest

from core.pool.colour import prompt_colour
from core.prompts.generate import prompts_for_colours


def test_colour_prompts_come_from_the_set_or_a_template():
    peach = prompts_for_colours(["peach"], 4)
    assert len(peach) == 4 and all(prompt_colour(p) == "peach" for p in peach)
    mixed = prompts_for_colours(["blue", "purple"], 4, prompt_set=["draw a blue iris"])
    assert mixed[0] == mixed[2] == "draw a blue iris"
    assert "purple" in mixed[1] and "purple" in mixed[3]  # no purple prompt in the set: a template
    with pytest.raises(ValueError, match="colour group"):
        prompts_for_colours([], 2)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_generate_peach_supplements_into_library_and_pool(fake_server, brushwork_home):
    from core.pool import RatingPool
    from core.store import Store
    from tests.cli_helpers import run_brushwork

    proc = run_brushwork("generate", "--colour", "peach", "-n", "2", "--base-url", fake_server.base_url,
                         "--model", "fake", "--api-key-env", "NO_KEY_HERE", "--size", "96", "--price-in", "1",
                         "--json", timeout=540)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["generated"] == 2 and report["rendered"] == 2 and report["pooled"] >= 1
    assert report["hallucinated"] == 0  # the default system prompt is the strict allowlist
    assert report["cost"]["calls"] == 2 and report["cost"]["cost_usd"] > 0
    store = Store()
    try:
        sketches = [store.get_sketch(i) for i in report["sketch_ids"]]
        assert all(s.source == "generated" and prompt_colour(s.prompt) == "peach" for s in sketches)
        pool = RatingPool(store)
        images = pool.images(source="supplement")
        assert images and all(im.tier is None for im in images)  # ready to rate
    finally:
        store.close()
    # The system prompt the model saw was the allowlist one.
    system = fake_server.requests[0][1]["messages"][0]["content"]
    assert "Use ONLY these brush methods" in system
