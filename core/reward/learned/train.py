"""Train the learned reward model: Bradley–Terry over cross-tier pairs, held out by prompt, against a baseline.

The held-out images' prompts were never trained on (pairs.split_items); a pool with too few prompts
to hold one out falls back to holding out by image, and the report says which (`heldout_split`).
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.pool.pool import RatingPool
from core.reward.learned.artefacts import ModelMeta, save_model
from core.reward.learned.config import TrainConfig
from core.reward.learned.dataset import RatedSet, load_rated
from core.reward.learned.embedding import load_extractor
from core.reward.learned.features import FEATURE_NAMES
from core.reward.learned.heldout import pair_report
from core.reward.learned.pairs import RatedItem, cross_tier_pairs, pair_accuracy, pool_hash, split_items
from core.reward.learned.prompt_features import CONTEXT_DIM, PROMPT_FEATURES_VERSION
from core.reward.types import RewardError


@dataclass
class TrainReport:
    """What `rm train --json` prints."""

    meta: ModelMeta
    path: Path | None

    def to_dict(self) -> dict:
        m = self.meta
        return {"pairs": m.pairs, "train_pairs": m.train_pairs, "heldout_pairs": m.heldout_pairs,
                "heldout_pair_accuracy": _r(m.heldout_pair_accuracy), "baseline_accuracy": _r(m.baseline_accuracy),
                "baseline": "more colourful wins", "train_pair_accuracy": _r(m.train_pair_accuracy),
                "reads_prompt": m.reads_prompt, "heldout_split": m.heldout_split, "heldout": m.heldout,
                "images": m.images, "tiers": m.tiers, "demo_pool": m.demo_pool, "seconds": round(m.seconds, 1), "steps": m.steps,
                "pool_hash": m.pool_hash, "features_version": m.features_version, "embedding": m.embedding or None,
                "path": str(self.path) if self.path else None}


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def fit(train: RatedSet, cfg: TrainConfig, cancel: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None):  # noqa: ANN201 (PreferenceNet; torch imported lazily)
    """A PreferenceNet fitted to `train`'s cross-tier pairs (Bradley–Terry, full batch, augmented pixels)."""
    pairs = cross_tier_pairs(train.items)
    if not pairs:  # said before torch loads (seconds on a busy machine)
        raise RewardError("the pool has no two rated tiers to compare. Rate some images love and some "
                          "okay or nope (or build the demo pool: brushwork rm demo-pool), then train again.")
    import torch  # deferred: heavy (torch)
    import torch.nn.functional as F  # deferred: heavy (torch)

    from core.reward.learned.net import PreferenceNet, augment  # deferred: heavy (torch)
    from core.reward.learned.prompt_head import ANCHORS  # deferred: heavy (torch)

    torch.manual_seed(cfg.seed)
    win = torch.tensor([p[0] for p in pairs])
    lose = torch.tensor([p[1] for p in pairs])
    feats = torch.from_numpy(train.feats)
    pix = torch.from_numpy(train.pix)
    ctx = torch.from_numpy(train.contexts()) if cfg.use_prompt else None
    anchors = torch.randperm(len(train.items), generator=torch.Generator().manual_seed(cfg.seed))[:ANCHORS]
    net = PreferenceNet(feats.shape[1], cfg.cnn_width, cfg.hidden, cfg.use_cnn,
                        CONTEXT_DIM if cfg.use_prompt else 0, len(anchors))
    net.set_feature_stats(feats)
    if net.prompt is not None:
        net.prompt.set_anchors(feats[anchors], torch.from_numpy(train.shares)[anchors])
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator().manual_seed(cfg.seed)
    start = time.perf_counter()
    # torch's thread count is process-wide (a trainer may share the process): set for the fit, then restored.
    previous = torch.get_num_threads()
    torch.set_num_threads(max(1, cfg.threads))
    net.train()
    try:
        net.steps_run = 0  # the optimiser steps that ran: fewer than cfg.steps when max_seconds or cancel stopped it
        for step in range(cfg.steps):
            u = net(feats, augment(pix, gen) if cfg.use_cnn else None, ctx)
            loss = F.softplus(-(u[win] - u[lose])).mean() + 1e-3 * u.pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            net.steps_run = step + 1
            if progress is not None and step % 20 == 0:
                progress(step, cfg.steps)
            if (cancel is not None and cancel()) or time.perf_counter() - start > cfg.max_seconds:
                break
    finally:
        torch.set_num_threads(previous)
    net.eval()
    return net


