"""Take a sketch out of the library: .js, .png or a standalone .html page, every file written atomically.

A write goes through core.atomic (a temporary file beside the target, renamed when complete), so
a full disk or a denied permission leaves the old file (if any) untouched and says what happened.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from core import atomic
from core.render.standalone import standalone_html
from core.store import Sketch, Store

FORMATS = ("js", "png", "html")


class ExportError(Exception):
    """A file could not be written; `str()` is a sentence a person can act on."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"Cannot write {path}: {message}")
        self.path = path


class PngRenderer(Protocol):
    """Anything that renders code synchronously to a result with `.ok`, `.png` and `.error`."""

    def render(self, code: str, *, seed: int, size: int): ...


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically and durably (core.atomic); ExportError leaves `path` as it was."""
    try:
        return atomic.write_atomic(path, data, durable=True, make_parents=False)
    except atomic.AtomicWriteError as e:
        raise ExportError(e.path, e.reason) from e


def _code(sketch: Sketch | str) -> str:
    return sketch if isinstance(sketch, str) else sketch.code


def export_js(sketch: Sketch | str, path: Path) -> Path:
    """Write the sketch's code as a .js file."""
    return write_atomic(path, _code(sketch).encode("utf-8"))


def find_png(store: Store, code: str, *, seed: int | None = None, size: int | None = None,
             any_seed: bool = True) -> bytes | None:
    """A stored render of this code: the exact seed and size if cached, else (any_seed) the latest good one."""
    if seed is not None and size is not None:
        rec = store.find_render(code, seed, size, size)
        if rec is not None and rec.ok:
            return rec.png_path.read_bytes()
    if not any_seed:
        return None
    rec = store.latest_good_render(code)
    return rec.png_path.read_bytes() if rec is not None and rec.png_path is not None else None


def export_png(
    store: Store,
    renderer_or_png: PngRenderer | bytes | None,
    path: Path,
    *,
    code: str | None = None,
    seed: int = 0,
    size: int = 512,
) -> Path:
    """Write a PNG: the bytes given, else the cached render for this seed and size, else one rendered
    now by the (synchronous) renderer, else the latest render of `code` at any seed."""
    if isinstance(renderer_or_png, bytes | bytearray):
        return write_atomic(path, bytes(renderer_or_png))
    if code is None:
        raise ValueError("export_png needs `code` when it is not given the PNG bytes")
    png = find_png(store, code, seed=seed, size=size, any_seed=renderer_or_png is None)
    if png is None and renderer_or_png is not None:
        result = renderer_or_png.render(code, seed=seed, size=size)
        if not result.ok or not result.png:
            raise ExportError(Path(path), f"the sketch does not render ({result.error}).")
        png = result.png
    if png is None:
        raise ExportError(Path(path), "this sketch has never been rendered and no renderer was given.")
    return write_atomic(path, png)


def export_html(sketch: Sketch | str, path: Path, seed: int = 0, size: int = 512) -> Path:
    """Write a self-contained page (p5 and p5.brush inlined) that draws the sketch offline."""
    return write_atomic(path, standalone_html(_code(sketch), seed, size).encode("utf-8"))
