"""No sketch chooses its picture, its brush counts or its error kind (issue 20; attacks in truth_attacks.py)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sketches import NORMAL, assert_normal, image, pixel_diff  # noqa: E402
from truth_attacks import COLD, COUNTS, KINDS, PICTURE, normal  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cold_control(renderer) -> bytes:
    """The cold sketch's true picture (NORMAL at pixelDensity(2), run on a cold page), no forgery."""
    result = renderer.render(normal(canvas=COLD), timeout=30, use_cache=False)
    assert result.ok, result.error
    return result.png


@pytest.mark.parametrize("name", list(PICTURE))
def test_picture_attack(renderer, cold_control, name):
    code, expected = PICTURE[name]
    result = renderer.render(code, timeout=30, use_cache=False)
    kind = result.error.kind if result.error else "ok"
    if expected == "normal":
        assert result.ok, result.error
        if "pixelDensity(2)" in code:
            assert pixel_diff(result.png, cold_control) < 50, "a forged canvas was captured"
        else:
            assert_normal(result.png)
    elif expected == "not_forged":
        assert kind in ("ok", "forbidden"), result.error
        if result.ok:
            assert_normal(result.png)
    elif expected == "red":  # the sketch's own last background: no snapshot was taken on its say-so
        assert result.ok, result.error
        assert image(result.png).getpixel((256, 256))[:3] == (255, 0, 0)
    else:
        assert kind == expected, result.error
        assert result.png is None


def test_a_refused_canvas_says_why(renderer):
    result = renderer.render(PICTURE["cold_shadow_root"][0], timeout=30, use_cache=False)
    assert result.error.kind == "forbidden" and "shadow root" in result.error.message, result.error
    result = renderer.render(PICTURE["own_canvas_element"][0], timeout=30, use_cache=False)
    assert result.error.kind == "forbidden" and "did not make" in result.error.message, result.error


@pytest.mark.parametrize("name", list(COUNTS))
def test_brush_counts_mean_drawing(renderer, name):
    code, expected = COUNTS[name]
    result = renderer.render(code, timeout=30, use_cache=False)
    assert result.error is None or result.error.kind in ("blank",), result.error
    assert result.brush_calls == expected, (result.brush_calls, result.brush_state)
    assert result.brush_state is not None
    if name == "eleven_methods_that_threw":
        threw = {m for line in result.console for m in re.findall(r"threw (\w+)", line)}
        assert len(threw) >= 8, result.console  # the attack is not vacuous: most of them did throw
        # only the painting's own brush.set and brush.line count: none of the calls that threw
        assert result.brush_state == {"set": 1} and result.brush_calls == {"line": 1}, (threw, result.brush_state)


def test_state_calls_are_counted_apart(renderer):
    code = normal("""
  brush.fill("#a33", 60); brush.noFill(); brush.hatch(5, 45); brush.noHatch(); brush.scaleBrushes(1.5);
  brush.field("seabed"); brush.noField(); brush.pick("HB"); brush.stroke("#000"); brush.strokeWeight(2);""")
    result = renderer.render(code, timeout=30, use_cache=False)
    assert result.ok, result.error
    assert result.brush_calls == {"line": 1}
    assert result.brush_state == {"set": 1, "fill": 1, "noFill": 1, "hatch": 1, "noHatch": 1, "scaleBrushes": 1,
                                  "field": 1, "noField": 1, "pick": 1, "stroke": 1, "strokeWeight": 1}


def test_counts_come_back_from_the_cache(renderer, store):
    """A cached render carries the counts of the render that made it: the same score from the cache."""
    renderer.renderer.store = store
    try:
        first = [renderer.render(code, timeout=30) for code in (NORMAL, COUNTS["no_brush_at_run_time"][0])]
        again = [renderer.render(code, timeout=30) for code in (NORMAL, COUNTS["no_brush_at_run_time"][0])]
    finally:
        renderer.renderer.store = None
    for a, b in zip(first, again, strict=True):
        assert not a.cached and b.cached
        assert (b.brush_calls, b.brush_state) == (a.brush_calls, a.brush_state)
    assert again[0].brush_calls == {"line": 1} and again[1].brush_calls == {}
    rec = store.find_render(NORMAL, 0, 512, 512)
    assert rec.brush_calls == {"line": 1} and rec.brush_state == {"set": 1}


