"""Forward-only schema migrations. Append a function; never edit one that has shipped.

The schema version is SQLite's `PRAGMA user_version`: migration i (0-based) brings it to i + 1.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _v1_library(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE sketches (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            parent_id INTEGER REFERENCES sketches(id),
            source TEXT NOT NULL CHECK (source IN ('starter', 'model', 'human', 'import')),
            prompt TEXT,
            title TEXT,
            run_id TEXT,
            step INTEGER,
            meta TEXT,
            created_at REAL NOT NULL,
            deleted_at REAL
        )"""
    )
    db.execute("CREATE INDEX idx_sketches_parent ON sketches(parent_id)")
    db.execute("CREATE INDEX idx_sketches_hash ON sketches(code_hash)")
    db.execute(
        """
        CREATE TABLE renders (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            code_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            png_path TEXT,
            png_hash TEXT,
            ms REAL,
            error_kind TEXT,
            error_message TEXT,
            error_line INTEGER,
            error_column INTEGER,
            console TEXT,
            created_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_renders_code ON renders(code_hash)")
    db.execute(
        """
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )


def _v2_pool(db: sqlite_utils.Database) -> None:
    # The rating pool. A rating is an append-only event; triggers keep `ratings` (the current tier)
    # in step inside the same statement, so a killed process never leaves the two disagreeing.
    db.execute(
        """
        CREATE TABLE pool_images (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            thumb_path TEXT,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            prompt TEXT,
            source TEXT NOT NULL CHECK (source IN ('hand', 'supplement', 'library', 'rollout')),
            code TEXT,
            sketch_id INTEGER,
            colour_group TEXT NOT NULL,
            colours TEXT,
            created_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_pool_images_group ON pool_images(colour_group)")
    db.execute(
        """
        CREATE TABLE ratings (
            image_id INTEGER PRIMARY KEY REFERENCES pool_images(id),
            tier TEXT NOT NULL CHECK (tier IN ('love', 'okay', 'nope')),
            prompt TEXT,
            source TEXT NOT NULL,
            colour_group TEXT NOT NULL,
            rated_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_ratings_tier ON ratings(tier)")
    db.execute(
        """
        CREATE TABLE rating_events (
            id INTEGER PRIMARY KEY,
            image_id INTEGER NOT NULL REFERENCES pool_images(id),
            action TEXT NOT NULL CHECK (action IN ('rate', 'undo')),
            tier TEXT CHECK (tier IN ('love', 'okay', 'nope')),
            previous_tier TEXT,
            undoes INTEGER REFERENCES rating_events(id),
            undone INTEGER NOT NULL DEFAULT 0,
            at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_rating_events_image ON rating_events(image_id)")
    db.execute(
        """
        CREATE TRIGGER rating_events_apply AFTER INSERT ON rating_events BEGIN
            DELETE FROM ratings WHERE image_id = NEW.image_id AND NEW.tier IS NULL;
            INSERT OR REPLACE INTO ratings (image_id, tier, prompt, source, colour_group, rated_at)
                SELECT id, NEW.tier, prompt, source, colour_group, NEW.at FROM pool_images
                WHERE id = NEW.image_id AND NEW.tier IS NOT NULL;
            UPDATE rating_events SET undone = 1 WHERE id = NEW.undoes;
        END"""
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1_library, _v2_pool]
