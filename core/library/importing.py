"""Bring sketches into the library: .js files and folders, raw model output, the bundled starters.

Import reads each file on its own: a bad file (unreadable, binary, huge, empty, no code in it) is
reported with a reason and skipped, and the rest go on. Sketches are deduplicated by code hash, so
importing the same folder twice adds nothing. The other way out: core/library/exporting.py.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from core.import_report import ImportReport, SkippedFile
from core.paths import STARTERS
from core.sketch import extract_code
from core.sketch.errors import UnreadableInput
from core.sketch.files import read_sketch_text
from core.store import Store

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
            existing = store.find_sketch(code)
            if existing is None:
                header = parse_header(code)
                report.added.append(store.add_sketch(
                    code, source=source, title=header.get("title") or path.stem, prompt=header.get("prompt"),
                    meta={"file": path.name},
                ))
            else:
                if existing.deleted_at is not None:  # importing a deleted sketch again brings it back
                    store.restore_sketch(existing.id)
                report.duplicates.append((path, existing.id))
        if progress:
            progress(i + 1, len(files))
    return report


def import_starters(store: Store, folder: Path = STARTERS) -> ImportReport:
    """Import the bundled starter sketches (source "starter"); safe to call again."""
    return import_js([folder], store, source="starter")
