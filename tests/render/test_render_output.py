"""What a render produces: exact pixels, the requested size, seeded determinism, console, timings."""
from __future__ import annotations

from sketches import NORMAL, assert_normal, image, pixel_diff

STROKES = """
function setup() {
  createCanvas(512, 512, WEBGL);
  background(250);
  brush.scaleBrushes(2);
  for (let i = 0; i < 12; i++) {
    brush.set(random(["HB", "2B", "pen", "charcoal"]), random(["#222", "#a33", "#36c"]), 1);
    brush.line(random(-250, 250), random(-250, 250), random(-250, 250), random(-250, 250));
  }
  noStroke();
  fill(Math.random() * 255, 0, 0);
  rect(-250, -250, 30, 30);
}
"""


def test_normal_sketch_pixels(renderer, artifacts):
    result = renderer.render(NORMAL, use_cache=False)
    assert result.ok and result.error is None
    assert_normal(result.png)
    assert (result.width, result.height, result.seed, result.cached) == (512, 512, 0, False)
    assert result.sketch_ms is not None and 0 < result.sketch_ms < result.ms
    (artifacts / "render-normal.png").write_bytes(result.png)


def test_same_seed_same_strokes_other_seed_differs(renderer, artifacts):
    a = renderer.render(STROKES, seed=7, use_cache=False)
    b = renderer.render(STROKES, seed=7, use_cache=False)
    c = renderer.render(STROKES, seed=8, use_cache=False)
    assert a.ok and b.ok and c.ok
    assert pixel_diff(a.png, b.png) <= 20
    assert pixel_diff(a.png, c.png) > 1000
    # Math.random is seeded too: the red square's shade comes from it.
    assert image(a.png).getpixel((10, 10)) == image(b.png).getpixel((10, 10))
    (artifacts / "render-strokes-seed7.png").write_bytes(a.png)


def test_output_is_resampled_to_the_requested_size(renderer):
    code = NORMAL.replace("createCanvas(512, 512, WEBGL)", "createCanvas(300, 200, WEBGL)")
    result = renderer.render(code, size=(640, 480), use_cache=False)
    assert result.ok, result.error
    im = image(result.png)
    assert im.size == (640, 480)
    assert im.getpixel((320, 240))[:3] == (0, 0, 255)  # the centre stays the centre
    assert (result.width, result.height) == (640, 480)


def test_pixel_density_draft(renderer):
    result = renderer.render(NORMAL, pixel_density=0.5, use_cache=False)
    assert result.ok, result.error
    assert image(result.png).size == (256, 256)


def test_console_is_captured(renderer):
    code = NORMAL.replace("background(255);", "background(255); console.log('hello', 42); console.warn('careful');")
    result = renderer.render(code, use_cache=False)
    assert result.ok
    assert "log: hello 42" in result.console
    assert "warning: careful" in result.console


def test_draw_runs_until_noloop_or_frame_budget(renderer):
    code = """
let frames = 0;
function setup() { createCanvas(64, 64, WEBGL); }
function draw() {
  frames++;
  background(frames * 40, 0, 0);
  fill(255);
  rect(0, 0, 10, 10);  // not one flat colour, or it would be `blank`
  if (frames === 3) noLoop();
}
"""
    one = renderer.render(code, size=64, use_cache=False)
    assert one.ok and image(one.png).getpixel((5, 5))[0] == 40  # default budget: one frame
    more = renderer.render(code, size=64, frames=10, use_cache=False)
    assert more.ok and image(more.png).getpixel((5, 5))[0] == 120  # stopped by noLoop() at frame 3


def test_prewarmed_canvas_paints_like_a_fresh_one(renderer):
    """The hot pre-made canvas (default) and p5's own start give the same picture for the same seed."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from core.render import Renderer

    async def plain():
        async with Renderer(pool_size=2, prewarm=False) as r:
            return await asyncio.gather(*(r.render(code, seed=7, timeout=60, use_cache=False) for code in sketches))

    # Same size as the pre-made canvas, another size (resized in place), and a draft density.
    sketches = (STROKES, NORMAL, STROKES.replace("createCanvas(512, 512", "createCanvas(300, 420"),
                STROKES.replace("background(250);", "background(250);\n  pixelDensity(2);"),
                STROKES.replace("background(250);", "background(250);\n  setAttributes('antialias', true);"))
    # Both sides at once: the cold renderer's launch and page loads overlap the warm renders. (Pictures are
    # under test here, not time: renders sharing a GPU process on a crowded machine get a generous timeout.)
    with ThreadPoolExecutor(1 + len(sketches)) as threads:
        cold_future = threads.submit(asyncio.run, plain())
        warm = list(threads.map(lambda code: renderer.render(code, seed=7, timeout=60, use_cache=False), sketches))
        cold = cold_future.result()
    for c, w in zip(cold, warm, strict=True):
        assert c.ok and w.ok, (c.error, w.error)
        assert pixel_diff(c.png, w.png) <= 20


def test_sketches_the_premade_canvas_cannot_serve_start_cold(renderer):
    """P2D canvases and second canvases rerun in a fresh document, exactly as p5 would run them."""
    p2d_brush = "function setup() {\n  createCanvas(512, 512);\n  brush.set('HB', '#000', 1);\n  brush.line(-50, 0, 50, 0);\n}"
    twice = NORMAL.replace("createCanvas(512, 512, WEBGL);", "createCanvas(512, 512, WEBGL);\n  createCanvas(512, 512, WEBGL);")
    bad = renderer.render(p2d_brush, use_cache=False)
    assert bad.error.kind == "runtime" and "WEBGL" in bad.error.message and bad.error.line == 3  # the first brush call
    good = renderer.render(twice, use_cache=False)
    assert good.ok, good.error
    assert_normal(good.png)


def test_console_flood_is_capped(renderer):
    code = NORMAL.replace("background(255);", "background(255);\n  for (let i = 0; i < 200000; i++) console.log('spam', i);")
    result = renderer.render(code, timeout=20, use_cache=False)
    assert result.ok, result.error
    assert 200 <= len(result.console) <= 202
    assert "more console output dropped" in result.console[-1]


def test_console_cap_is_per_render_not_per_frame(renderer):
    """Five iframes of 100 messages each: the page stops at 200 in all and says so once (frames.js);
    per-frame caps would pass all 500 on and only Python's own note would end the list."""
    code = NORMAL.replace("background(255);", """background(255);
  for (let f = 0; f < 5; f++) {
    const frame = document.createElement("iframe");
    document.body.appendChild(frame);
    for (let i = 0; i < 100; i++) frame.contentWindow.console.log("frame", f, i);
  }""")
    result = renderer.render(code, timeout=20, use_cache=False)
    assert result.ok, result.error
    assert result.console[-1] == "log: … more console output dropped", result.console[-3:]
    assert result.console[-2] == "log: frame 1 99" and len(result.console) == 201
