"""The rating pool: images, their love / okay / nope tiers, the history of every re-rate, and undo.

Every rating is one append-only `rating_events` row, committed on its own, and the current tier
follows from it inside that same statement (core/store/pool.py holds the SQL). So a `kill -9` at any
moment loses nothing already rated, and the history can never disagree with it.

Sources (`core.store.sources.POOL_SOURCES`) keep hand-rated material apart from generated
supplements, library renders and training rollouts.

`rate` and `undo_last` commit before they return. A GUI queues them on the store's serial writer
(`Store.submit(pool.rate, ...)`, which returns a Future at once), so a key press never waits for
another process's write transaction and ratings commit in key order.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from core.hashing import bytes_hash
from core.pool.colour import ALL_GROUPS, GROUPS, analyse, fit_within
from core.pool.sampling import sample_refs as _sample_refs
from core.store import Store, StoreError
from core.store import pool as tables
from core.store.sources import POOL_SOURCES

TIERS: tuple[str, ...] = ("love", "okay", "nope")
SOURCES: tuple[str, ...] = POOL_SOURCES  # the vocabulary lives in core.store.sources
THUMB_SIZE = 192


class PoolError(Exception):
    """A pool operation cannot be done (unknown tier, unknown image, …)."""


class CorruptImageError(PoolError):
    """The bytes are not an image Pillow can decode; `name` says which file."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name} is not a readable image ({reason}). Skip it or save it again as PNG or JPEG.")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class PoolImage:
    id: int
    hash: str
    path: Path
    thumb_path: Path | None
    width: int
    height: int
    prompt: str | None
    source: str
    code: str | None
    sketch_id: int | None
    colour_group: str
    colours: tuple[tuple[str, float], ...]
    created_at: float
    tier: str | None = None
    name: str | None = None  # the file it was imported from, when there was one


@dataclass(frozen=True)
class RatingEvent:
    id: int
    image_id: int
    action: str           # "rate" or "undo"
    tier: str | None      # the tier after this event (None = unrated)
    previous_tier: str | None
    undone: bool
    at: float


@dataclass(frozen=True)
class AddResult:
    image: PoolImage
    duplicate: bool


@dataclass(frozen=True)
class ThinColour:
    group: str
    love: int
    min_love: int

    def __str__(self) -> str:
        return f"{self.group}: {self.love} love reference{'s' if self.love != 1 else ''}, below {self.min_love}"


