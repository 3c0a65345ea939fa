"""Reading a sketch or a model's output from disk (or stdin) with clear reasons when it cannot be one."""
from __future__ import annotations

import sys
from pathlib import Path

from core.sketch.errors import UnreadableInput

MAX_BYTES = 1_000_000  # a sketch is a few KB; anything near this is not one


def read_sketch_text(name: str | Path) -> str:
    """Text of a file ("-" reads stdin); UnreadableInput if missing, a folder, binary, not UTF-8 or over 1 MB."""
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1) if str(name) == "-" else _read_file(Path(name))
    except OSError as e:
        raise UnreadableInput(f"cannot read {name}: {e.strerror or e}") from e
    if len(data) > MAX_BYTES:
        raise UnreadableInput(f"{name} is larger than 1 MB; a sketch should be a few KB")
    if b"\x00" in data:
        raise UnreadableInput(f"{name} looks binary (it contains NUL bytes), not a sketch")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableInput(f"{name} is not UTF-8 text (byte {e.start})") from e


def _read_file(path: Path) -> bytes:
    if path.is_dir():
        raise UnreadableInput(f"{path} is a folder, not a file")
    if path.exists() and path.stat().st_size > MAX_BYTES:
        raise UnreadableInput(f"{path} is larger than 1 MB ({path.stat().st_size:,} bytes); a sketch should be a few KB")
    with path.open("rb") as f:
        return f.read(MAX_BYTES + 1)  # never more, whatever stat said