def utilities(net, data: RatedSet) -> np.ndarray:  # noqa: ANN001
    """The net's utility per image of `data`, each for its own prompt."""
    import torch  # deferred: heavy (torch)

    if not data.items:
        return np.zeros(0)
    ctx = torch.from_numpy(data.contexts()) if net.context_dim else None
    with torch.no_grad():
        return net(torch.from_numpy(data.feats), torch.from_numpy(data.pix), ctx).numpy().astype(np.float64)


def split(items: list[RatedItem], share: float) -> tuple[list[RatedItem], list[RatedItem], str]:
    """(train, held-out, "prompt" | "image"): by prompt when that leaves held-out pairs, else by image."""
    train, held = split_items(items, share, by_prompt=True)
    if cross_tier_pairs(held):
        return train, held, "prompt"
    train, held = split_items(items, share, by_prompt=False)
    return train, held, "image"


def train_reward_model(pool: RatingPool, cfg: TrainConfig | None = None, *, save: bool = True,
                       home: Path | None = None, cancel: Callable[[], bool] | None = None,
                       progress: Callable[[str, float], None] | None = None) -> TrainReport:
    """Train on the pool's tiers, measure held-out pair accuracy against "more colourful wins", save."""
    cfg = cfg or TrainConfig()
    start = time.perf_counter()
    extractor = load_extractor(cfg.embedding)
    say = progress or (lambda what, frac: None)
    data = load_rated(pool, extractor, progress=lambda i, n: say("measuring images", 0.3 * i / max(n, 1)))
    train_items, held_items, split_kind = split(data.items, cfg.heldout_share)
    train, held = data.subset(train_items), data.subset(held_items)
    net = fit(train, cfg, cancel, progress=lambda s, n: say("training", 0.3 + 0.7 * s / max(n, 1)))
    u_train, u_held = utilities(net, train), utilities(net, held)
    held_acc, held_pairs = pair_accuracy(list(u_held), held.items)
    base_acc, _ = pair_accuracy(list(held.colour), held.items)
    train_acc, train_pairs = pair_accuracy(list(u_train), train.items)
    love = [u for u, it in zip(u_train, train.items, strict=True) if it.tier == "love"]
    meta = ModelMeta(
        prompt_features_version=PROMPT_FEATURES_VERSION if cfg.use_prompt else "",
        context_dim=CONTEXT_DIM if cfg.use_prompt else 0, heldout_split=split_kind,
        prompt_anchors=net.prompt.anchor_feats.shape[0] if net.prompt is not None else 0,
        heldout=pair_report(list(u_held), held.items),
        feature_names=list(FEATURE_NAMES), embedding=extractor.name if extractor else "",
        embedding_dim=extractor.dim if extractor else 0, use_cnn=cfg.use_cnn, cnn_width=cfg.cnn_width,
        hidden=cfg.hidden, pool_hash=pool_hash(data.items), images=len(data.items), train_images=len(train.items),
        heldout_images=len(held.items), pairs=train_pairs + held_pairs, train_pairs=train_pairs,
        heldout_pairs=held_pairs, heldout_pair_accuracy=held_acc, baseline_accuracy=base_acc,
        train_pair_accuracy=train_acc, love_utility=float(np.mean(love)) if love else 0.0,
        demo_pool=data.demo, tiers=data.tiers(), steps=net.steps_run,
    )
    meta.seconds = time.perf_counter() - start
    path = None
    if save:
        path = save_model({"net": net.state_dict(), "train_hashes": [it.hash for it in train.items],
                           "train_prompts": sorted({it.prompt_key for it in train.items if it.prompt_key})}, meta, home)
    say("done", 1.0)
    return TrainReport(meta, path)


def sigmoid(x: float) -> float:
    """Logistic function, safe for large |x|."""
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))
