"""The part of the learned reward that reads the prompt: image features crossed with the prompt vector.

h(painting, prompt) = MLP(image features, colour shares, prompt vector, crossings) + linear(crossings),
where the crossings (prompt_features.CROSS_NAMES) say how much paint is in the prompt's colours.
The head is *centred*: from h the mean of h over a fixed set of training paintings ("anchors", kept
in the artefact) under the same prompt is subtracted, so averaged over those paintings every prompt
scores the same: the words alone never raise or lower a score, they change which paintings are
preferred. (A main effect of the words would help no comparison between two paintings of one
prompt, the only kind GRPO makes, while the demo pool's poor examples all share one prompt template
it could learn. Held out by prompt on the demo pool, all-pairs accuracy was 0.88 uncentred, 0.80
centred, 0.72 image-only: 18 images, too few to call.) Centring cannot stop every word-driven effect:
where a pool's paintings follow their prompts, a prompt × painting term can still track the words,
and the data cannot tell the two apart.
"""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from core.reward.learned.prompt_features import CHROMATIC, CONTEXT_DIM, CROSS_NAMES, NEAR, SHARE_NAMES

CROSS_DIM = len(CROSS_NAMES)
N_SHARES = len(SHARE_NAMES)
ANCHORS = 32


def crossing(colour: torch.Tensor, shares: torch.Tensor) -> torch.Tensor:
    """(…, 3): paint share in the prompt's colours, in them or a neighbour hue, and in the largest other colour.

    `colour` is the prompt's colour weights per group (…, 9), zero when it names none; `shares` the painting's.
    """
    near = torch.as_tensor(NEAR, dtype=shares.dtype)
    chromatic = torch.as_tensor(CHROMATIC)
    named = (colour * shares).sum(-1)
    near_share = ((colour @ near) * shares).sum(-1)
    named_any = (colour.sum(-1) > 0).to(shares.dtype)
    others = torch.where((colour == 0) & chromatic, shares, torch.zeros_like(shares))
    return torch.stack([named, near_share, others.amax(-1) * named_any], dim=-1)


class PromptHead(nn.Module):
    """The centred prompt × image term of the utility (see the module docstring)."""

    def __init__(self, n_features: int, hidden: int = 16, anchors: int = ANCHORS):
        super().__init__()
        self.register_buffer("anchor_feats", torch.zeros(anchors, n_features))
        self.register_buffer("anchor_shares", torch.zeros(anchors, N_SHARES))
        # One hidden layer over [image features, colour shares | prompt vector | crossings]. Its first layer is
        # applied part by part, so the anchors' image part is computed once, not once per prompt.
        self.image_in = nn.Linear(n_features + N_SHARES, hidden)
        self.prompt_in = nn.Linear(CONTEXT_DIM - N_SHARES, hidden, bias=False)
        self.cross_in = nn.Linear(CROSS_DIM, hidden, bias=False)
        self.out = nn.Linear(hidden, 1)
        self.drop = nn.Dropout(0.1)
        # The crossings also enter linearly: "paint in the named colour" then holds for every colour at once.
        self.cross = nn.Linear(CROSS_DIM, 1)

    def set_anchors(self, feats: torch.Tensor, shares: torch.Tensor) -> None:
        """The paintings the head is centred on (raw features and colour shares of training images)."""
        self.anchor_feats.copy_(feats)
        self.anchor_shares.copy_(shares)

    def _h(self, image: torch.Tensor, prompt: torch.Tensor, cross: torch.Tensor) -> torch.Tensor:
        """h from the three parts' projections (broadcast against each other) and the crossings."""
        hidden = nn.functional.gelu(image + prompt + self.cross_in(self.drop(cross)))
        return (self.out(hidden) + self.cross(cross)).squeeze(-1)

    def forward(self, z: torch.Tensor, ctx: torch.Tensor,
                standardise: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
        shares, prompt = ctx[:, :N_SHARES], ctx[:, N_SHARES:]
        colour = prompt[:, :N_SHARES]
        p = self.prompt_in(self.drop(prompt))                                              # (n, hidden)
        own = self._h(self.image_in(self.drop(torch.cat([z, shares], 1))), p, crossing(colour, shares))
        anchors = self.image_in(self.drop(torch.cat([standardise(self.anchor_feats), self.anchor_shares], 1)))
        cross = crossing(colour[:, None, :], self.anchor_shares[None, :, :])               # (n, a, 3)
        base = self._h(anchors[None, :, :], p[:, None, :], cross)                          # (n, a)
        return own - base.mean(1)
