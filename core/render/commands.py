"""`brushwork render FILE|FOLDER`: render sketches to PNG from the command line.

Output: `-o out.png` for a file (default: FILE.png next to it, or the data home's `rendered/` folder when
that folder is not writable); for a folder, `-o DIR` (default: FOLDER/renders/) gets one PNG per `.js`.
Exit 0 when every render succeeded, 1 otherwise; 2 for a bad path.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from core.render.renderer import Renderer, normalize_size
from core.render.types import BrowserUnavailable, RenderError, RenderResult
from core.sketch.errors import UnreadableInput
from core.sketch.files import read_sketch_text
from core.store import Store, StoreError
from core.store.home import rendered_dir


def parse_size(text: str) -> tuple[int, int]:
    """'512' or '640x480' → (w, h)."""
    try:
        parts = [int(p) for p in text.lower().split("x")]
        return normalize_size(parts[0] if len(parts) == 1 else (parts[0], parts[1]))
    except (ValueError, IndexError) as e:
        raise argparse.ArgumentTypeError(f"size must be N or WxH with sides 1…4096, not {text!r}") from e


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render a p5.brush sketch (or every .js in a folder) to PNG")
    p.add_argument("path", type=Path, help="a sketch .js file or a folder of them")
    p.add_argument("-o", "--output", type=Path, help="PNG file (or folder, for a folder of sketches)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=parse_size, default=(512, 512), help="512 or 640x480")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per sketch")
    p.add_argument("--json", action="store_true", help="print JSON (one object per sketch)")
    p.add_argument("--cache", action="store_true", help="use (and fill) the library's render cache")
    p.set_defaults(func=run)


def default_png(path: Path) -> Path:
    """FILE.png next to the sketch, or in the data home when that folder is read-only."""
    if os.access(path.resolve().parent, os.W_OK):
        return path.with_suffix(".png")
    return rendered_dir() / path.with_suffix(".png").name


def run(args: argparse.Namespace) -> int:
    try:
        if args.path.is_dir():
            return asyncio.run(_render_folder(args))
        return asyncio.run(_render_file(args))
    except BrowserUnavailable as e:  # no Chromium: one sentence with the fix, not a traceback
        print(f"brushwork render: {e}.", file=sys.stderr)
        return 2
    except StoreError as e:  # --cache on a database we cannot use
        print(f"brushwork render: {e}", file=sys.stderr)
        return 1


def _store(args: argparse.Namespace):
    if not args.cache:
        return None
    return Store()


def _report(args: argparse.Namespace, name: str, result: RenderResult | None, png: Path | None,
            error: RenderError | None = None) -> None:
    error = error or (result.error if result else None)
    if args.json:
        if error is None:
            out = {"file": name, **result.to_dict(), "png": str(png)}
        else:
            out = {"ok": False, "file": name, "error": error.to_dict(),
                   "brush_calls": result.brush_calls if result else None,
                   "brush_state": result.brush_state if result else None,
                   "sandbox": result.sandbox if result else {}}
        print(json.dumps(out), flush=True)
    elif error is None:
        print(f"ok    {name} → {png}  ({result.ms:.0f} ms{', cached' if result.cached else ''})", flush=True)
    else:
        where = f" at line {error.line}" + (f":{error.column}" if error.column else "") if error.line else ""
        print(f"FAIL  {name}: {error.kind}{where}: {error.message}", flush=True)


async def _render_one(r: Renderer, args: argparse.Namespace, sketch: Path, png: Path) -> tuple[RenderResult | None, RenderError | None]:
    try:
        code = read_sketch_text(sketch)
    except UnreadableInput as e:
        return None, RenderError("input", f"{sketch}: {e}")
    result = await r.render(code, seed=args.seed, size=args.size, timeout=args.timeout)
    if result.ok:
        try:
            png.parent.mkdir(parents=True, exist_ok=True)
            png.write_bytes(result.png)
        except OSError as e:
            return result, RenderError("output", f"cannot write {png}: {e.strerror}")
    return result, None


async def _render_file(args: argparse.Namespace) -> int:
    if not args.path.exists():
        _report(args, str(args.path), None, None, RenderError("input", f"{args.path}: no such file or folder"))
        return 2
    png = args.output or default_png(args.path)
    async with Renderer(pool_size=1, store=_store(args)) as r:
        result, error = await _render_one(r, args, args.path, png)
    _report(args, str(args.path), result, png, error)
    return 0 if error is None and result and result.ok else 1


async def _render_folder(args: argparse.Namespace) -> int:
    sketches = sorted(p for p in args.path.glob("*.js") if p.is_file())
    out_dir = args.output or args.path / "renders"
    if not sketches:
        print(f"brushwork render: no .js files in {args.path}", file=sys.stderr)
        return 1
    failures = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    async with Renderer(pool_size=2, store=_store(args)) as r:
        with Progress(*columns, transient=True, console=_stderr_console()) as bar:
            task = bar.add_task("rendering", total=len(sketches))

            async def one(sketch: Path) -> None:
                nonlocal failures
                png = out_dir / sketch.with_suffix(".png").name
                result, error = await _render_one(r, args, sketch, png)
                failures += int(error is not None or not (result and result.ok))
                bar.console.file.flush()
                _report(args, sketch.name, result, png, error)
                bar.advance(task)

            await asyncio.gather(*(one(s) for s in sketches))
    if not args.json:
        print(f"{len(sketches) - failures}/{len(sketches)} rendered into {out_dir}")
    return 0 if failures == 0 else 1


def _stderr_console():
    return Console(file=sys.stderr)
