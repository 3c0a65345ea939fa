"""The standalone HTML export paints offline, in a plain Chromium, the picture the renderer made."""
from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from core.paths import STARTERS
from core.render.browser import chromium_flags, find_chromium
from core.render.standalone import standalone_html, write_standalone_html

STROKES_ONLY = STARTERS / "03-pencil-still-life.js"   # pencil and hatching: pixel-identical between runs
WATERCOLOUR = STARTERS / "09-blue-iris.js"            # watercolour fills may differ in a few pixels
SIMPLEST = STARTERS / "00-simple-line.js"


class ExportPage:
    """Opens exported files the way a person would (file:// URL), with every other request refused."""

    def __init__(self, browser):
        self.browser = browser

    def open(self, path, timeout_ms: int = 60_000) -> dict:
        attempted: list[str] = []
        context = self.browser.new_context(viewport={"width": 900, "height": 800})
        page = context.new_page()

        def refuse(route):
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                attempted.append(route.request.url)
                route.abort()

        page.route("**/*", refuse)
        page.route_web_socket(re.compile(".*"), lambda ws: attempted.append(ws.url))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => window.__brushworkDone || document.getElementById('status').className === 'error'",
            timeout=timeout_ms,
        )
        status = page.inner_text("#status")
        png = None
        if page.evaluate("() => !!window.__brushworkDone"):
            url = page.evaluate("() => document.getElementById('brushwork-picture').toDataURL('image/png')")
            png = base64.b64decode(url.split(",", 1)[1])
        probe = page.evaluate("() => window.__probe === undefined ? null : window.__probe")
        context.close()
        return {"png": png, "status": status, "attempted": attempted, "errors": errors, "probe": probe}


@pytest.fixture(scope="module")
def exports():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=chromium_flags(), headless=True,
                                     chromium_sandbox=False)
        yield ExportPage(browser)
        browser.close()


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(np.int16)


def _export_and_render(tmp_path, exports, renderer, code: str, seed: int, size):
    path = write_standalone_html(tmp_path / "sketch.html", code, seed=seed, size=size)
    opened = exports.open(path)
    assert opened["attempted"] == [], f"the export tried the network: {opened['attempted']}"
    assert opened["errors"] == [] and opened["png"], opened["status"]
    rendered = renderer.render(code, seed=seed, size=size, timeout=60, use_cache=False)
    assert rendered.ok, rendered.error
    return _pixels(opened["png"]), _pixels(rendered.png)


def test_page_is_one_self_contained_file():
    page = standalone_html(SIMPLEST.read_text(), seed=4, title="A <line> & more")
    assert '<meta charset="utf-8">' in page
    assert "<title>A &lt;line&gt; &amp; more</title>" in page
    # Nothing is fetched: no external scripts, styles, images or frames.
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b", page, re.IGNORECASE)
    assert "BrushworkRuntime" in page and "registerAddon" in page  # runtime.js and p5 are inlined
    assert page.lower().count("</script") == 4  # only our own four script elements ever close


def test_write_returns_the_file(tmp_path):
    out = write_standalone_html(tmp_path / "x.html", SIMPLEST.read_text(), seed=1, size=(300, 200))
    assert out.read_text(encoding="utf-8") == standalone_html(SIMPLEST.read_text(), seed=1, size=(300, 200))


@pytest.mark.parametrize("size", [0, 5000, (10, 0), "512"])
def test_bad_size_is_refused(size):
    with pytest.raises(ValueError):
        standalone_html("function setup() {}", size=size)


@pytest.mark.browser
def test_strokes_match_the_renderer_pixel_for_pixel(tmp_path, exports, renderer, artifacts):
    exported, rendered = _export_and_render(tmp_path, exports, renderer, STROKES_ONLY.read_text(), 3, 512)
    assert exported.shape == rendered.shape == (512, 512, 4)
    differing = (np.abs(exported - rendered).max(axis=2) > 8).sum()
    assert differing <= 20, f"{differing} pixels differ"
    Image.fromarray(exported.astype(np.uint8)).save(artifacts / "standalone-still-life.png")


