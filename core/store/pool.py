"""The rating pool's SQL and files: pool_images, ratings, rating_events, and pool/ in the data home.

core/pool (RatingPool, sampling) decides what an image, a tier and a reference draw are; it calls the
functions here. Every rating is one INSERT into the append-only `rating_events` table, committed on its
own; a trigger (migration v2) updates the current tier in `ratings` inside that same statement, so a
`kill -9` at any moment loses nothing already rated. Image rows come back with `path` and `thumb_path`
as absolute Paths.
"""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from core.atomic import AtomicWriteError, write_atomic
from core.store.connect import StoreError
from core.store.store import Store

_IMAGE_SQL = "SELECT i.*, r.tier AS tier FROM pool_images i LEFT JOIN ratings r ON r.image_id = i.id"


# -- images ---------------------------------------------------------------------------------------
def add_pool_image(store: Store, digest: str, fmt: str, data: bytes, thumb_png: bytes, *, width: int, height: int,
                   prompt: str | None, source: str, code: str | None, sketch_id: int | None, colour_group: str,
                   colours: Sequence[Any], name: str | None) -> None:
    """Keep the image and its thumbnail under pool/ (once per content hash) and add its row (a repeat of
    the same hash is ignored). StoreError when a file cannot be written."""
    rel, thumb_rel = f"pool/{digest[:2]}/{digest}.{fmt}", f"pool/thumbs/{digest[:2]}/{digest}.png"
    for path, content in ((rel, data), (thumb_rel, thumb_png)):
        target = store.path.parent / path
        if not target.exists():
            try:
                write_atomic(target, content)  # a reader never sees half a file
            except AtomicWriteError as e:
                raise StoreError(str(e)) from e
    store._write(
        "INSERT OR IGNORE INTO pool_images (hash, path, thumb_path, width, height, prompt, source, code,"
        " sketch_id, colour_group, colours, created_at, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (digest, rel, thumb_rel, width, height, prompt, source, code, sketch_id, colour_group,
         json.dumps(list(colours)), time.time(), name),
    )


def pool_image_rows(store: Store, *, ids: Sequence[int] | None = None, digest: str | None = None,
                    tier: str | None = None, unrated: bool = False, colour_group: str | None = None,
                    source: str | None = None, text: str | None = None, order: str = "id") -> list[dict]:
    """Image rows (with their current `tier`, None = unrated) matching every given filter; `text` is a
    prompt substring; `order` is "id" or "prompt"."""
    where: list[str] = []
    params: list[Any] = []
    if ids is not None:
        if not ids:
            return []
        where.append(f"i.id IN ({', '.join('?' * len(ids))})")
        params += list(ids)
    for clause, value in (("i.hash = ?", digest), ("r.tier = ?", tier), ("i.colour_group = ?", colour_group),
                          ("i.source = ?", source), ("i.prompt LIKE ?", f"%{text}%" if text else None)):
        if value is not None:
            where.append(clause)
            params.append(value)
    if unrated:
        where.append("r.tier IS NULL")
    sql = _IMAGE_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY i.prompt, i.id" if order == "prompt" else " ORDER BY i.id"
    home = store.path.parent
    rows = store._query(sql, tuple(params))
    for row in rows:
        row["path"] = home / row["path"]
        row["thumb_path"] = home / row["thumb_path"] if row["thumb_path"] else None
    return rows


# -- ratings --------------------------------------------------------------------------------------
def add_rating(store: Store, image_id: int, tier: str) -> int | None:
    """Rate (or re-rate) an image, committed before this returns; the event's id, None if no such image."""
    cur = store._write(
        "INSERT INTO rating_events (image_id, action, tier, previous_tier, at)"
        " SELECT id, 'rate', ?, (SELECT tier FROM ratings WHERE image_id = ?), ? FROM pool_images WHERE id = ?",
        (tier, image_id, time.time(), image_id),
    )
    return cur.lastrowid if cur.rowcount == 1 else None


def undo_last_rating(store: Store) -> int | None:
    """Undo the newest rating not yet undone (its image gets its previous tier back); the undo event's id,
    None when there is nothing left to undo."""
    cur = store._write(
        "INSERT INTO rating_events (image_id, action, tier, previous_tier, undoes, at)"
        " SELECT image_id, 'undo', previous_tier, tier, id, ? FROM rating_events"
        " WHERE action = 'rate' AND undone = 0 ORDER BY id DESC LIMIT 1",
        (time.time(),),
    )
    return cur.lastrowid if cur.rowcount == 1 else None


def current_tier(store: Store, image_id: int) -> str | None:
    """An image's tier now (None = unrated)."""
    rows = store._query("SELECT tier FROM ratings WHERE image_id = ?", (image_id,))
    return rows[0]["tier"] if rows else None


def rating_event_rows(store: Store, image_id: int | None = None, event_id: int | None = None) -> list[dict]:
    """Rating events oldest first: all of them, one image's, or the one with this id."""
    sql, params = "SELECT * FROM rating_events", ()
    if event_id is not None:
        sql, params = sql + " WHERE id = ?", (event_id,)
    elif image_id is not None:
        sql, params = sql + " WHERE image_id = ?", (image_id,)
    return store._query(sql + " ORDER BY id", params)


# -- counts ---------------------------------------------------------------------------------------
def image_count(store: Store) -> int:
    """How many images the pool holds."""
    return store._query("SELECT count(*) AS n FROM pool_images")[0]["n"]


def tier_counts(store: Store) -> dict[str, int]:
    """How many images each tier holds now (tiers with none are left out)."""
    return {r["tier"]: r["n"] for r in store._query("SELECT tier, count(*) AS n FROM ratings GROUP BY tier")}


def group_tier_counts(store: Store) -> list[tuple[str, str, int]]:
    """(colour group, tier or "unrated", images) for every pair that has any."""
    rows = store._query("SELECT i.colour_group AS g, coalesce(r.tier, 'unrated') AS t, count(*) AS n"
                        " FROM pool_images i LEFT JOIN ratings r ON r.image_id = i.id GROUP BY g, t")
    return [(r["g"], r["t"], r["n"]) for r in rows]


def source_counts(store: Store) -> dict[str, int]:
    """How many images came from each source."""
    return {r["source"]: r["n"] for r in store._query("SELECT source, count(*) AS n FROM pool_images GROUP BY source")}


# -- reference draws (core/pool/sampling.py): through the covering index on ratings(tier, colour_group,
# image_id) (migration v5); the colour group in `ratings` is the image's, copied by the rating trigger.
def _rated_where(tiers: Sequence[str], group: str | None) -> tuple[str, tuple]:
    where = f"tier IN ({', '.join('?' * len(tiers))})" + (" AND colour_group = ?" if group else "")
    return where, ((*tiers, group) if group else tuple(tiers))


def rated_count(store: Store, tiers: Sequence[str], group: str | None) -> int:
    """How many images are rated one of `tiers` (in this colour group, if given)."""
    where, params = _rated_where(tiers, group)
    return store._query(f"SELECT count(*) AS n FROM ratings WHERE {where}", params)[0]["n"]


def rated_id_at(store: Store, tiers: Sequence[str], group: str | None, position: int) -> int:
    """The id of the image at `position` (0-based, in id order) among those `rated_count` counts."""
    where, params = _rated_where(tiers, group)
    sql = f"SELECT image_id FROM ratings WHERE {where} ORDER BY image_id LIMIT 1 OFFSET ?"
    return store._query(sql, (*params, position))[0]["image_id"]

