"""Scoring with the recogniser in numpy: its conv blocks with BatchNorm folded in, no torch at reward time.

torch on a shared 2-core machine spends ~40 ms of CPU (300 ms of wall time under load) spinning its
thread pool for one 48-px image; the same network as four im2col products in numpy costs ~1 ms and
touches no thread pool the trainer uses. `fold` turns a trained SubjectNet into these arrays once, at
save time (weights.npz beside model.pt); `probabilities` is the forward pass.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BN_EPS = 1e-5  # torch.nn.BatchNorm2d's default


def fold(net) -> dict[str, np.ndarray]:  # noqa: ANN001 (a SubjectNet in eval mode)
    """{"w0", "b0", ..., "head_w", "head_b"}: each conv's weights with its BatchNorm folded in."""
    from torch import nn  # deferred: heavy (torch)

    out: dict[str, np.ndarray] = {}
    convs = [m for m in net.body if isinstance(m, nn.Conv2d)]
    norms = [m for m in net.body if isinstance(m, nn.BatchNorm2d)]
    for i, (conv, norm) in enumerate(zip(convs, norms, strict=True)):
        scale = (norm.weight / (norm.running_var + BN_EPS).sqrt()).detach().numpy()
        out[f"w{i}"] = conv.weight.detach().numpy() * scale[:, None, None, None]
        out[f"b{i}"] = (conv.bias.detach().numpy() - norm.running_mean.detach().numpy()) * scale + norm.bias.detach().numpy()
    out["head_w"] = net.head.weight.detach().numpy()
    out["head_b"] = net.head.bias.detach().numpy()
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def _conv3x3(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (N, O, H, W): a 3x3 convolution with zero padding 1, as one matrix product."""
    n, c, h, wd = x.shape
    windows = sliding_window_view(np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))), (3, 3), axis=(2, 3))
    cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * h * wd, c * 9)
    out = cols @ w.reshape(w.shape[0], -1).T + b
    return out.reshape(n, h, wd, -1).transpose(0, 3, 1, 2)


def probabilities(weights: dict[str, np.ndarray], inputs: np.ndarray) -> np.ndarray:
    """Class probabilities (N, classes) for (N, INPUT, INPUT) inputs; the same as the torch net in eval mode."""
    x = np.asarray(inputs, dtype=np.float32)[:, None]
    i = 0
    while f"w{i}" in weights:
        x = np.maximum(_conv3x3(x, weights[f"w{i}"], weights[f"b{i}"]), 0.0)
        n, c, h, w = x.shape
        x = x[:, :, : h // 2 * 2, : w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
        i += 1
    logits = np.concatenate([x.mean(axis=(2, 3)), x.max(axis=(2, 3))], axis=1) @ weights["head_w"].T + weights["head_b"]
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)