@pytest.mark.parametrize("name", list(KINDS))
def test_error_kind_is_not_the_sketchs_to_choose(renderer, name):
    code, expected = KINDS[name]
    result = renderer.render(code, size=64, timeout=30, use_cache=False)
    assert result.error is not None and result.error.kind == expected, result.error
    assert len(result.error.message) <= 2100
    assert all(len(line) <= 520 for line in result.console)


def test_a_syntax_error_is_syntax_without_the_harness_answer(renderer, monkeypatch):
    """On a loaded machine the harness's answer may come after the renderer stopped waiting for it: the
    kind and line then come from V8's report alone, and must be what they are on an idle machine."""
    from core.render import renderer as rendering

    real = rendering.judge

    async def answer_lost(wp, out, *args, **kwargs):
        return await real(wp, None, *args, **kwargs)

    # cut off at the end, and broken in the middle: V8 stops parsing there, before the rest of the script
    at_end = "function setup() {\n  createCanvas(64, 64, WEBGL);\n  brush.line(0, 0, 10\n"
    in_middle = "function setup() {\n  createCanvas(64, 64, WEBGL);\n  brush.line(0, 0, 10, 10;\n}\nfunction draw() {}\n"
    answered = [renderer.render(code, size=64, timeout=30, use_cache=False) for code in (at_end, in_middle)]
    monkeypatch.setattr(rendering, "judge", answer_lost)
    lost = [renderer.render(code, size=64, timeout=30, use_cache=False) for code in (at_end, in_middle)]
    assert [(a.error.kind, a.error.line) for a in answered] == [("syntax", 3), ("syntax", 3)], answered
    assert [(x.error.kind, x.error.line, x.error.column) for x in lost] == \
        [(a.error.kind, a.error.line, a.error.column) for a in answered], (lost, answered)
    monkeypatch.undo()
    # a SyntaxError the sketch's own running code throws stays `runtime`
    thrown = renderer.render(normal('  JSON.parse("{");'), size=64, timeout=30, use_cache=False)
    assert thrown.error.kind == "runtime", thrown.error
    # ... also when no frame of it is on the stack, or it adds a broken script under its own name, and
    # only V8's report is there to judge by
    monkeypatch.setattr(rendering, "judge", answer_lost)
    for name in ("syntax_error_from_a_native_callback", "syntax_error_queued_as_a_microtask",
                 "renamed_then_adds_a_broken_script"):
        result = renderer.render(KINDS[name][0], size=64, timeout=30, use_cache=False)
        assert result.error is not None and result.error.kind == "runtime", (name, result.error)


def test_a_thrown_error_keeps_its_line(renderer):
    result = renderer.render(KINDS["range_error_out_of_memory_text"][0], size=64, timeout=30, use_cache=False)
    assert (result.error.kind, result.error.line) == ("runtime", 3), result.error


def test_console_arguments_are_short_strings(renderer):
    code = normal("""
  const big = "y".repeat(1e6);
  console.log({ [big]: 1, a: [1, 2, 3] }, [big, big], new Error(big), 10n ** 5000n, Symbol(big), () => big);
  const e = new Error("short"); e.stack = big; console.warn(e);""")
    result = renderer.render(code, timeout=30, use_cache=False)
    assert result.ok, result.error
    logged = [line for line in result.console if line.startswith(("log:", "warning:"))]
    assert len(logged) == 2 and all(len(line) <= 520 for line in logged), [len(x) for x in logged]
    assert "Error: short" in logged[1]
