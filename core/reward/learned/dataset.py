"""The rated images a reward model learns from, with their features and pixels computed once per process."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.hashing import bytes_hash
from core.pool.demo import is_demo, training_images
from core.pool.pool import RatingPool
from core.reward.learned.embedding import EmbeddingExtractor
from core.reward.learned.features import (
    FEATURES_VERSION,
    PIXELS,
    colourfulness,
    features_from_rgb,
    load_rgb,
    pixels,
)
from core.reward.learned.pairs import RatedItem, group_key

_CACHE: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, float]] = {}
_LOCK = threading.Lock()


def measure(png: bytes, digest: str | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """(features, pixels, colourfulness) of a painting, memoised by content hash."""
    key = (digest or bytes_hash(png), FEATURES_VERSION)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    rgb = load_rgb(png)
    value = (features_from_rgb(rgb), pixels(png), colourfulness(rgb))
    with _LOCK:
        if len(_CACHE) > 20_000:  # a long-lived studio scoring rollouts: keep memory bounded
            _CACHE.clear()
        _CACHE[key] = value
    return value


@dataclass
class RatedSet:
    """Items (tier, group), their features (n, f), pixels (n, 3, 48, 48) and colourfulness (n,)."""

    items: list[RatedItem]
    feats: np.ndarray
    pix: np.ndarray
    colour: np.ndarray
    demo: bool

    def subset(self, keep: list[RatedItem]) -> RatedSet:
        index = {it.hash: i for i, it in enumerate(self.items)}
        idx = [index[it.hash] for it in keep]
        return RatedSet(list(keep), self.feats[idx], self.pix[idx], self.colour[idx], self.demo)

    def tiers(self) -> dict[str, int]:
        out = {"love": 0, "okay": 0, "nope": 0}
        for it in self.items:
            out[it.tier] += 1
        return out


def load_rated(pool: RatingPool, embedding: EmbeddingExtractor | None = None,
               progress: Callable[[int, int], None] | None = None, own_only_from: int | None = None) -> RatedSet:
    """Every rated image the model should learn from (the demo pool drops out once own ratings suffice)."""
    images = training_images(pool) if own_only_from is None else training_images(pool, own_only_from)
    items, feats, pix, colour, pngs = [], [], [], [], []
    for i, im in enumerate(images):
        try:
            png = im.path.read_bytes()
        except OSError:
            continue  # a pool file deleted by hand: skip it rather than fail the whole training
        f, p, c = measure(png, im.hash)
        items.append(RatedItem(im.hash, im.tier or "", group_key(im.hash, im.code), str(im.path)))
        feats.append(f)
        pix.append(p)
        colour.append(c)
        if embedding is not None:
            pngs.append(png)
        if progress is not None:
            progress(i + 1, len(images))
    n_feat = len(feats[0]) if feats else 0
    feat_arr = np.stack(feats) if feats else np.zeros((0, n_feat), np.float32)
    if embedding is not None and pngs:
        feat_arr = np.concatenate([feat_arr, embedding.embed(pngs).astype(np.float32)], axis=1)
    return RatedSet(items, feat_arr, np.stack(pix) if pix else np.zeros((0, 3, PIXELS, PIXELS), np.float32),
                    np.asarray(colour, dtype=np.float64), any(is_demo(im) for im in images))
