"""The sketch library's doors to the file system: import .js files and folders, list what is there.

Import reads each file on its own: a bad file (unreadable, binary, huge, empty, no code in it) is
reported with a reason and skipped, and the rest go on. Sketches are deduplicated by code hash, so
importing the same folder twice adds nothing. Exports live in core/library_io.py.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.hashing import code_hash
from core.import_report import ImportReport, SkippedFile
from core.paths import STARTERS
from core.sketch import extract_code
from core.sketch.errors import UnreadableInput
from core.sketch.files import read_sketch_text
from core.store import Sketch, Store, sketch_from_row

CODE_SUFFIXES = (".js",)
RAW_SUFFIXES = (".txt", ".md")  # raw model output: the code is extracted first
SKIP_DIRS = {"node_modules", "__pycache__"}
_HEADER = re.compile(r"^\s*//\s*(title|prompt)\s*:\s*(.+?)\s*$", re.IGNORECASE)


class UnusableFile(ValueError):
    """A file cannot become a sketch; the message says why."""


def parse_header(code: str) -> dict[str, str]:
    """`// title: …` and `// prompt: …` from the leading comment lines of a sketch."""
    found: dict[str, str] = {}
    for line in code.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break  # the header ends at the first line of code
        m = _HEADER.match(stripped)
        if m and m.group(1).lower() not in found:
            found[m.group(1).lower()] = m.group(2)
    return found


def read_sketch_file(path: Path) -> str:
    """The sketch code in `path` (raw model output is extracted first), or UnusableFile with a reason."""
    try:
        text = read_sketch_text(path)
    except UnreadableInput as e:
        raise UnusableFile(str(e)) from e
    if not text.strip():
        raise UnusableFile("empty file")
    if path.suffix.lower() in RAW_SUFFIXES:
        code = extract_code(text).code
        if not code or not code.strip():
            raise UnusableFile("no sketch code found in this text")
        return code
    return text


def iter_sketch_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Each given file, and every .js file under each given folder (sorted, recursive).

    Raw model output (.txt/.md) is imported when named explicitly; a folder walk skips it, since a
    folder's README or notes would otherwise be reported as "no sketch code found".
    """
    suffixes = CODE_SUFFIXES
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                if name.lower().endswith(suffixes) and not name.startswith("."):
                    yield Path(root) / name


def _existing_id(store: Store, digest: str) -> tuple[int, bool] | None:
    """(id, deleted?) of a sketch with this code hash, preferring one that is not deleted."""
    rows = store.query(
        "SELECT id, deleted_at FROM sketches WHERE code_hash = ? ORDER BY deleted_at IS NOT NULL, id LIMIT 1",
        (digest,),
    )
    return (rows[0]["id"], rows[0]["deleted_at"] is not None) if rows else None


def import_js(
    paths: Iterable[Path],
    store: Store,
    *,
    source: str = "import",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import sketch files and folders into `store`; bad files are reported and skipped."""
    files = list(iter_sketch_files(paths))
    report = ImportReport(noun="sketch", where="the library")
    for i, path in enumerate(files):
        if cancelled and cancelled():
            report.cancelled = True
            break
        try:
            code = read_sketch_file(path)
        except UnusableFile as e:
            report.skipped.append(SkippedFile(path, str(e)))
        else:
            existing = _existing_id(store, code_hash(code))
            if existing is None:
                header = parse_header(code)
                report.added.append(store.add_sketch(
                    code, source=source, title=header.get("title") or path.stem, prompt=header.get("prompt"),
                    meta={"file": path.name},
                ))
            else:
                sketch_id, deleted = existing
                if deleted:  # importing a deleted sketch again brings it back rather than copying it
                    store.restore_sketch(sketch_id)
                report.duplicates.append((path, sketch_id))
        if progress:
            progress(i + 1, len(files))
    return report


def import_starters(store: Store, folder: Path = STARTERS) -> ImportReport:
    """Import the bundled starter sketches (source "starter"); safe to call again."""
    return import_js([folder], store, source="starter")


def is_empty(store: Store) -> bool:
    """True when the library has never held a sketch (deleted ones count: the user chose that)."""
    return not store.query("SELECT 1 FROM sketches LIMIT 1")


@dataclass(frozen=True)
class LibraryEntry:
    """A sketch with what the grid shows: its latest good render and whether it last failed."""

    sketch: Sketch
    png_path: Path | None
    error: str | None  # "kind: message" of the latest render when that render failed

    @property
    def title(self) -> str:
        """The stored title, else the code's `// title:` header, else "Sketch #id"."""
        return self.sketch.title or parse_header(self.sketch.code).get("title") or f"Sketch #{self.sketch.id}"

    @property
    def prompt(self) -> str:
        """The stored prompt, else the code's `// prompt:` header, else ""."""
        return self.sketch.prompt or parse_header(self.sketch.code).get("prompt") or ""


def list_entries(
    store: Store,
    *,
    source: str | None = None,
    text: str | None = None,
    has_error: bool | None = None,
    limit: int = 2000,
) -> list[LibraryEntry]:
    """Sketches newest first, filtered by source, title/prompt text and render error, in one query."""
    where, params = ["s.deleted_at IS NULL"], []
    if source:
        where.append("s.source = ?")
        params.append(source)
    if text:  # the code holds the `// title:` header used when no title is stored; refined below
        where.append("(s.prompt LIKE ? OR s.title LIKE ? OR s.code LIKE ?)")
        params += [f"%{text}%"] * 3
    sql = f"""
        SELECT s.*,
          (SELECT png_path FROM renders r WHERE r.code_hash = s.code_hash AND r.png_path IS NOT NULL
             ORDER BY r.id DESC LIMIT 1) AS _png,
          (SELECT CASE WHEN r.error_kind IS NULL THEN NULL
                       ELSE r.error_kind || ': ' || COALESCE(r.error_message, '') END
             FROM renders r WHERE r.code_hash = s.code_hash ORDER BY r.id DESC LIMIT 1) AS _error
        FROM sketches s WHERE {' AND '.join(where)} ORDER BY s.id DESC LIMIT ?"""
    entries = []
    for row in store.query(sql, (*params, limit)):
        png, error = row.pop("_png"), row.pop("_error")
        if has_error is not None and (error is not None) != has_error:
            continue
        entry = LibraryEntry(sketch_from_row(row), store.path.parent / png if png else None, error)
        if text and text.casefold() not in f"{entry.title}\n{entry.prompt}".casefold():
            continue  # matched only somewhere in the code: search is for titles and prompts
        entries.append(entry)
    return entries