@pytest.mark.browser
def test_watercolour_matches_the_renderer_closely(tmp_path, exports, renderer):
    exported, rendered = _export_and_render(tmp_path, exports, renderer, WATERCOLOUR.read_text(), 0, 512)
    diff = np.abs(exported - rendered)
    assert diff.mean() < 1.0, f"mean difference {diff.mean():.3f}"
    assert (diff.max(axis=2) > 8).mean() < 0.01


@pytest.mark.browser
def test_requested_size_is_resampled_like_the_renderer(tmp_path, exports, renderer):
    exported, rendered = _export_and_render(tmp_path, exports, renderer, SIMPLEST.read_text(), 2, (300, 200))
    assert exported.shape == rendered.shape == (200, 300, 4)
    assert (np.abs(exported - rendered).max(axis=2) > 8).sum() <= 5


@pytest.mark.browser
def test_hostile_text_in_the_code_survives_escaping(tmp_path, exports):
    # `</script>` or `</textarea>` inside the code must not end the element that carries it.
    probe = "</script><script>window.__probe='pwned'</script> </textarea> &amp; <!-- \u00e9\u2028"
    code = (
        f"window.__probe = {probe!r};\n"
        "function setup() {\n  createCanvas(64, 64, WEBGL);\n  background(240);\n"
        "  brush.set('pen', '#222', 1);\n  brush.line(-20, 0, 20, 0);\n}\n"
    )
    opened = exports.open(write_standalone_html(tmp_path / "hostile.html", code, size=64))
    assert opened["probe"] == probe
    assert opened["png"] is not None and opened["attempted"] == []


@pytest.mark.browser
def test_errors_are_shown_with_the_sketch_line(tmp_path, exports):
    code = "function setup() {\n  createCanvas(64, 64, WEBGL);\n  brush.nope(1);\n}\n"
    opened = exports.open(write_standalone_html(tmp_path / "broken.html", code, size=64))
    assert opened["png"] is None
    assert "brush.nope is not a function" in opened["status"]
    assert "line 3" in opened["status"]
    # broken above its end: V8 must still place the error in the sketch, at the user's line
    code = "function setup() {\n  createCanvas(64, 64, WEBGL);\n  brush.line(0, 0, 10, 10;\n}\n"
    opened = exports.open(write_standalone_html(tmp_path / "unparsed.html", code, size=64))
    assert opened["png"] is None and "SyntaxError" in opened["status"], opened["status"]
    assert "(line 3, column" in opened["status"], opened["status"]


@pytest.mark.browser
def test_the_network_guard_sees_requests(tmp_path, exports):
    # Proves the "no request attempted" checks above can fail: this sketch does ask the network.
    code = "function setup() {\n  createCanvas(64, 64, WEBGL);\n  fetch('http://example.invalid/x.png');\n}\n"
    opened = exports.open(write_standalone_html(tmp_path / "net.html", code, size=64))
    assert any("example.invalid" in url for url in opened["attempted"])


@pytest.mark.browser
def test_animation_stops_after_the_same_frames_as_the_renderer(tmp_path, exports, renderer):
    # Each frame draws one more line: the picture shows how many frames ran.
    code = (
        "function setup() {\n  createCanvas(128, 128, WEBGL);\n  background(245);\n  brush.scaleBrushes(1.5);\n}\n"
        "function draw() {\n  brush.set('pen', '#222', 1);\n  brush.line(-50, -50 + frameCount * 20, 50, -50 + frameCount * 20);\n}\n"
    )
    path = write_standalone_html(tmp_path / "anim.html", code, seed=1, size=128, frames=3)
    opened = exports.open(path)
    assert opened["png"], opened["status"]
    three = renderer.render(code, seed=1, size=128, frames=3, use_cache=False)
    one = renderer.render(code, seed=1, size=128, frames=1, use_cache=False)
    assert three.ok and one.ok
    exported = _pixels(opened["png"])
    assert (np.abs(exported - _pixels(three.png)).max(axis=2) > 8).sum() <= 5
    assert (np.abs(exported - _pixels(one.png)).max(axis=2) > 8).sum() > 50
