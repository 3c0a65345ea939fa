"""What a render truthfully produced, read from outside the sketch's reach.

- Picture: the harness makes the canvases p5 may use as its main canvas before the sketch exists; an
  isolated world (CDP `Page.createIsolatedWorld`: same DOM, its own pristine JavaScript) adopts them,
  and when the harness answers it copies the main one, synchronously, into a canvas only it holds
  (resources/harness/world.js). A canvas the harness did not make, one moved into a shadow root, or a
  replaced one is refused as `forbidden`; a drawing buffer shrunk below what p5 was asked for is `blank`.
  The PNG's signature, dimensions and size are then checked here, and blank detection runs here.
- Brush calls: counted by the harness on a node only its closure and the isolated world hold, a drawing
  call only when p5.brush itself marked the canvas during it (resources/harness/harness.js).
- Errors: from CDP `Runtime.exceptionThrown` (the harness re-throws what it catches), with the line taken
  from the stack V8 recorded, in the user's own numbering (V8 also ends lines at U+2028 / U+2029). A
  sketch's own exception is `runtime` whatever its text (`memory` is the browser's word: renderer.py).
"""
from __future__ import annotations

import base64
import io
import json
import re
import struct
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from core.paths import RESOURCES
from core.render.types import RenderError

WORLD = "brushwork"
SKETCH_URL = "sketch.js"
# The first line of the sketch's script, above the user's code (harness.js HEADER, the standalone export):
# V8 reads a sourceURL only once its parser reaches it, so it must come before anything that can fail.
SKETCH_HEADER = f"//# sourceURL={SKETCH_URL}\n"
HEADER_LINES = SKETCH_HEADER.count("\n")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLD_START = "brushwork: this sketch needs a cold start"
WORLD_JS = (RESOURCES / "harness" / "world.js").read_text(encoding="utf-8")
MAX_REFUSALS = 20

# What the snapshot found, when it is not a picture (world.js `take`): (kind, message).
VERDICTS = {
    "none": ("blank", "the sketch removed its canvas"),
    "foreign": ("forbidden", "to show a canvas the renderer did not make for p5 (its picture is refused)"),
    "exhausted": ("forbidden", "to make more main canvases than the renderer allows"),
    "replaced": ("forbidden", "to replace its canvas with another one"),
    "shadow": ("forbidden", "to move its canvas out of the page (into a shadow root)"),
    "shrunk": ("blank", "the canvas's drawing buffer is {detail}: smaller than the canvas, nothing to show"),
    "failed": ("runtime", "the picture could not be copied ({detail})"),
    "unanswered": ("runtime", "the sketch broke the render harness (it never answered), so no picture was taken"),
}


@dataclass
class Capture:
    """What the isolated world holds after a render."""

    png: bytes | None
    brush_calls: dict[str, int] = field(default_factory=dict)
    brush_state: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    verdict: str = "unanswered"
    detail: str | None = None

    def problem(self) -> RenderError | None:
        """Why there is no picture (None when there is one)."""
        if self.verdict == "ok":
            return None
        kind, text = VERDICTS.get(self.verdict, VERDICTS["failed"])
        return RenderError(kind, text.format(detail=self.detail or self.verdict))


async def open_world(cdp) -> int:
    """Create the isolated world on the page's main frame and run world.js there; its context id."""
    tree = await cdp.send("Page.getFrameTree")
    frame_id = tree["frameTree"]["frame"]["id"]
    world = await cdp.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD})
    context = world["executionContextId"]
    await cdp.send("Runtime.evaluate", {"expression": WORLD_JS, "contextId": context, "returnByValue": True})
    return context


async def adopt_canvases(cdp, context: int) -> int:
    """After the harness sealed: the isolated world takes the canvases it made for p5 (how many)."""
    reply = await cdp.send("Runtime.evaluate", {"expression": "globalThis.__bw.adopt()", "contextId": context,
                                                 "returnByValue": True})
    return int((reply.get("result") or {}).get("value") or 0)


def _counts(raw) -> dict[str, int]:
    return {str(k)[:80]: int(v) for k, v in (raw or {}).items() if isinstance(v, int | float)}


async def capture(cdp, context: int, settle: bool = True) -> Capture:
    """The snapshot's PNG (resampled to the render's size when it was taken), counts and refusals.
    `settle`: let the page's pending timers (re-thrown errors) run first; False once scripts are off."""
    reply = await cdp.send("Runtime.evaluate", {"expression": f"globalThis.__bw.capture({'true' if settle else 'false'})",
                                                 "contextId": context, "returnByValue": True, "awaitPromise": True})
    value = (reply.get("result") or {}).get("value") or {}
    refused = [str(v)[:200] for v in (value.get("refused") or [])[:MAX_REFUSALS]]
    url = value.get("png")
    png = None
    if isinstance(url, str) and url.startswith("data:image/png;base64,"):
        png = base64.b64decode(url.split(",", 1)[1])
    verdict = str(value.get("verdict") or "unanswered")
    return Capture(png=png, brush_calls=_counts(value.get("draw")), brush_state=_counts(value.get("state")),
                   refused=refused, verdict=verdict if png is not None or verdict != "ok" else "failed",
                   detail=None if value.get("detail") is None else str(value["detail"])[:200])


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
    """V8's 0-based (line, column) in the user's code (the harness's header line taken off)."""
    for frame in (details.get("stackTrace") or {}).get("callFrames", []):
        if frame.get("url", "").endswith(SKETCH_URL):
            return frame["lineNumber"] - HEADER_LINES, frame["columnNumber"]
    if str(details.get("url", "")).endswith(SKETCH_URL):
        return details.get("lineNumber", 0) - HEADER_LINES, details.get("columnNumber", 0)
    return None


def _parsing_sketch(details: dict, frames: list[dict]) -> bool:
    """The exception is located in the sketch's script while no frame of it runs: the script failed to parse
    (the harness's appendChild is the only caller; SKETCH_HEADER names the script even then). Decided by
    V8's report alone, so the kind does not hang on the harness's answer arriving in time (on a loaded
    machine it may not)."""
    return str(details.get("url", "")).endswith(SKETCH_URL) and not any(
        str(f.get("url", "")).endswith(SKETCH_URL) for f in frames)


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
    elif cls == "SyntaxError" and _parsing_sketch(details, frames):
        kind = "syntax"
    else:
        kind = "runtime"
    text = re.sub(r"Failed to execute 'appendChild' on 'Node': ", "", text)[:2000]
    where = _sketch_frame(details)
    if where is None:
        return RenderError(kind, text)
    line, column = editor_position(code, *where)
    return RenderError(kind, text, line, column)
