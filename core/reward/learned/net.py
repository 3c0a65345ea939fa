"""The learned reward's network: a small MLP over image features (+ optional embedding) plus a tiny CNN.

Its output is a Bradley–Terry utility: P(a beats b) = sigmoid(u(a) − u(b)). The CNN is trained from
scratch on 48 px copies of the paintings; it is small on purpose (a few thousand weights) so a pool
of a few dozen ratings trains it in seconds on a CPU without simply memorising them.
"""
from __future__ import annotations

import torch
from torch import nn

from core.reward.learned.features import PIXELS, pixels  # noqa: F401 (torch-free; kept importable here)


class TinyCNN(nn.Module):
    """Three strided convolutions, then mean and standard deviation pooled over the image."""

    def __init__(self, width: int = 16):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 5, stride=2, padding=2), nn.GELU(),
            nn.Conv2d(width, 2 * width, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(2 * width, 2 * width, 3, stride=2, padding=1), nn.GELU(),
        )
        self.head = nn.Linear(4 * width, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(x)
        pooled = torch.cat([h.mean(dim=(2, 3)), h.std(dim=(2, 3))], dim=1)
        return self.head(pooled).squeeze(1)


class PreferenceNet(nn.Module):
    """u(image) = MLP(standardised features) + CNN(pixels); the feature statistics are stored buffers."""

    def __init__(self, n_features: int, cnn_width: int = 16, hidden: int = 16, use_cnn: bool = True):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.mlp = nn.Sequential(nn.Dropout(0.1), nn.Linear(n_features, hidden), nn.GELU(), nn.Linear(hidden, 1))
        self.cnn = TinyCNN(cnn_width) if use_cnn else None

    def set_feature_stats(self, feats: torch.Tensor) -> None:
        """Standardise features with the training set's mean and spread."""
        self.mean.copy_(feats.mean(0))
        self.std.copy_(feats.std(0).clamp_min(1e-4))

    def forward(self, feats: torch.Tensor, pix: torch.Tensor | None) -> torch.Tensor:
        z = ((feats - self.mean) / self.std).clamp(-6, 6)
        u = self.mlp(z).squeeze(1)
        if self.cnn is not None and pix is not None:
            u = u + self.cnn(pix)
        return u


def augment(pix: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random horizontal flips and small shifts: a painting's quality does not depend on them."""
    flip = torch.rand(pix.shape[0], generator=gen) < 0.5
    out = torch.where(flip[:, None, None, None], pix.flip(3), pix)
    dx, dy = (int(v) for v in torch.randint(-4, 5, (2,), generator=gen))
    return torch.roll(out, shifts=(dy, dx), dims=(2, 3))
