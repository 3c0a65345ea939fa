"""Several browsers for one renderer, each with its own jail and warm pages: the same path on 2 cores or 64.

One Chromium draws every page's WebGL in its single GPU process and relays every page's CDP traffic through
its browser process, so past a few cores one browser is its own bottleneck. A fleet runs
`jail.browser_count()` of them (one per CORES_PER_BROWSER cores, one on a small machine), each a PagePool
in a jail capped, as a safety limit, at its slice of the cores; a render takes a page from the browser
with the most pages ready and keeps to that browser for everything else (a cold page, the watchdog).
"""
from __future__ import annotations

import asyncio
import math

from core.render.jail import browser_count, default_cpus
from core.render.pages import PagePool


def split(total: int, parts: int) -> list[int]:
    """`total` pages over `parts` browsers, as evenly as can be (the first ones take the remainder)."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


class BrowserFleet:
    """The renderer's browsers; `size` warm pages over all of them."""

    def __init__(self, size: int, chromium: str | None = None, hardware_webgl: bool = False, prewarm: bool = True,
                 memory_mb: int | None = None, browsers: int | None = None):
        size = max(1, size)
        count = max(1, min(size, browsers or browser_count()))
        self.cpus_each = default_cpus(count)
        self.pools = [PagePool(n, chromium, hardware_webgl, prewarm, memory_mb, self.cpus_each)
                      for n in split(size, count)]

    @property
    def size(self) -> int:
        return sum(p.size for p in self.pools)

    @property
    def cores(self) -> int:
        """Sketches that may run at once: the cores the browsers' jails may use together (at least 1)."""
        return max(1, math.ceil(self.cpus_each * len(self.pools) - 1e-9))

    @property
    def launches(self) -> int:
        return sum(p.launches for p in self.pools)

    @property
    def full(self) -> bool:
        return all(p.full for p in self.pools)

    def resize(self, size: int) -> int:
        """Keep `size` warm pages over the browsers (each within its memory); the total in force."""
        for pool, n in zip(self.pools, split(max(size, len(self.pools)), len(self.pools)), strict=True):
            pool.resize(n)
        return self.size

    def pick(self) -> PagePool:
        """The browser to take the next page from: the one with the most pages ready and not yet claimed;
        the caller holds a claim on it (`pending`) until its take() ends."""
        pool = max(self.pools, key=lambda p: p.available())
        pool.pending += 1
        return pool

    async def start(self) -> None:
        await asyncio.gather(*(p.start() for p in self.pools))

    async def close(self) -> None:
        await asyncio.gather(*(p.close() for p in self.pools), return_exceptions=True)

    async def wait_ready(self, count: int, timeout: float) -> bool:
        """Wait until `count` pages are ready over all browsers; False on timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while sum(p.ready_count for p in self.pools) < min(count, self.size):
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True
