"""Stable content hashes, used as cache keys for code, renders and images."""
from __future__ import annotations

import hashlib


def code_hash(code: str) -> str:
    """sha256 of the sketch source as UTF-8 (exact bytes: whitespace matters to the cache)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def bytes_hash(data: bytes) -> str:
    """sha256 of raw bytes (PNG files, imported images)."""
    return hashlib.sha256(data).hexdigest()


def render_key(code: str, seed: int, width: int, height: int) -> str:
    """Cache key for one render: the same code, seed and size never render twice."""
    return hashlib.sha256(f"{code_hash(code)}:{seed}:{width}x{height}".encode()).hexdigest()
