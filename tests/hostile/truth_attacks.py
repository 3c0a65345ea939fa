"""Sketches that try to choose their picture, their brush counts or their error kind (issue 20).

Each attack is a sketch plus what the renderer must make of it. tests/hostile/test_truth.py runs them;
the same table can be run against an older checkout to see which got through there
(`python tests/hostile/truth_attacks.py`, from the checkout's root).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))
from sketches import NORMAL  # noqa: E402

# NORMAL's painting (a blue square, a pencil line): the body of its setup() after createCanvas.
BODY = NORMAL.split("createCanvas(512, 512, WEBGL);", 1)[1].rsplit("}", 1)[0]


def normal(extra: str = "", prelude: str = "", canvas: str = "createCanvas(512, 512, WEBGL);") -> str:
    """NORMAL with `prelude` at the top level and `extra` at the end of setup()."""
    return f"{prelude}\nfunction setup() {{\n  {canvas}\n{BODY}{extra}\n}}\n"


# A canvas painted red with a green corner: what a forger wants captured.
FORGED = """
const forged = document.createElement("canvas");
forged.width = 512; forged.height = 512;
const fg = forged.getContext("2d");
fg.fillStyle = "#ff0000"; fg.fillRect(0, 0, 512, 512); fg.fillStyle = "#00ff00"; fg.fillRect(0, 0, 200, 200);
"""
# The pre-made canvas cannot serve pixelDensity(2): a second, cold page runs the sketch.
COLD = "createCanvas(512, 512, WEBGL);\n  pixelDensity(2);"
# A 4×4 drawing buffer behind p5's back, painted in two colours: upscaled, it would pass for a picture.
SHRINK = """
  drawingContext.canvas.width = 4; drawingContext.canvas.height = 4;
  drawingContext.viewport(0, 0, 4, 4);
  background(0, 0, 255); fill(255, 0, 0); rect(-256, -256, 256, 512);"""

# expect: "normal" = ok and the true picture; "forbidden" / "blank" / "runtime" = that error kind;
# "not_forged" = forbidden, or ok with the true picture.
PICTURE = {
    "cold_hidden_forged_canvas": (normal(prelude=FORGED + 'forged.id = "defaultCanvas0"; forged.style.display = "none";'
                                         "\ndocument.body.appendChild(forged);", canvas=COLD), "normal"),
    "cold_first_canvas_forged": (normal(prelude=FORGED + "document.body.prepend(forged);", canvas=COLD), "normal"),
    "cold_shadow_root": (normal("""
  const host = document.createElement("div"); document.body.appendChild(host);
  host.attachShadow({ mode: "closed" }).appendChild(drawingContext.canvas);
  document.body.appendChild(forged);""", FORGED, COLD), "forbidden"),
    "warm_shadow_root": (normal("""
  const host = document.createElement("div"); document.body.appendChild(host);
  host.attachShadow({ mode: "closed" }).appendChild(drawingContext.canvas);
  document.body.appendChild(forged);""", FORGED), "forbidden"),
    "cold_replaced_canvas": (normal("\n  drawingContext.canvas.replaceWith(forged);", FORGED, COLD), "forbidden"),
    "own_canvas_element": (normal(canvas="const mine = document.createElement('canvas'); document.body.appendChild(mine);"
                                         "\n  createCanvas(512, 512, WEBGL, mine);"), "forbidden"),
    "patched_create_canvas": (normal(prelude="""
const realCreate = p5.prototype.createCanvas;
p5.prototype.createCanvas = function (w, h, r) {
  const mine = document.createElement("canvas"); document.body.appendChild(mine);
  return realCreate.call(this, w, h, r, mine);
};"""), "not_forged"),
    "patched_create_canvas_cold": (normal(canvas=COLD, prelude="""
