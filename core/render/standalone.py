"""Export a sketch as ONE self-contained HTML file that paints offline what the app rendered.

The page inlines p5.min.js, p5.brush.js and the harness's resources/harness/runtime.js (the same
seeding, size and finish rules the renderer uses), so opening it in any browser without a network
paints the same picture: Math.random is seeded before the sketch's own code runs, randomSeed(seed) and
noiseSeed(seed) are called right before setup(), the pixel density is 1, and the finished canvas is
resampled to the requested size exactly like the PNG the app stores.

The sketch is carried in a hidden <textarea> (HTML-escaped, so `</script>` or `</textarea>` in the
user's code cannot end the element early) and injected as its own script named sketch.js, as the
harness does, so error messages point at the user's line and column.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from core.paths import RESOURCES, p5_brush_js, p5_js
from core.render.capture import HEADER_LINES, SKETCH_HEADER

RUNTIME_JS = RESOURCES / "harness" / "runtime.js"
MAX_SIDE = 4096


def _size(size: int | tuple[int, int]) -> tuple[int, int]:
    w, h = (size, size) if isinstance(size, int) else tuple(size)
    if not all(isinstance(v, int) and 1 <= v <= MAX_SIDE for v in (w, h)):
        raise ValueError(f"size must be 1…{MAX_SIDE} px per side, not {size!r}")
    return w, h


def _inline_js(source: str) -> str:
    """Make a trusted library safe to sit inside <script>…</script> (only `</script` can end it)."""
    return re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)


# Runs after the libraries and runtime.js: inject the sketch, start it, then show the finished picture.
_BOOT = """
(function () {
  "use strict";
  const opts = %(opts)s;
  const status = document.getElementById("status");
  let failed = false;
  // "TypeError: … (line 3, column 9)": the position in the user's code, as the app reports it.
  function describe(err, line, col) {
    const m = String((err && err.stack) || "").match(/sketch\\.js:(\\d+):(\\d+)/);
    if (m) { line = +m[1]; col = +m[2]; }
    if (line) line -= %(header_lines)d;  // the sourceURL line above the user's code
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return line ? `${text} (line ${line}, column ${col})` : text;
  }
  function fail(message) {
    if (failed) return;
    failed = true;
    status.textContent = message;
    status.className = "error";
  }
  window.addEventListener("error", (e) => {
    const inSketch = e.filename && e.filename.endsWith("sketch.js");
    fail(describe(e.error || e.message, inSketch ? e.lineno : null, e.colno));
  });
  window.addEventListener("unhandledrejection", (e) => fail(describe(e.reason)));
  const R = window.BrushworkRuntime;
  R.prepare({seed: opts.seed, density: 1});
  const script = document.createElement("script");
  script.textContent = %(header)s + document.getElementById("sketch-source").value;  // capture.SKETCH_HEADER
  document.head.appendChild(script);  // runs now; a syntax error arrives through the "error" event
  if (failed) return;
  R.start({frames: opts.frames}).then((run) => {
    const src = R.canvas(run);
    if (!src) { fail("The sketch made no canvas (it needs createCanvas(w, h, WEBGL))."); return; }
    const out = R.capture(run, opts.width, opts.height);
    out.id = "brushwork-picture";
    src.style.display = "none";
    document.getElementById("picture").appendChild(out);
    status.textContent = `seed ${opts.seed} · ${opts.width}×${opts.height}`;
    window.__brushworkDone = true;
  }, (err) => fail(describe(err)));
})();
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Brushwork">
<title>%(title)s</title>
<style>
  html, body { margin: 0; background: #eeeae2; font: 14px/1.4 system-ui, sans-serif; color: #333; }
  main { display: flex; flex-direction: column; align-items: center; padding: 24px; gap: 10px; }
  #picture canvas { box-shadow: 0 2px 12px rgba(0, 0, 0, .18); max-width: 100%%; height: auto; }
  #status.error { color: #a01818; white-space: pre-wrap; }
  textarea { display: none; }
</style>
</head>
<body>
<main>
<h1 style="font-size: 16px; font-weight: 600; margin: 0">%(title)s</h1>
<div id="picture"></div>
<p id="status">painting…</p>
</main>
<textarea id="sketch-source" hidden>
%(code)s</textarea>
<script>%(p5)s</script>
<script>%(brush)s</script>
<script>%(runtime)s</script>
<script>%(boot)s</script>
</body>
</html>
"""


def standalone_html(code: str, seed: int = 0, size: int | tuple[int, int] = 512,
                    title: str = "Brushwork sketch", frames: int = 1) -> str:
    """One self-contained HTML page (libraries inlined, no network) that paints `code` with `seed`.

    `frames` must match the render's (1 unless the app rendered an animation for several frames).
    """
    w, h = _size(size)
    opts = json.dumps({"seed": int(seed), "width": w, "height": h, "frames": max(1, int(frames))})
    return _PAGE % {
        "title": html.escape(title),
        # The textarea's parser decodes these entities back; it drops one newline after its start tag.
        "code": html.escape(code, quote=False),
        "p5": _inline_js(p5_js().read_text(encoding="utf-8")),
        "brush": _inline_js(p5_brush_js().read_text(encoding="utf-8")),
        "runtime": _inline_js(RUNTIME_JS.read_text(encoding="utf-8")),
        "boot": _BOOT % {"opts": opts, "header": json.dumps(SKETCH_HEADER), "header_lines": HEADER_LINES},
    }


def write_standalone_html(path: str | Path, code: str, seed: int = 0, size: int | tuple[int, int] = 512,
                          title: str = "Brushwork sketch", frames: int = 1) -> Path:
    """Write standalone_html(...) to `path` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(standalone_html(code, seed=seed, size=size, title=title, frames=frames), encoding="utf-8")
    return path