class RatingPool:
    """Ratings and reference images on top of a Store (same database file, files under pool/)."""

    def __init__(self, store: Store):
        self.store = store

    # -- images -------------------------------------------------------------------------------
    def add_image(
        self,
        data: bytes,
        *,
        prompt: str | None = None,
        source: str = "hand",
        code: str | None = None,
        sketch_id: int | None = None,
        name: str = "image",
        colour_group: str | None = None,
    ) -> AddResult:
        """Add an image (PNG/JPEG bytes) once per content hash; decodes it, so a corrupt file raises.

        `colour_group` overrides the computed group (an exported pool keeps its groups on re-import).
        """
        if source not in SOURCES:
            raise PoolError(f"An image's source must be one of {', '.join(SOURCES)}, not {source!r}.")
        digest = bytes_hash(data)
        existing = self.image_by_hash(digest)
        if existing is not None:
            return AddResult(existing, duplicate=True)
        try:
            img = Image.open(io.BytesIO(data))
            img.load()
        except UnidentifiedImageError as e:  # its text names the BytesIO object, which says nothing
            raise CorruptImageError(name, "not a PNG or JPEG file Pillow can decode") from e
        except (OSError, SyntaxError, ValueError) as e:
            raise CorruptImageError(name, f"the image is damaged or cut short ({str(e) or type(e).__name__})") from e
        fmt = (img.format or "png").lower().replace("jpeg", "jpg")
        rgb = img.convert("RGB")  # once, for both the analysis and the thumbnail
        info = analyse(rgb, prompt)
        try:
            tables.add_pool_image(self.store, digest, fmt, data, _thumbnail(rgb), width=img.width, height=img.height,
                                  prompt=prompt, source=source, code=code, sketch_id=sketch_id,
                                  colour_group=colour_group or info.group, colours=info.colours,
                                  name=None if name == "image" else name)
        except StoreError as e:  # a file could not be written: nothing was added
            raise PoolError(str(e)) from e
        image = self.image_by_hash(digest)
        assert image is not None
        return AddResult(image, duplicate=False)

    def _image(self, row: dict) -> PoolImage:
        return PoolImage(
            id=row["id"], hash=row["hash"], path=row["path"], thumb_path=row["thumb_path"],
            width=row["width"], height=row["height"], prompt=row["prompt"], source=row["source"],
            code=row["code"], sketch_id=row["sketch_id"], colour_group=row["colour_group"],
            colours=tuple(tuple(c) for c in json.loads(row["colours"] or "[]")),
            created_at=row["created_at"], tier=row.get("tier"), name=row.get("name"),
        )

    def image(self, image_id: int) -> PoolImage:
        rows = tables.pool_image_rows(self.store, ids=[image_id])
        if not rows:
            raise PoolError(f"There is no pool image {image_id}; it may have been removed. Reload the pool.")
        return self._image(rows[0])

    def images_by_id(self, image_ids: list[int]) -> list[PoolImage]:
        """The images with these ids, in id order (missing ids are left out)."""
        return [self._image(r) for r in tables.pool_image_rows(self.store, ids=image_ids)]

    def image_by_hash(self, digest: str) -> PoolImage | None:
        rows = tables.pool_image_rows(self.store, digest=digest)
        return self._image(rows[0]) if rows else None

    def images(
        self,
        *,
        tier: str | None = None,
        unrated: bool = False,
        colour_group: str | None = None,
        source: str | None = None,
        text: str | None = None,
        order: str = "id",
    ) -> list[PoolImage]:
        """Images matching every given filter; `order` is "id" or "prompt"."""
        return [self._image(r) for r in tables.pool_image_rows(
            self.store, tier=tier, unrated=unrated, colour_group=colour_group, source=source, text=text, order=order)]

    def image_ids(self, **filters) -> list[int]:
        return [im.id for im in self.images(**filters)]

    # -- ratings ------------------------------------------------------------------------------
    def rate(self, image_id: int, tier: str) -> RatingEvent:
        """Rate (or re-rate) an image; committed before this returns."""
        _check_tier(tier)
        event_id = tables.add_rating(self.store, image_id, tier)
        if event_id is None:
            raise PoolError(f"There is no pool image {image_id}; it may have been removed. Reload the pool.")
        return self._event(event_id)

    def undo_last(self, n: int = 1) -> list[RatingEvent]:
        """Undo the last n ratings, newest first: each image gets its previous tier (or unrated) back.

        Returns the undo events (their `image_id` and restored `tier`); fewer than n if history runs out.
        """
        done = []
        for _ in range(n):
            event_id = tables.undo_last_rating(self.store)
            if event_id is None:
                break
            done.append(self._event(event_id))
        return done

    def tier(self, image_id: int) -> str | None:
        return tables.current_tier(self.store, image_id)

    def history(self, image_id: int | None = None) -> list[RatingEvent]:
        """Rating events, oldest first (all images, or one)."""
        return [_event(r) for r in tables.rating_event_rows(self.store, image_id)]

    def _event(self, event_id: int) -> RatingEvent:
        return _event(tables.rating_event_rows(self.store, event_id=event_id)[0])

    # -- counts -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """{"images", "rated", "love", "okay", "nope"}."""
        out = {"images": tables.image_count(self.store), **dict.fromkeys(TIERS, 0)}
        out.update(tables.tier_counts(self.store))
        out["rated"] = sum(out[t] for t in TIERS)
        return out

    def group_counts(self) -> dict[str, dict[str, int]]:
        """Per colour group: {"images", "unrated", "love", "okay", "nope"}; every group present."""
        out = {g: {"images": 0, "unrated": 0, **dict.fromkeys(TIERS, 0)} for g in ALL_GROUPS}
        for g, t, n in tables.group_tier_counts(self.store):
            group = out.setdefault(g, {"images": 0, "unrated": 0, **dict.fromkeys(TIERS, 0)})
            group[t] += n
            group["images"] += n
        return out

    def source_counts(self) -> dict[str, int]:
        return tables.source_counts(self.store)

    def thin_colours(self, min_love: int = 10) -> list[ThinColour]:
        """Chromatic groups with fewer than `min_love` love references (these want supplements)."""
        counts = self.group_counts()
        return [ThinColour(g, counts[g]["love"], min_love) for g in GROUPS if counts[g]["love"] < min_love]

    def stats(self, min_love: int = 10) -> dict:
        """Everything `brushwork pool stats` prints, as plain data."""
        return {
            "counts": self.counts(),
            "sources": self.source_counts(),
            "colour_groups": self.group_counts(),
            "thin_colours": [{"group": t.group, "love": t.love, "min_love": t.min_love, "text": str(t)}
                             for t in self.thin_colours(min_love)],
        }

    # -- references ---------------------------------------------------------------------------
    # sample_refs(prompt, k=2, tiers=("love",), match_colour=True, rng=None): see core/pool/sampling.py
    sample_refs = _sample_refs


def _check_tier(tier: str) -> None:
    if tier not in TIERS:
        raise PoolError(f"A tier must be one of {', '.join(TIERS)}, not {tier!r}.")


def _event(row: dict) -> RatingEvent:
    return RatingEvent(id=row["id"], image_id=row["image_id"], action=row["action"], tier=row["tier"],
                       previous_tier=row["previous_tier"], undone=bool(row["undone"]), at=row["at"])


def _thumbnail(img: Image.Image) -> bytes:
    thumb = fit_within(img, THUMB_SIZE, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    thumb.save(buf, format="PNG", optimize=False, compress_level=3)
    return buf.getvalue()
