"""Prompt metrics: rates from the checker and the renderer over a prompt set."""
from __future__ import annotations

import json

import pytest
from fake_openai import sketch_for

from core.prompts import summarize
from core.prompts.generators import Completion
from core.prompts.metrics import SketchSample
from core.render.types import RenderError, RenderResult
from core.sketch import check, extract_code

PROMPTS = ["draw a red rose", "draw a blue iris", "draw a peach sunset", "draw a green pear", "draw a yellow duck",
           "draw a pink tulip"]


def _samples(system: str, rendered: bool) -> list[SketchSample]:
    out = []
    for p in PROMPTS:
        code = extract_code(sketch_for(system, p)).code
        report = check(code, syntax=False)
        ok = rendered and not report.unknown_apis
        render = RenderResult(ok=ok, png=b"png" if ok else None, ms=1, sketch_ms=1,
                              error=None if ok else RenderError("runtime", "brush.bleed is not a function", 6))
        out.append(SketchSample(p, Completion(sketch_for(system, p)), code, report, render, score=0.5 if ok else 0.0))
    return out


def test_hallucination_rate_comes_from_the_checker():
    loose, strict = summarize(_samples("Paint.", True)), summarize(_samples("Use only these brush methods", True))
    assert loose.hallucination_rate > 0.3 and strict.hallucination_rate == 0.0
    assert set(loose.unknown_apis) == {"bleed", "watercolor"}
    assert loose.render_rate == pytest.approx(1 - loose.hallucination_rate) and strict.render_rate == 1.0
    assert loose.uses_brush_rate == strict.uses_brush_rate == 1.0
    assert strict.mean_score == 0.5 and summarize([]).mean_score is None


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_prompt_metrics_cli_renders_for_real(fake_server):
    from tests.cli_helpers import run_brushwork

    proc = run_brushwork("prompt", "metrics", "--system", "full-reference", "-n", "3", "--size", "64",
                         "--base-url", fake_server.base_url, "--model", "fake", "--json", timeout=540)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    assert m["n"] == 3 and m["hallucination_rate"] > 0
    # Every sketch that calls an invented API fails to render; the others render.
    assert m["render_rate"] == pytest.approx(1 - m["hallucination_rate"], abs=1e-3)
    assert m["cost"]["calls"] == 3
