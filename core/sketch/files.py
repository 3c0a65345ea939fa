"""Reading a sketch or a model's output from disk (or stdin), with a plain reason when it cannot be one.

The one reader behind `brushwork check`, `brushwork render`, library imports and the editor's Open.
`UnreadableInput`'s message is the reason alone ("binary data, not text"); callers add the file name.
MAX_SOURCE_BYTES is the one size limit for a sketch: files, `check()` and the renderer all use it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from core.sketch.errors import UnreadableInput

MAX_SOURCE_BYTES = 1_000_000  # a sketch is a few KB; anything near this is not one
MAX_BYTES = MAX_SOURCE_BYTES  # the older name, kept for callers that import it


def source_too_large(code: str) -> str | None:
    """Why `code` is over MAX_SOURCE_BYTES (UTF-8), or None when it is within it."""
    if len(code) * 4 <= MAX_SOURCE_BYTES:  # cannot be over: skip the encode for every keystroke
        return None
    size = len(code.encode("utf-8", "surrogatepass"))
    if size <= MAX_SOURCE_BYTES:
        return None
    return f"the sketch is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit (a sketch is a few KB)"


def read_sketch_text(name: str | Path) -> str:
    """Text of a file ("-" reads stdin); UnreadableInput if missing, not a file, binary, not UTF-8 or > 1 MB."""
    try:
        data = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1) if str(name) == "-" else _read_file(Path(name))
    except OSError as e:
        raise UnreadableInput(f"cannot be read: {e.strerror or e}") from e
    if len(data) > MAX_SOURCE_BYTES:
        raise UnreadableInput(f"too large (over {MAX_SOURCE_BYTES // 1_000_000} MB; a sketch is a few KB)")
    if b"\x00" in data:
        raise UnreadableInput("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableInput(f"not UTF-8 text (bad byte at offset {e.start})") from e


def _read_file(path: Path) -> bytes:
    if not path.exists():
        raise UnreadableInput("does not exist (or is a broken link)")
    if path.is_dir():
        raise UnreadableInput("is a folder, not a file")
    if not path.is_file():
        raise UnreadableInput("not a regular file")  # a FIFO or device would block a read forever
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise UnreadableInput(f"too large ({size / 1e6:.1f} MB; a sketch is at most {MAX_SOURCE_BYTES // 1_000_000} MB)")
    with path.open("rb") as f:
        return f.read(MAX_SOURCE_BYTES + 1)  # never more, whatever stat said
