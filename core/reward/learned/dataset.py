"""The rated images a reward model learns from, with their features and pixels computed once per process."""
from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from core.hashing import bytes_hash
from core.pool.colour import ALL_GROUPS, analyse
from core.pool.demo import is_demo, strip_demo, training_images
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
from core.reward.learned.prompt_features import PROMPT_FEATURES_VERSION, contexts, prompt_key, shares_vector

_CACHE: dict[tuple[str, str, str], Measured] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Measured:
    """What the model needs of one painting: features, 48 px pixels, colourfulness, paint share per colour group."""

    feats: np.ndarray
    pix: np.ndarray
    colour: float
    shares: np.ndarray


def measure(png: bytes, digest: str | None = None) -> Measured:
    """The painting's measurements, memoised by content hash."""
    key = (digest or bytes_hash(png), FEATURES_VERSION, PROMPT_FEATURES_VERSION)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    rgb = load_rgb(png)
    with Image.open(io.BytesIO(png)) as im:
        shares = shares_vector(analyse(im.convert("RGB")).shares)
    value = Measured(features_from_rgb(rgb), pixels(png), colourfulness(rgb), shares)
    with _LOCK:
        if len(_CACHE) > 20_000:  # a long-lived studio scoring rollouts: keep memory bounded
            _CACHE.clear()
        _CACHE[key] = value
    return value


@dataclass
class RatedSet:
    """Items (tier, group, prompt), features (n, f), pixels (n, 3, 48, 48), colourfulness (n,), shares (n, 9)."""

    items: list[RatedItem]
    feats: np.ndarray
    pix: np.ndarray
    colour: np.ndarray
    shares: np.ndarray
    demo: bool

    def subset(self, keep: list[RatedItem]) -> RatedSet:
        index = {it.hash: i for i, it in enumerate(self.items)}
        idx = [index[it.hash] for it in keep]
        return RatedSet(list(keep), self.feats[idx], self.pix[idx], self.colour[idx], self.shares[idx], self.demo)

    def contexts(self) -> np.ndarray:
        """(n, CONTEXT_DIM): each painting crossed with its own prompt."""
        return contexts([it.prompt for it in self.items], self.shares)

    def tiers(self) -> dict[str, int]:
        out = {"love": 0, "okay": 0, "nope": 0}
        for it in self.items:
            out[it.tier] += 1
        return out


def load_rated(pool: RatingPool, embedding: EmbeddingExtractor | None = None,
               progress: Callable[[int, int], None] | None = None, own_only_from: int | None = None) -> RatedSet:
    """Every rated image the model should learn from (the demo pool drops out once own ratings suffice)."""
    images = training_images(pool) if own_only_from is None else training_images(pool, own_only_from)
    items, measured, pngs = [], [], []
    for i, im in enumerate(images):
        try:
            png = im.path.read_bytes()
        except OSError:
            continue  # a pool file deleted by hand: skip it rather than fail the whole training
        measured.append(measure(png, im.hash))
        prompt = strip_demo(im.prompt) or ""
        items.append(RatedItem(im.hash, im.tier or "", group_key(im.hash, im.code), str(im.path),
                               prompt, prompt_key(prompt)))
        if embedding is not None:
            pngs.append(png)
        if progress is not None:
            progress(i + 1, len(images))
    if not measured:
        return RatedSet([], np.zeros((0, 0), np.float32), np.zeros((0, 3, PIXELS, PIXELS), np.float32),
                        np.zeros(0), np.zeros((0, len(ALL_GROUPS)), np.float32), False)
    feat_arr = np.stack([m.feats for m in measured])
    if embedding is not None and pngs:
        feat_arr = np.concatenate([feat_arr, embedding.embed(pngs).astype(np.float32)], axis=1)
    return RatedSet(items, feat_arr, np.stack([m.pix for m in measured]),
                    np.asarray([m.colour for m in measured], dtype=np.float64),
                    np.stack([m.shares for m in measured]), any(is_demo(im) for im in images))
