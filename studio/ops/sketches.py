"""Sketch operations for the GUI: versions and lineage, drafts, files, starters, diffs."""
from __future__ import annotations

import difflib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.library.importing import RAW_SUFFIXES, UnusableFile, parse_header, read_sketch_file
from core.paths import STARTERS
from core.sketch.check import check
from core.sketch.extract import extract_code
from core.store import Draft, Sketch, Store
from studio.bus import ChangeBus
from studio.ops import run_in_thread, run_in_writer


class UnreadableFile(Exception):
    """A file the editor cannot open; the message says why in words a user understands."""


@dataclass(frozen=True)
class Starter:
    """A bundled starter sketch with its header comments (`// title:`, `// prompt:`)."""

    path: Path
    title: str
    prompt: str | None
    code: str


@dataclass(frozen=True)
class OpenedCode:
    """Code taken out of a file (model output with fences and prose is reduced to its code)."""

    code: str
    truncated: bool
    extracted: bool  # True when the file held more than code (fences, prose)


# -- versions ---------------------------------------------------------------------------------------
async def load_sketch(store: Store, sketch_id: int) -> Sketch | None:
    """The sketch with this id, or None."""
    return await run_in_thread(store.get_sketch, sketch_id)


async def save_version(
    store: Store, bus: ChangeBus | None, code: str, *, parent_id: int | None, source: str = "human",
    title: str | None = None, prompt: str | None = None,
) -> int:
    """Save code as a new sketch version linked to its parent; returns the new id."""
    new_id = await run_in_writer(
        store, store.add_sketch, code, source=source, parent_id=parent_id, title=title, prompt=prompt
    )
    if bus is not None:
        bus.emit_change("sketches", (new_id,))
    return new_id


async def lineage(store: Store, sketch_id: int) -> list[Sketch]:
    """Oldest first: root → … → sketch_id."""
    return await run_in_thread(store.lineage, sketch_id)


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A unified diff of two code versions (empty string when they are equal)."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name, n=3
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


# -- drafts -----------------------------------------------------------------------------------------
def draft_key(sketch_id: int | None) -> str:
    """Drafts are keyed by the sketch they edit, or "new" for code not yet saved."""
    return "new" if sketch_id is None else str(sketch_id)


def keep_draft_at_exit(store: Store, key: str, text: str) -> None:
    """Queue the draft on the store's serial writer and return at once: the window is closing, and
    Store.close (the app's last step) commits it after every write queued before it."""
    store.submit(store.save_draft, key, text)


async def save_draft(store: Store, key: str, text: str) -> None:
    """Keep unsaved text as a draft, on the serial writer (in order with the clear that may follow)."""
    await run_in_writer(store, store.save_draft, key, text)


async def load_draft(store: Store, key: str) -> Draft | None:
    """The draft for this key with its time, or None."""
    return await run_in_thread(store.load_draft, key)


async def clear_draft(store: Store, key: str) -> None:
    """Drop the draft, on the serial writer (after a draft write queued before it)."""
    await run_in_writer(store, store.clear_draft, key)


# -- static check -----------------------------------------------------------------------------------
def _check(code: str) -> Any:
    return check(code)


async def check_code(code: str) -> Any:
    """Run core.sketch.check off the GUI thread (its syntax check talks to a node process)."""
    return await run_in_thread(_check, code)


def describe_time(epoch: float) -> str:
    """'14:05' today, else '2026-11-24 14:05'."""
    t = time.localtime(epoch)
    fmt = "%H:%M:%S" if time.strftime("%Y%m%d", t) == time.strftime("%Y%m%d") else "%Y-%m-%d %H:%M"
    return time.strftime(fmt, t)


# -- files and starters -----------------------------------------------------------------------------
def read_code_file(path: Path) -> OpenedCode:
    """Read a .js/.txt/.md file (model output is reduced to its code); raises UnreadableFile saying why."""
    path = Path(path)
    try:
        code = read_sketch_file(path)  # size, binary, encoding and "no code" checks live in core
    except UnusableFile as e:
        raise UnreadableFile(f"Cannot open {path.name}: {e}. Nothing was opened.") from e
    if path.suffix.lower() not in RAW_SUFFIXES:
        return OpenedCode(code, truncated=False, extracted=False)
    # Checked above: a small UTF-8 text file. Read again for what extraction noticed (truncation).
    found = extract_code(path.read_text(encoding="utf-8-sig"))
    return OpenedCode(code, truncated=bool(found.truncated), extracted=True)


async def read_file(path: Path) -> OpenedCode:
    """read_code_file off the GUI thread (nothing is stored)."""
    return await run_in_thread(read_code_file, path)


def list_starters(folder: Path = STARTERS) -> list[Starter]:
    """Bundled starters, sorted by file name, with title and prompt from their header comments."""
    out = []
    for path in sorted(Path(folder).glob("*.js")):
        try:
            code = path.read_text(encoding="utf-8")
        except OSError:
            continue
        head = parse_header(code)
        out.append(Starter(path, head.get("title") or path.stem, head.get("prompt"), code))
    return out


async def load_starters(folder: Path = STARTERS) -> list[Starter]:
    """list_starters, read in a thread (the Open starter menu)."""
    return await run_in_thread(list_starters, folder)


def _starter_sketch(store: Store, starter: Starter) -> int:
    known = store.find_sketch(starter.code, source="starter", include_deleted=False)
    if known is not None:
        return known.id
    return store.add_sketch(starter.code, source="starter", title=starter.title, prompt=starter.prompt)


async def open_starter(store: Store, bus: ChangeBus | None, starter: Starter) -> int:
    """The sketch for this starter (added once, with source "starter")."""
    before = await run_in_thread(store.newest_sketch_id)
    sketch_id = await run_in_thread(_starter_sketch, store, starter)
    if bus is not None and sketch_id > before:
        bus.emit_change("sketches", (sketch_id,))
    return sketch_id
