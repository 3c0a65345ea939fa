"""What a render truthfully produced, read from outside the sketch's reach.

- Picture: pixels are read in an isolated world (CDP `Page.createIsolatedWorld`: same DOM, its own
  pristine JavaScript), from a canvas reference taken there before the sketch ran; the PNG's signature,
  dimensions and size are then checked here, and blank detection runs here on the decoded image.
- Brush calls: counted by the harness on a node only its closure and the isolated world hold.
- Errors: from CDP `Runtime.exceptionThrown` (the harness re-throws what it catches), with the line taken
  from the stack V8 recorded, in the user's own numbering (V8 also ends lines at U+2028 / U+2029).
"""
from __future__ import annotations

import base64
import io
import json
import re
import struct

import numpy as np
from PIL import Image

from core.render.types import RenderError

WORLD = "brushwork"
SKETCH_URL = "sketch.js"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLD_START = "brushwork: this sketch needs a cold start"
MEMORY_TEXT = re.compile(r"allocation failed|Invalid (typed )?array length|Invalid string length|out of memory", re.I)

# Runs in the isolated world right after the harness loads, before any sketch: keep the canvas p5 made
# (when it was pre-started) and give the harness the node it counts brush calls on.
SETUP = """(() => {
  const calls = document.createElementNS("urn:brushwork", "calls");
  calls.id = "__brushwork_calls";
  document.documentElement.appendChild(calls);
  globalThis.__bw = { calls, canvas: document.querySelector("canvas") };
  return true;
})()"""

CAPTURE = """(async (w, h) => {
  await new Promise((r) => setTimeout(r, 0));  // timers the sketch left (its re-thrown errors) run first
  const st = globalThis.__bw;
  const counts = {};
  const refused = [];
  for (const a of st.calls.attributes) {
    if (a.name.startsWith("forbidden-")) refused.push(a.value);
    else if (a.name !== "id") counts[a.name] = Number(a.value);
  }
  let src = st.canvas;
  if (!src) {  // p5 started with the sketch: its own canvas, else the first one there is
    const all = Array.from(document.querySelectorAll("canvas"));
    src = all.find((c) => /^defaultCanvas/.test(c.id)) || all[0] || null;
  }
  if (!src || !src.isConnected) return { counts, refused, png: null };
  const out = document.createElement("canvas");
  out.width = w; out.height = h;
  const ctx = out.getContext("2d");
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(src, 0, 0, w, h);
  return { counts, refused, png: out.toDataURL("image/png") };
})"""


async def open_world(cdp) -> int:
    """Create the isolated world on the page's main frame and run SETUP there; its context id."""
    tree = await cdp.send("Page.getFrameTree")
    frame_id = tree["frameTree"]["frame"]["id"]
    world = await cdp.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD})
    context = world["executionContextId"]
    await cdp.send("Runtime.evaluate", {"expression": SETUP, "contextId": context, "returnByValue": True})
    return context


async def capture(cdp, context: int, w: int, h: int) -> tuple[bytes | None, dict[str, int], list[str]]:
    """(PNG of the sketch's canvas resampled to w×h or None if it is gone, brush call counts, refusals)."""
    expression = f"{CAPTURE}({int(w)}, {int(h)})"
    reply = await cdp.send("Runtime.evaluate", {"expression": expression, "contextId": context,
                                                 "returnByValue": True, "awaitPromise": True})
    value = (reply.get("result") or {}).get("value") or {}
    counts = {str(k): int(v) for k, v in (value.get("counts") or {}).items()}
    refused = [str(v)[:200] for v in value.get("refused") or []]
    url = value.get("png")
    if not isinstance(url, str) or not url.startswith("data:image/png;base64,"):
        return None, counts, refused
    return base64.b64decode(url.split(",", 1)[1]), counts, refused


def check_png(png: bytes, w: int, h: int) -> RenderError | None:
    """Refuse anything but a w×h PNG of sane size; `blank` when every pixel has one colour."""
    limit = w * h * 4 + 1_000_000
    if not png.startswith(PNG_SIGNATURE) or len(png) < 33 or png[12:16] != b"IHDR":
        return RenderError("browser", "the captured picture is not a PNG; the render was refused")
    width, height = struct.unpack(">II", png[16:24])
    if (width, height) != (w, h) or len(png) > limit:
        return RenderError("browser", f"the captured PNG is {width}×{height} ({len(png)} bytes), not {w}×{h}; "
                                      "the render was refused")
    with Image.open(io.BytesIO(png)) as im:
        pixels = np.asarray(im.convert("RGBA"))
    first = pixels[0, 0]
    if (pixels == first).all():
        r, g, b, a = (int(v) for v in first)
        return RenderError("blank", f"the canvas is one flat colour rgba({r}, {g}, {b}, {a})")
    return None


def editor_position(code: str, line0: int, col0: int) -> tuple[int, int]:
    """V8's 0-based (line, column) in the injected code → the user's 1-based line and column.

    V8 ends a line at \\n, \\r, \\r\\n, U+2028 and U+2029; an editor only at \\n (\\r\\n counting once)."""
    offset, line = 0, 0
    for m in re.finditer(r"\r\n|[\n\r\u2028\u2029]", code):
        if line == line0:
            break
        offset, line = m.end(), line + 1
    offset = min(len(code), offset + max(0, col0))
    before = code[:offset]
    user_line = before.count("\n") + 1
    return user_line, offset - (before.rfind("\n") + 1) + 1


def _sketch_frame(details: dict) -> tuple[int, int] | None:
    for frame in (details.get("stackTrace") or {}).get("callFrames", []):
        if frame.get("url", "").endswith(SKETCH_URL):
            return frame["lineNumber"], frame["columnNumber"]
    if str(details.get("url", "")).endswith(SKETCH_URL):
        return details.get("lineNumber", 0), details.get("columnNumber", 0)
    return None


def describe(details: dict) -> tuple[str, str]:
    """(class name, first line of the description) of an exceptionThrown's exception."""
    exc = details.get("exception") or {}
    text = exc.get("description") or (f"uncaught {json.dumps(exc['value'])}" if "value" in exc
                                      else details.get("text", ""))
    return exc.get("className") or "", str(text).split("\n    at ", 1)[0].strip()


def is_harness_signal(details: dict) -> bool:
    """The runtime's own cold-start signal is not the sketch's error."""
    return COLD_START in describe(details)[1]


def error_from_exception(details: dict, code: str) -> RenderError:
    """A RenderError from CDP exceptionDetails, kind and line decided here, not by the page."""
    cls, text = describe(details)
    frames = (details.get("stackTrace") or {}).get("callFrames", [])
    if "forbidden: the sketch tried" in text:
        kind = "forbidden"
        text = text[text.index("forbidden: ") + len("forbidden: "):]
    elif cls == "SyntaxError" and not frames:
        kind = "syntax"
    elif cls == "RangeError" and MEMORY_TEXT.search(text):
        kind = "memory"
    else:
        kind = "runtime"
    text = re.sub(r"Failed to execute 'appendChild' on 'Node': ", "", text)[:2000]
    where = _sketch_frame(details)
    if where is None:
        return RenderError(kind, text)
    line, column = editor_position(code, *where)
    return RenderError(kind, text, line, column)
