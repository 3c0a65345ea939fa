"""Stable content hashes, used as cache keys for code, renders and images."""
from __future__ import annotations

import functools
import hashlib
import json

from core.paths import NODE_MODULES, RESOURCES

HARNESS_DIR = RESOURCES / "harness"
RENDER_PACKAGES = ("p5", "p5.brush")


def code_hash(code: str) -> str:
    """sha256 of the sketch source as UTF-8 (exact bytes: whitespace matters to the cache)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def bytes_hash(data: bytes) -> str:
    """sha256 of raw bytes (PNG files, imported images)."""
    return hashlib.sha256(data).hexdigest()


def _package_version(name: str) -> str:
    try:
        return str(json.loads((NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "missing"  # not installed: renders fail anyway, and a later install changes the key


@functools.lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """What besides the code decides a painting: the harness files and the p5 / p5.brush versions.

    Computed once per process (the files do not change under a running renderer). A new harness or
    library version changes every render key, so the cache never serves a painting made by old code.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in HARNESS_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(HARNESS_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in RENDER_PACKAGES:
        digest.update(f"{name}@{_package_version(name)}\0".encode())
    return digest.hexdigest()[:16]


def renderer_versions() -> dict[str, str]:
    """{"p5": version, "p5.brush": version, "fingerprint": renderer_fingerprint()} for reports and run configs."""
    return {**{name: _package_version(name) for name in RENDER_PACKAGES}, "fingerprint": renderer_fingerprint()}


def render_key(code: str, seed: int, width: int, height: int, fingerprint: str | None = None) -> str:
    """Cache key for one render: same code, seed, size, harness and p5 / p5.brush versions never render twice."""
    fp = renderer_fingerprint() if fingerprint is None else fingerprint
    return hashlib.sha256(f"{code_hash(code)}:{seed}:{width}x{height}:{fp}".encode()).hexdigest()
