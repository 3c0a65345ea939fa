"""Sandboxed p5.brush renderer: warm Chromium page pool, harness, watchdog and render cache.

See core/render/renderer.py for the design (pool, isolation, determinism, watchdog).
"""
from core.render.renderer import Renderer
from core.render.sync import SyncRenderer
from core.render.types import BrowserUnavailable, RenderError, RenderResult

__all__ = ["Renderer", "SyncRenderer", "RenderResult", "RenderError", "BrowserUnavailable"]
