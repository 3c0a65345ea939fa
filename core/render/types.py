"""What a render returns: a PNG or a typed error, with timings and the sketch's console."""
from __future__ import annotations

from dataclasses import dataclass, field

# Every way a render can fail; `blank` = it ran but left nothing visible (see core/render/renderer.py).
ERROR_KINDS = ("syntax", "runtime", "timeout", "memory", "forbidden", "blank", "browser")


@dataclass
class RenderError:
    kind: str
    message: str
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "line": self.line, "column": self.column}


@dataclass
class RenderResult:
    ok: bool
    png: bytes | None
    error: RenderError | None
    ms: float                  # wall ms of the whole render() call
    sketch_ms: float | None    # in-page ms from starting p5 to the finish: setup, draw frames, p5.brush flushes
    console: list[str] = field(default_factory=list)
    seed: int = 0
    width: int = 512
    height: int = 512
    cached: bool = False


class BrowserUnavailable(RuntimeError):
    """Chromium cannot be found or started; the message says what to install."""
