"""What the library grid lists: each live sketch with its latest good render, its last error and its title.

The store reads it in one query (`Store.library_rows`); a sketch's title and prompt fall back to its
`// title:` and `// prompt:` header comments.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.library.importing import parse_header
from core.store import LibraryRow, Store


@dataclass(frozen=True)
class LibraryEntry(LibraryRow):
    """A sketch with what the grid shows: its latest good render, whether it last failed, its title."""

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
    entries = []
    for row in store.library_rows(source=source, text=text, limit=limit):
        if has_error is not None and (row.error is not None) != has_error:
            continue
        entry = LibraryEntry(row.sketch, row.png_path, row.error)
        if text and text.casefold() not in f"{entry.title}\n{entry.prompt}".casefold():
            continue  # matched only somewhere in the code: search is for titles and prompts
        entries.append(entry)
    return entries
