"""The rating pool: images, their love / okay / nope tiers, the history of every re-rate, and undo.

Every rating is one INSERT into the append-only `rating_events` table, committed on its own; a
trigger (migration v2) updates the current tier in `ratings` inside that same statement. So a
`kill -9` at any moment loses nothing already rated, and the history can never disagree with it.

Sources (`core.store.sources.POOL_SOURCES`) keep hand-rated material apart from generated
supplements, library renders and training rollouts.

`rate` and `undo_last` commit before they return. A GUI queues them on the store's serial writer
(`Store.submit(pool.rate, ...)`, which returns a Future at once), so a key press never waits for
another process's write transaction and ratings commit in key order.
"""
from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from core.atomic import AtomicWriteError, write_atomic
from core.hashing import bytes_hash
from core.pool.colour import ALL_GROUPS, GROUPS, analyse, fit_within
from core.pool.sampling import sample_refs as _sample_refs
from core.store import Store
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


_IMAGE_SQL = "SELECT i.*, r.tier AS tier FROM pool_images i LEFT JOIN ratings r ON r.image_id = i.id"


class RatingPool:
    """Ratings and reference images on top of a Store (same database file, files under pool/)."""

    def __init__(self, store: Store):
        self.store = store
        self.files = store.path.parent / "pool"

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
        rel = f"pool/{digest[:2]}/{digest}.{fmt}"
        thumb_rel = f"pool/thumbs/{digest[:2]}/{digest}.png"
        self._write_file(rel, data)
        self._write_file(thumb_rel, _thumbnail(rgb))
        self.store.write(
            "INSERT OR IGNORE INTO pool_images (hash, path, thumb_path, width, height, prompt, source, code,"
            " sketch_id, colour_group, colours, created_at, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (digest, rel, thumb_rel, img.width, img.height, prompt, source, code, sketch_id, colour_group or info.group,
             json.dumps(info.colours), time.time(), None if name == "image" else name),
        )
        image = self.image_by_hash(digest)
        assert image is not None
        return AddResult(image, duplicate=False)

    def _write_file(self, rel: str, data: bytes) -> None:
        target = self.store.path.parent / rel
        if not target.exists():
            try:
                write_atomic(target, data)  # a reader never sees half a file
            except AtomicWriteError as e:
                raise PoolError(str(e)) from e

    def _image(self, row: dict) -> PoolImage:
        home = self.store.path.parent
        return PoolImage(
            id=row["id"], hash=row["hash"], path=home / row["path"],
            thumb_path=home / row["thumb_path"] if row["thumb_path"] else None,
            width=row["width"], height=row["height"], prompt=row["prompt"], source=row["source"],
            code=row["code"], sketch_id=row["sketch_id"], colour_group=row["colour_group"],
            colours=tuple(tuple(c) for c in json.loads(row["colours"] or "[]")),
            created_at=row["created_at"], tier=row.get("tier"), name=row.get("name"),
        )

    def image(self, image_id: int) -> PoolImage:
        rows = self.store.query(_IMAGE_SQL + " WHERE i.id = ?", (image_id,))
        if not rows:
            raise PoolError(f"There is no pool image {image_id}; it may have been removed. Reload the pool.")
        return self._image(rows[0])

    def images_by_id(self, image_ids: list[int]) -> list[PoolImage]:
        """The images with these ids, in id order (missing ids are left out)."""
        if not image_ids:
            return []
        marks = ", ".join("?" * len(image_ids))
        return [self._image(r) for r in self.store.query(f"{_IMAGE_SQL} WHERE i.id IN ({marks}) ORDER BY i.id",
                                                          tuple(image_ids))]

    def image_by_hash(self, digest: str) -> PoolImage | None:
        rows = self.store.query(_IMAGE_SQL + " WHERE i.hash = ?", (digest,))
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
        where, params = [], []
        if unrated:
            where.append("r.tier IS NULL")
        if tier:
            where.append("r.tier = ?")
            params.append(tier)
        if colour_group:
            where.append("i.colour_group = ?")
            params.append(colour_group)
        if source:
            where.append("i.source = ?")
            params.append(source)
        if text:
            where.append("i.prompt LIKE ?")
            params.append(f"%{text}%")
        sql = _IMAGE_SQL + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY i.prompt, i.id" if order == "prompt" else " ORDER BY i.id"
        return [self._image(r) for r in self.store.query(sql, tuple(params))]

    def image_ids(self, **filters) -> list[int]:
        return [im.id for im in self.images(**filters)]

    # -- ratings ------------------------------------------------------------------------------
    def rate(self, image_id: int, tier: str) -> RatingEvent:
        """Rate (or re-rate) an image; committed before this returns."""
        _check_tier(tier)
        cur = self.store.write(
            "INSERT INTO rating_events (image_id, action, tier, previous_tier, at)"
            " SELECT id, 'rate', ?, (SELECT tier FROM ratings WHERE image_id = ?), ? FROM pool_images WHERE id = ?",
            (tier, image_id, time.time(), image_id),
        )
        if cur.rowcount != 1:
            raise PoolError(f"There is no pool image {image_id}; it may have been removed. Reload the pool.")
        return self._event(cur.lastrowid)

    def undo_last(self, n: int = 1) -> list[RatingEvent]:
        """Undo the last n ratings, newest first: each image gets its previous tier (or unrated) back.

        Returns the undo events (their `image_id` and restored `tier`); fewer than n if history runs out.
        """
        done = []
        for _ in range(n):
            cur = self.store.write(
                "INSERT INTO rating_events (image_id, action, tier, previous_tier, undoes, at)"
                " SELECT image_id, 'undo', previous_tier, tier, id, ? FROM rating_events"
                " WHERE action = 'rate' AND undone = 0 ORDER BY id DESC LIMIT 1",
                (time.time(),),
            )
            if cur.rowcount != 1:
                break
            done.append(self._event(cur.lastrowid))
        return done

    def tier(self, image_id: int) -> str | None:
        rows = self.store.query("SELECT tier FROM ratings WHERE image_id = ?", (image_id,))
        return rows[0]["tier"] if rows else None

    def history(self, image_id: int | None = None) -> list[RatingEvent]:
        """Rating events, oldest first (all images, or one)."""
        sql, params = "SELECT * FROM rating_events", ()
        if image_id is not None:
            sql, params = sql + " WHERE image_id = ?", (image_id,)
        return [_event(r) for r in self.store.query(sql + " ORDER BY id", params)]

    def _event(self, event_id: int) -> RatingEvent:
        return _event(self.store.query("SELECT * FROM rating_events WHERE id = ?", (event_id,))[0])

    # -- counts -------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """{"images", "rated", "love", "okay", "nope"}."""
        out = {"images": self.store.query("SELECT count(*) AS n FROM pool_images")[0]["n"]}
        out.update(dict.fromkeys(TIERS, 0))
        for r in self.store.query("SELECT tier, count(*) AS n FROM ratings GROUP BY tier"):
            out[r["tier"]] = r["n"]
        out["rated"] = sum(out[t] for t in TIERS)
        return out

    def group_counts(self) -> dict[str, dict[str, int]]:
        """Per colour group: {"images", "unrated", "love", "okay", "nope"}; every group present."""
        out = {g: {"images": 0, "unrated": 0, **dict.fromkeys(TIERS, 0)} for g in ALL_GROUPS}
        rows = self.store.query(
            "SELECT i.colour_group AS g, coalesce(r.tier, 'unrated') AS t, count(*) AS n FROM pool_images i"
            " LEFT JOIN ratings r ON r.image_id = i.id GROUP BY g, t"
        )
        for r in rows:
            group = out.setdefault(r["g"], {"images": 0, "unrated": 0, **dict.fromkeys(TIERS, 0)})
            group[r["t"]] += r["n"]
            group["images"] += r["n"]
        return out

    def source_counts(self) -> dict[str, int]:
        return {r["source"]: r["n"] for r in
                self.store.query("SELECT source, count(*) AS n FROM pool_images GROUP BY source")}

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
