"""What one import did, for sketches and pool images alike: added, already there, skipped and why.

An import never stops at a bad file: it is skipped with a reason a person can act on, and the rest
go on. The CLI prints the summary and one line per skipped file; the studio shows the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SkippedFile:
    """A file (or a row of a dataset) that was not imported, and why (a sentence a person can act on)."""

    path: Path
    reason: str

    @property
    def name(self) -> str:
        return str(self.path)


@dataclass
class ImportReport:
    """New ids, items already there (with their existing id), items skipped; `noun` names what was imported."""

    noun: str = "sketch"
    where: str = "the library"
    added: list[int] = field(default_factory=list)
    duplicates: list[tuple[Path, int | None]] = field(default_factory=list)  # (file, existing id)
    skipped: list[SkippedFile] = field(default_factory=list)
    cancelled: bool = False

    def skip(self, path: Path | str, reason: str) -> None:
        """Record a skipped file and its reason."""
        self.skipped.append(SkippedFile(Path(path), reason))

    @property
    def imported(self) -> list[int]:
        """The new ids (the pool's name for `added`)."""
        return self.added

    @property
    def corrupt(self) -> list[tuple[str, str]]:
        """(name, reason) of every skipped item."""
        return [(s.name, s.reason) for s in self.skipped]

    @property
    def files_seen(self) -> int:
        return len(self.added) + len(self.duplicates) + len(self.skipped)

    def summary(self) -> str:
        """One line: 'Imported 3 sketches; 1 already in the library; 2 skipped'."""
        plural = "es" if self.noun.endswith(("s", "sh", "ch", "x")) else "s"
        parts = [f"Imported {len(self.added)} {self.noun}{plural if len(self.added) != 1 else ''}"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in {self.where}")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.cancelled:
            parts.append("cancelled")
        return "; ".join(parts)
