"""Live rendering for the editor: debounce keystrokes, cancel stale renders, deliver only the latest."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from studio.ops import render as render_ops


@dataclass(frozen=True)
class RenderRequest:
    """What to render: code, seed and canvas size (square, px)."""

    code: str
    seed: int
    size: int


@dataclass(frozen=True)
class RenderOutcome:
    """A finished render for a request; `draft` is the quick low-density preview."""

    request: RenderRequest
    result: Any  # core.render.RenderResult
    draft: bool
    generation: int
    requested_at: float  # perf_counter when the debounce fired


class LiveRender(QObject):
    """Renders `request()` ~debounce_ms after the last `schedule()`; a newer render cancels an older one."""

    started = Signal(int)         # generation
    finished = Signal(object)     # RenderOutcome
    failed = Signal(str)          # the renderer itself failed (not the sketch)

    def __init__(self, renderer: Any, request: Callable[[], RenderRequest], debounce_ms: int = 250,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.renderer = renderer
        self.request = request
        self.timeout_s = 10.0
        self.draft_first = False  # also render at pixel density 0.5, shown until the full image lands
        self.generation = 0
        self.cancelled = 0  # how many stale renders were cancelled (shown in tests and benches)
        self._task: asyncio.Task | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % (12 ms) late
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.render_now)

    @property
    def debounce_ms(self) -> int:
        return self._timer.interval()

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def schedule(self) -> None:
        """Restart the debounce: render once typing pauses."""
        self._timer.start()

    def render_now(self) -> None:
        """Render immediately, cancelling whatever is in flight."""
        self._timer.stop()
        if self.renderer is None:
            return
        self.generation += 1
        if self.busy:
            self._task.cancel()
            self.cancelled += 1
        self._task = asyncio.ensure_future(self._run(self.generation, self.request(), time.perf_counter()))
        self.started.emit(self.generation)

    def stop(self) -> None:
        """Cancel the pending debounce and any render in flight."""
        self._timer.stop()
        if self.busy:
            self._task.cancel()

    async def _render(self, req: RenderRequest, density: float) -> Any:
        return await render_ops.render_sketch(
            self.renderer, req.code, seed=req.seed, size=req.size, timeout=self.timeout_s, pixel_density=density
        )

    async def _run(self, gen: int, req: RenderRequest, t0: float) -> None:
        tasks: list[asyncio.Task] = []
        try:
            full = asyncio.ensure_future(self._render(req, 1.0))
            tasks.append(full)
            if self.draft_first:
                # Both start at once (the pool has two pages): the half-density draft usually lands
                # first and is shown until the full image replaces it.
                draft = asyncio.ensure_future(self._render(req, 0.5))
                tasks.append(draft)
                done, _ = await asyncio.wait({full, draft}, return_when=asyncio.FIRST_COMPLETED)
                if full not in done and gen == self.generation:
                    self.finished.emit(RenderOutcome(req, draft.result(), True, gen, t0))
                    if not draft.result().ok:
                        return  # the error shows at once; the full render would only repeat it
            result = await full
        except asyncio.CancelledError:
            raise
        except Exception as e:  # the renderer broke (browser gone): say so, keep the editor alive
            if gen == self.generation:
                self.failed.emit(f"The renderer failed: {type(e).__name__}: {e}")
            return
        finally:
            for task in tasks:
                if not task.done():
                    task.cancel()
        if gen == self.generation:  # a newer request may have started after our await returned
            self.finished.emit(RenderOutcome(req, result, False, gen, t0))
