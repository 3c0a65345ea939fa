"""What a render returns: a PNG or a typed error, with timings and the sketch's console."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.sketch.files import MAX_SOURCE_BYTES  # one limit for files, check() and the renderer

# Every way a render can fail; `blank` = it ran but left nothing visible (see core/render/renderer.py);
# `input` = the source itself was refused (over MAX_SOURCE_BYTES) before any browser saw it; `overloaded`
# = the render was stopped by its wall bound before the sketch had used its time (the machine's fault).
ERROR_KINDS = ("syntax", "runtime", "timeout", "memory", "forbidden", "blank", "browser", "overloaded", "input")
# Failures that say nothing about the sketch: a reward must treat a rollout with one as NOT MEASURED (None),
# never 0.
MACHINE_KINDS = frozenset({"browser", "overloaded"})
# The one place that says which failures are never cached: the machine's, the input's, and those whose
# outcome depends on the moment (a timeout, the memory cap).
UNCACHED_KINDS = frozenset({"timeout", "memory", "input"}) | MACHINE_KINDS
__all__ = ["ERROR_KINDS", "MACHINE_KINDS", "UNCACHED_KINDS", "MAX_SOURCE_BYTES", "RenderError", "RenderResult",
           "is_cacheable", "BrowserUnavailable"]


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
    # ms the timeout clock charged the sketch (measured outside the page: its wall time less the machine's
    # share, clock.py); None when no page ran it (cached, refused before a page, browser unavailable)
    charged_ms: float | None = None
    # CPU ms the page's main thread ran for this render (Blink's count, or schedstat's when larger): the
    # charge is never less. None when no page ran it.
    cpu_ms: float | None = None
    console: list[str] = field(default_factory=list)
    seed: int = 0
    width: int = 512
    height: int = 512
    cached: bool = False
    # Run-time counts recorded by the harness where the sketch cannot reach (None = not measured: no page
    # reached the capture and nothing was stored). `brush_calls`: drawing primitives whose call returned
    # normally and during which p5.brush itself marked the canvas, keyed by method ("line", "Polygon.fill");
    # `brush_state`: every other brush call that returned normally ("set", "fill", "hatch", ...).
    brush_calls: dict[str, int] | None = None
    brush_state: dict[str, int] | None = None
    # What isolated the browser: {"netns": bool, "netns_mode": "root"|"user"|None, "caps": "cgroup"|"prlimit"}.
    sandbox: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready summary (no PNG bytes)."""
        return {"ok": self.ok, "error": self.error.to_dict() if self.error else None, "ms": round(self.ms, 1),
                "sketch_ms": None if self.sketch_ms is None else round(self.sketch_ms, 1),
                "charged_ms": None if self.charged_ms is None else round(self.charged_ms, 1),
                "cpu_ms": None if self.cpu_ms is None else round(self.cpu_ms, 1), "seed": self.seed,
                "width": self.width, "height": self.height, "cached": self.cached,
                "brush_calls": self.brush_calls, "brush_state": self.brush_state, "sandbox": self.sandbox}


def is_cacheable(result: RenderResult) -> bool:
    """A render result the cache may keep: a success, or a failure of the code itself."""
    return result.ok or result.error is None or result.error.kind not in UNCACHED_KINDS


class BrowserUnavailable(RuntimeError):
    """Chromium cannot be found or started; the message says what to install."""
