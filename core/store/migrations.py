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


def _v3_sketch_sources(db: sqlite_utils.Database) -> None:
    # SQLite cannot alter a CHECK: rebuild `sketches` with the wider source list (training writes
    # "model", generation "generated"), keeping ids, so parent links and pool sketch_ids stay valid.
    # The migrator runs this with foreign keys off and checks them before it commits.
    db.execute(
        """
        CREATE TABLE sketches_v3 (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            parent_id INTEGER REFERENCES sketches(id),
            source TEXT NOT NULL CHECK (source IN ('starter', 'model', 'human', 'import', 'generated')),
            prompt TEXT,
            title TEXT,
            run_id TEXT,
            step INTEGER,
            meta TEXT,
            created_at REAL NOT NULL,
            deleted_at REAL
        )"""
    )
    columns = "id, code, code_hash, parent_id, source, prompt, title, run_id, step, meta, created_at, deleted_at"
    db.execute(f"INSERT INTO sketches_v3 ({columns}) SELECT {columns} FROM sketches")
    db.execute("DROP TABLE sketches")
    db.execute("ALTER TABLE sketches_v3 RENAME TO sketches")
    db.execute("CREATE INDEX idx_sketches_parent ON sketches(parent_id)")
    db.execute("CREATE INDEX idx_sketches_hash ON sketches(code_hash)")
    db.execute("CREATE INDEX idx_sketches_run ON sketches(run_id, step)")


def _v4_training(db: sqlite_utils.Database) -> None:
    # What judging and training write: pairwise judgements (cached by key), runs, their metrics
    # (narrow: one row per step and key, written with INSERT OR REPLACE), scored samples, events.
    db.execute(
        """
        CREATE TABLE judgements (
            id INTEGER PRIMARY KEY,
            key TEXT UNIQUE NOT NULL,
            candidate_hash TEXT,
            reference_hash TEXT,
            prompt TEXT,
            judge TEXT,
            judge_model TEXT,
            prompt_version TEXT,
            order_ab TEXT,
            winner TEXT,
            confidence REAL,
            reasoning TEXT,
            tokens_in INTEGER,
            tokens_out INTEGER,
            cost_usd REAL,
            created_at REAL
        )"""
    )
    db.execute(
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            name TEXT,
            kind TEXT,
            config TEXT,
            status TEXT CHECK (status IN ('created', 'running', 'finished', 'stopped', 'died', 'failed')),
            pid INTEGER,
            run_dir TEXT,
            created_at REAL,
            updated_at REAL,
            ended_at REAL,
            error TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE metrics (
            run_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            key TEXT NOT NULL,
            value REAL,
            at REAL,
            PRIMARY KEY (run_id, step, key)
        )"""
    )
    db.execute(
        """
        CREATE TABLE samples (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            prompt TEXT,
            completion TEXT,
            code TEXT,
            png_hash TEXT,
            components TEXT,
            total REAL,
            checkpoint TEXT,
            split TEXT,
            seed INTEGER,
            sketch_id INTEGER,
            created_at REAL
        )"""
    )
    db.execute("CREATE INDEX idx_samples_run_step ON samples(run_id, step)")
    db.execute(
        """
        CREATE TABLE run_events (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL,
            step INTEGER,
            kind TEXT,
            message TEXT,
            data TEXT,
            at REAL
        )"""
    )
    db.execute("CREATE INDEX idx_run_events_run ON run_events(run_id, id)")


def _v5_reference_index(db: sqlite_utils.Database) -> None:
    # sample_refs counts and picks rated images by tier and colour group, in id order, thousands
    # of times per training run: a covering index answers it without touching the table.
    db.execute("CREATE INDEX idx_ratings_tier_group ON ratings(tier, colour_group, image_id)")


def _v6_pool_image_names(db: sqlite_utils.Database) -> None:
    # The file an image was imported from ("sunset-03.png"): the Rate pane shows it beside the prompt.
    db.execute("ALTER TABLE pool_images ADD COLUMN name TEXT")


def _v7_metric_tail_index(db: sqlite_utils.Database) -> None:
    # A run's metrics in commit order: (run_id, rowid) — every index ends in the rowid. The tail reads
    # "this run's rows after rowid r, 20,000 at a time"; through the primary key (run_id, step, key) each
    # read sorted the whole run (0.26 s a chunk at 600,000 rows), now it reads just its chunk.
    db.execute("CREATE INDEX idx_metrics_run_rowid ON metrics(run_id)")


def _v8_render_counts(db: sqlite_utils.Database) -> None:
    # The harness's run-time brush counts (JSON objects; NULL = not measured), kept with the render so a
    # cached result scores exactly as the render did. Rows from before have NULL: renderers render them again.
    db.execute("ALTER TABLE renders ADD COLUMN brush_calls TEXT")
    db.execute("ALTER TABLE renders ADD COLUMN brush_state TEXT")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_library, _v2_pool, _v3_sketch_sources, _v4_training, _v5_reference_index, _v6_pool_image_names,
    _v7_metric_tail_index, _v8_render_counts,
]
