"""Where the Rate pane is in its list of images: a snapshot of ids plus a cursor (no Qt, no SQL).

The list is fixed when the filters change, so rating an image under "unrated only" moves on
without reshuffling; ← walks back over what was just rated; undo puts an image back at the cursor.
"""
from __future__ import annotations


class RatingQueue:
    def __init__(self, ids: list[int] | None = None):
        self.ids: list[int] = list(ids or [])
        self.pos = 0

    def reset(self, ids: list[int], keep: int | None = None) -> None:
        """New ids; stay on `keep` if it is still among them, else start at the top."""
        self.ids = list(ids)
        self.pos = self.ids.index(keep) if keep in self.ids else 0

    @property
    def current(self) -> int | None:
        return self.ids[self.pos] if 0 <= self.pos < len(self.ids) else None

    def advance(self) -> int | None:
        self.pos = min(self.pos + 1, len(self.ids))
        return self.current

    def back(self) -> int | None:
        if self.pos > 0:
            self.pos -= 1
        return self.current

    def bring_back(self, image_id: int) -> None:
        """Make `image_id` current: jump to it, or insert it at the cursor if the filter had dropped it."""
        if image_id in self.ids:
            self.pos = self.ids.index(image_id)
        else:
            self.pos = min(self.pos, len(self.ids))
            self.ids.insert(self.pos, image_id)

    def upcoming(self, n: int) -> list[int]:
        """The next n ids after the current one (what to decode ahead)."""
        return self.ids[self.pos + 1:self.pos + 1 + n]

    def __len__(self) -> int:
        return len(self.ids)
