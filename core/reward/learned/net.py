"""The learned reward's network: a small MLP over image features (+ optional embedding), a tiny CNN, and a
prompt head that sees the image features together with the prompt (core/reward/learned/prompt_features.py).

Its output is a Bradley–Terry utility of a painting *for a prompt*: P(a beats b | prompt) =
sigmoid(u(a, p) − u(b, p)). The CNN is trained from scratch on 48 px copies of the paintings; it is
small on purpose (a few thousand weights) so a pool of a few dozen ratings trains it in seconds on a
CPU without simply memorising them. The prompt head (prompt_head.py) is a separate module added to the
image terms, so an image-only artefact (context_dim 0, format brushwork-rm-1) loads into the same class.
"""
from __future__ import annotations

import torch
from torch import nn

from core.reward.learned.features import PIXELS, pixels  # noqa: F401 (torch-free; kept importable here)
from core.reward.learned.prompt_head import ANCHORS, PromptHead


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
    """u(image, prompt) = MLP(features) + CNN(pixels) + prompt head; feature statistics are stored buffers."""

    def __init__(self, n_features: int, cnn_width: int = 16, hidden: int = 16, use_cnn: bool = True,
                 context_dim: int = 0, anchors: int = ANCHORS):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.mlp = nn.Sequential(nn.Dropout(0.1), nn.Linear(n_features, hidden), nn.GELU(), nn.Linear(hidden, 1))
        self.cnn = TinyCNN(cnn_width) if use_cnn else None
        self.context_dim = context_dim
        self.prompt = PromptHead(n_features, hidden, anchors) if context_dim else None

    def set_feature_stats(self, feats: torch.Tensor) -> None:
        """Standardise features with the training set's mean and spread."""
        self.mean.copy_(feats.mean(0))
        self.std.copy_(feats.std(0).clamp_min(1e-4))

    def standardise(self, feats: torch.Tensor) -> torch.Tensor:
        """Features in training-set standard units, clipped so one odd painting cannot dominate."""
        return ((feats - self.mean) / self.std).clamp(-6, 6)

    def forward(self, feats: torch.Tensor, pix: torch.Tensor | None, ctx: torch.Tensor | None = None) -> torch.Tensor:
        z = self.standardise(feats)
        u = self.mlp(z).squeeze(1)
        if self.cnn is not None and pix is not None:
            u = u + self.cnn(pix)
        if self.prompt is not None:
            if ctx is None:
                raise ValueError("this reward model reads the prompt: pass its context (prompt_features.contexts)")
            u = u + self.prompt(z, ctx, self.standardise)
        return u


def augment(pix: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random horizontal flips and small shifts: a painting's quality does not depend on them."""
    flip = torch.rand(pix.shape[0], generator=gen) < 0.5
    out = torch.where(flip[:, None, None, None], pix.flip(3), pix)
    dx, dy = (int(v) for v in torch.randint(-4, 5, (2,), generator=gen))
    return torch.roll(out, shifts=(dy, dx), dims=(2, 3))