const realCreate = p5.prototype.createCanvas;
p5.prototype.createCanvas = function (w, h, r) {
  const mine = document.createElement("canvas"); document.body.appendChild(mine);
  return realCreate.call(this, w, h, r, mine);
};"""), "forbidden"),
    "patched_create_element_before_set_attributes": (normal(canvas="""createCanvas(512, 512, WEBGL);
  Document.prototype.createElement = function (tag) { return forged; };
  setAttributes("perPixelLighting", false);""", prelude=FORGED), "not_forged"),
    "timer_draws_after_the_answer": (normal("""
  setTimeout(() => { background(255, 0, 0); }, 30);
  setTimeout(() => setInterval(() => { background(0, 255, 0); }, 1), 10);
  new Promise((r) => setTimeout(r, 20)).then(() => background(255, 0, 255));"""), "normal"),
    "fake_snapshot_event": (normal("""
  for (const n of [document, document.body, document.documentElement, drawingContext.canvas])
    n.dispatchEvent(new Event("brushwork-snapshot"));
  background(255, 0, 0);"""), "red"),
    "shrunk_drawing_buffer": (normal(SHRINK), "blank"),
    "cold_shrunk_drawing_buffer": (normal(SHRINK, canvas=COLD), "blank"),
    "tiny_pixel_density": (normal(canvas="createCanvas(512, 512, WEBGL);\n  pixelDensity(0.02);"), "blank"),
    "sketch_owns_create_element": (normal(canvas="""createCanvas(512, 512, WEBGL);
  Object.defineProperty(document, "createElement", { value: () => forged, configurable: false });
  setAttributes("perPixelLighting", false);""", prelude=FORGED), "forbidden"),
    "second_render_call": (normal("\n  window.__brushwork.render({code: 'function setup(){}', seed: 0, width: 8,"
                                  " height: 8, density: 1, frames: 1}).catch(() => {});"), "forbidden"),
    "dynamic_import_data": (normal(prelude='import("data:text/javascript,window.__imported = 1").catch(() => {});'),
                            "forbidden"),
    "dynamic_import_blob": (normal(prelude='import(URL.createObjectURL(new Blob(["window.__x = 1"],'
                                           ' {type: "text/javascript"}))).catch(() => {});'), "forbidden"),
    "import_in_a_srcdoc_iframe": (normal(prelude='{ const f = document.createElement("iframe"); f.srcdoc = "<script>'
                                                 'import(\'data:text/javascript,parent.__x = 1\')</scr" + "ipt>";'
                                                 ' document.body.appendChild(f); }',
                                         extra="\n  return new Promise((r) => setTimeout(r, 300));"), "forbidden"),
    "script_src_data": (normal(prelude='{ const s = document.createElement("script");'
                                       ' s.src = "data:text/javascript,window.__x=1"; document.head.appendChild(s); }'),
                        "forbidden"),
}

# Sketches whose run-time counts are known: (code, brush_calls expected).
NOOPS = """
  brush.rect(0, 0, 0, 0);
  brush.circle(5000, 5000, 3);
  brush.line(0, 0, 0, 0);
  brush.line(3000, 3000, 3100, 3100);
  brush.arc(9000, 9000, 2, 0, 1);
  brush.noStroke(); brush.rect(-50, -50, 100, 100); brush.set("HB", "#000", 1);
  brush.spline([[9000, 9000], [9100, 9100], [9200, 9000]]);
  brush.polygon([[9000, 9000], [9100, 9100], [9200, 9000]]);
  brush.beginShape(); brush.vertex(9000, 9000); brush.vertex(9100, 9100); brush.endShape();
  brush.flowLine(9000, 9000, 10, 0);
  brush.hatchArray([]);
