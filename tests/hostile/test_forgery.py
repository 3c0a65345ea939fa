"""A sketch cannot forge its picture, its errors, its line numbers or its brush-call counts."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))
from sketches import NORMAL, assert_normal  # noqa: E402

pytestmark = pytest.mark.browser

SETUP = "function setup() {"


def before(prelude: str) -> str:
    """NORMAL with `prelude` run at the top level, before setup()."""
    return prelude + "\n" + NORMAL


# Each forgery patches what the old harness trusted; the picture must still be the real one.
PICTURE_FORGERIES = {
    "toDataURL_text": "HTMLCanvasElement.prototype.toDataURL = () => 'not a png';",
    "toDataURL_1x1": "HTMLCanvasElement.prototype.toDataURL = () => 'data:image/png;base64,"
                     "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';",
    "toDataURL_huge": "HTMLCanvasElement.prototype.toDataURL = () => 'data:image/png;base64,' + 'A'.repeat(75e6);",
    "drawImage": "CanvasRenderingContext2D.prototype.drawImage = function () {};",
    "runtime_capture": "window.BrushworkRuntime.capture = () => { const c = document.createElement('canvas');"
                       " c.width = 3000; c.height = 7; return c; };",
    "getContext": "HTMLCanvasElement.prototype.getContext = function () { return null; };",
}


@pytest.mark.parametrize("name", list(PICTURE_FORGERIES))
def test_picture_forgery_gives_the_real_picture(renderer, name):
    result = renderer.render(before(PICTURE_FORGERIES[name]), timeout=30, use_cache=False)
    if name == "getContext" and not result.ok:  # p5 itself may not draw then: a failure, never a forgery
        return
    assert result.ok, result.error
    assert_normal(result.png)


def test_patched_getimagedata_cannot_pass_a_flat_canvas(renderer):
    code = """
CanvasRenderingContext2D.prototype.getImageData = function (x, y, w, h) {
  const d = new ImageData(w, h); for (let i = 0; i < d.data.length; i++) d.data[i] = i % 251; return d;
};
function setup() { createCanvas(128, 128, WEBGL); background(40, 50, 60); }
"""
    result = renderer.render(code, size=128, timeout=30, use_cache=False)
    assert not result.ok and result.error.kind == "blank", result.error
    assert "rgba(40, 50, 60, 255)" in result.error.message


# A patched then() stops p5 itself before setup (its lifecycle hooks go through Promise.all), so that
# sketch can only hang: a short timeout proves it is not reported ok without waiting 30 s for it.
@pytest.mark.parametrize(("patch", "timeout"), [("Promise.race = () => Promise.resolve(null);", 30),
                                                ("Promise.prototype.then = function () { return Promise.resolve(null); };", 3)])
def test_patched_promises_do_not_hide_an_error(renderer, patch, timeout):
    code = patch + """
function setup() {
  createCanvas(64, 64, WEBGL);
  background(0, 255, 0);
  throw new Error("hidden?");
}
"""
    result = renderer.render(code, size=64, timeout=timeout, use_cache=False)
    assert not result.ok, "a patched Promise turned a failing sketch into a success"
    if "race" in patch:  # (a patched then() breaks p5 itself before setup: some other failure)
        assert result.error.kind == "runtime" and result.error.line == 5, result.error


def test_array_push_filter_does_not_hide_a_forbidden_attempt(renderer):
    code = before("Array.prototype.push = function () { return this.length; };\n"
                  "try { fetch('http://127.0.0.1:9/x'); } catch (e) {}")
    result = renderer.render(code, timeout=30, use_cache=False)
    assert not result.ok and result.error.kind == "forbidden", result.error


def test_request_after_the_result_is_still_recorded(renderer):
    code = NORMAL.replace("  brush.line(-200, 180, 200, 180);\n", """  brush.line(-200, 180, 200, 180);
  const f = document.createElement("iframe"); document.body.appendChild(f);
  setTimeout(() => f.contentWindow.fetch("http://127.0.0.1:9/late").catch(() => {}), 1);
""")
    result = renderer.render(code, timeout=30, use_cache=False)
    assert not result.ok and result.error.kind == "forbidden", result.error


def test_forged_stack_does_not_move_the_line(renderer):
    code = ("function setup() {\n  createCanvas(64, 64, WEBGL);\n  const e = new Error('boom');\n"
            "  e.stack = 'Error: boom\\n    at setup (sketch.js:4242:1)';\n  throw e;\n}\n")
    result = renderer.render(code, size=64, timeout=30, use_cache=False)
    assert result.error.kind == "runtime" and result.error.line == 3, result.error


def test_line_separator_in_the_source_does_not_shift_lines(renderer):
    # U+2028 ends a line for V8 (here inside a string, legal since ES2019), not for the user's editor.
    code = 'const s = "a\u2028b\u2029c";\nfunction setup() {\n  createCanvas(64, 64, WEBGL);\n  missing();\n}\n'
    result = renderer.render(code, size=64, timeout=30, use_cache=False)
    assert result.error.kind == "runtime" and (result.error.line, result.error.column) == (4, 3), result.error


def test_brush_calls_are_counted_through_aliases_and_cannot_be_forged(renderer):
    code = """
function setup() {
  createCanvas(128, 128, WEBGL);
  background(255);
  brush.set("HB", "#000", 1);
  const { line } = brush;
  const b = window.brush;
  line(-50, 0, 50, 0);
  b["li" + "ne"](-50, 10, 50, 10);
  brush?.line(-50, 20, 50, 20);
  const node = document.getElementById("__brushwork_calls");
  if (node) node.setAttribute("hatch", "999");
  brush.hatch = () => {};
  brush.hatch();
}
"""
    result = renderer.render(code, size=128, timeout=30, use_cache=False)
    assert result.ok, result.error
    assert result.brush_calls == {"line": 3} and result.brush_state == {"set": 1}


def test_source_over_the_core_limit_is_refused_without_a_browser(renderer):
    from core.render.types import MAX_SOURCE_BYTES

    result = renderer.render("//" + "x" * MAX_SOURCE_BYTES, timeout=5, use_cache=False)
    assert not result.ok and result.error.kind == "input" and "limit" in result.error.message