"""
# Eleven methods called with arguments they choke on; the sketch logs "threw NAME" for each that threw.
THROWING = "\n".join(f"  try {{ brush.{m}(...bad); }} catch (e) {{ console.log('threw {m}'); }}" for m in (
    "line", "rect", "circle", "arc", "spline", "polygon", "flowLine", "set", "pick", "fill", "hatch"))
COUNTS = {
    "one_line_plus_noops": (normal(NOOPS), {"line": 1}),
    "eleven_methods_that_threw": (normal("\n  const bad = [Symbol('x'), Symbol('y'), {valueOf() { throw new Error('no'); }}];\n"
                                         + THROWING), {"line": 1}),
    "every_key_called": (normal("""
  for (const k of Object.keys(brush)) { try { if (!/^[A-Z]/.test(k)) brush[k](); } catch (e) {} }"""), {"line": 1}),
    "twelve_polygons": (normal("""
  brush.fill("#d33", 80);
  for (let i = 0; i < 12; i++) {
    const x = -240 + (i % 4) * 120, y = -200 + Math.floor(i / 4) * 120;
    new brush.Polygon([[x, y], [x + 60, y], [x + 60, y + 60], [x, y + 60]]).fill();
  }"""), {"line": 1, "Polygon.fill": 12}),
    "plot_draw": (normal("""
  const plot = new brush.Plot("curve");
  plot.addSegment(0, 100, 1); plot.addSegment(90, 100, 1); plot.endPlot(0, 1);
  plot.draw(-100, -100, 1);"""), {"line": 1, "Plot.draw": 1}),
    "forged_mark_from_value_of": (normal("""
  const inst = p5.instance;
  const sneaky = { valueOf() { inst.glMask.dirtyRect = {minX: 0, minY: 0, maxX: 50, maxY: 50};
                               inst.mask.dirtyRect = {minX: 0, minY: 0, maxX: 50, maxY: 50}; return 9000; } };
  brush.circle(sneaky, 9000, 5);
  brush.rect(sneaky, 9000, 5, 5);"""), {"line": 1}),
    "forged_mark_outside_a_call": (normal("""
  p5.instance.glMask.dirtyRect = {minX: 0, minY: 0, maxX: 50, maxY: 50};
  p5.instance.glMask.isDrawn = true;"""), {"line": 1}),
    "forged_mark_from_a_brush_named_script": (normal("""
  const s = document.createElement("script");
  s.textContent = "window.__mark = () => { p5.instance.glMask.dirtyRect = {minX: 0, minY: 0, maxX: 9, maxY: 9}; };" +
                  "\\n//# sourceURL=" + location.origin + "/lib/p5.brush.js";
  document.head.appendChild(s);
  brush.circle({ valueOf() { window.__mark(); return 9000; } }, 9000, 5);"""), {"line": 1}),
    "nested_call_from_a_hook": (normal("""
  const sneaky = { valueOf() { brush.line(-100, -100, 100, 100); return 9000; } };
  brush.circle(sneaky, 9000, 5);"""), {"line": 2}),
    "replaced_brush_object": (normal("""
  window.brush = { line() {}, rect() {}, circle() {}, fill() {}, set() {} };
  brush.rect(0, 0, 10, 10); brush.circle(0, 0, 10);"""), {"line": 1}),
    "calls_after_the_answer": (normal("""
  setTimeout(() => { brush.rect(-100, -100, 50, 50); brush.circle(0, 0, 30); }, 30);"""), {"line": 1}),
    "no_brush_at_run_time": ("function paint(brush) { brush.line(0, 0, 1, 1); brush.rect(0, 0, 1, 1); }\n"
                             "function setup() {\n  createCanvas(64, 64, WEBGL);\n  background(200);\n"
                             "  fill(0); rect(0, 0, 10, 10);\n  paint({ line() {}, rect() {} });\n}\n", {}),
}

# A sketch's own exception is `runtime`, whatever it says; payloads are capped before they cross.
BIG = 'const big = "x".repeat(16e6);\n'
KINDS = {
    "range_error_out_of_memory_text": ("function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                                       '  throw new RangeError("Invalid array length (out of memory)");\n}\n', "runtime"),
    "allocation_failed_text": ("function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                               '  throw new RangeError("Array buffer allocation failed");\n}\n', "runtime"),
    "crash_text": ('function setup() {\n  createCanvas(64, 64, WEBGL);\n  throw new Error("Target crashed");\n}\n',
                   "runtime"),
    "huge_string_thrown": (BIG + "function setup() {\n  createCanvas(64, 64, WEBGL);\n  throw big;\n}\n", "runtime"),
    "huge_message": (BIG + "function setup() {\n  createCanvas(64, 64, WEBGL);\n  throw new Error(big);\n}\n", "runtime"),
    "huge_stack_assigned": (BIG + "function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                            "  const e = new Error('x'); e.stack = big; throw e;\n}\n", "runtime"),
    "huge_stack_getter": (BIG + "function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                          "  const e = new Error('x'); Object.defineProperty(e, 'stack', { get: () => big });"
                          " throw e;\n}\n", "runtime"),
    "huge_bigint_thrown": ("function setup() {\n  createCanvas(64, 64, WEBGL);\n  throw 7n ** 2000000n;\n}\n",
                           "runtime"),
    "huge_rejection": (BIG + "async function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                       "  Promise.reject(new Error(big));\n  await new Promise((r) => setTimeout(r, 50));\n"
                       "  background(0); fill(255); rect(0, 0, 9, 9);\n}\n", "runtime"),
    "locked_prepare_stack_trace": (BIG + "Error.prepareStackTrace = () => big;\nfunction setup() {\n"
                                   "  createCanvas(64, 64, WEBGL);\n  throw new Error('short');\n}\n", "runtime"),
    "huge_error_in_an_iframe": (BIG + "async function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                                "  const f = document.createElement('iframe'); document.body.appendChild(f);\n"
                                "  f.contentWindow.setTimeout(() => { throw new f.contentWindow.Error(big); }, 0);\n"
                                "  await new Promise((r) => setTimeout(r, 200));\n  background(0); rect(0, 0, 9, 9);\n}\n",
                                "runtime"),
    # a SyntaxError thrown where no frame of the sketch runs (a native callback from a task): not a parse failure
    "syntax_error_from_a_native_callback": ("async function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                                            '  setTimeout(JSON.parse, 0, "{");\n'
                                            "  await new Promise((r) => setTimeout(r, 200));\n}\n", "runtime"),
    "syntax_error_queued_as_a_microtask": ("async function setup() {\n  createCanvas(64, 64, WEBGL);\n"
                                           '  queueMicrotask(JSON.parse.bind(null, "{"));\n'
                                           "  await new Promise((r) => setTimeout(r, 200));\n}\n", "runtime"),
    # the sketch renames its own script: a parse failure of another script it adds is still its runtime error
    "renamed_then_adds_a_broken_script": ("//# sourceURL=sketch.js\nasync function setup() {\n"
                                          "  createCanvas(64, 64, WEBGL);\n  const s = document.createElement('script');\n"
                                          "  s.textContent = 'f(1, 2;\\n//# sourceURL=sketch.js';\n"
                                          "  setTimeout(() => document.head.appendChild(s), 0);\n"
                                          "  await new Promise((r) => setTimeout(r, 200));\n}\n", "runtime"),
    "huge_function_thrown": ("const f = new Function('/*' + 'x'.repeat(16e6) + '*/');\nfunction setup() {\n"
                             "  createCanvas(64, 64, WEBGL);\n  throw f;\n}\n", "runtime"),
}

# 40 exceptions of 16 MB each, thrown by timers, rejected and logged, while setup waits for them.
FLOOD = BIG + """
async function setup() {
  createCanvas(64, 64, WEBGL);
  for (let i = 0; i < 40; i++) {
    setTimeout(() => { throw new Error(big + i); }, 0);
    Promise.reject(new Error(big + i));
    console.error(new Error(big + i));
  }
  await new Promise((r) => setTimeout(r, 1500));
  background(0); fill(255); rect(0, 0, 9, 9);
}
"""


def _main() -> None:
    """Run every attack on this checkout's renderer and print what came back (no assertions)."""
    root = Path.cwd()
    sys.path[:0] = [str(root), str(root / "tests" / "render")]
    from sketches import assert_normal

    from core.render import SyncRenderer

    with SyncRenderer(pool_size=2) as r:
        for table in (PICTURE, COUNTS, KINDS):
            for name, (code, expected) in table.items():
                res = r.render(code, timeout=30, use_cache=False)
                kind = res.error.kind if res.error else "ok"
                picture = ""
                if res.ok:
                    try:
                        assert_normal(res.png)
                        picture = "true picture"
                    except AssertionError:
                        picture = "OTHER picture"
                print(f"{name:50s} expected {expected!s:40.40s} got {kind:10s} {picture:14s} "
                      f"calls={getattr(res, 'brush_calls', None)} msg={len(res.error.message) if res.error else 0}",
                      flush=True)


if __name__ == "__main__":
    _main()
