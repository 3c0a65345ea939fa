"""A pool of warm harness pages on one long-lived, jailed Chromium; each page serves one render.

The pool keeps `size` pages warm: `take()` hands out one whose fresh harness document, in a browser context
of its own, has already parsed p5 and p5.brush (and, with `prewarm`, started p5 on a hot WEBGL canvas);
after the render `give_back()` closes it (context and all) in the background. A sketch the hot canvas
cannot serve (P2D, another pixel density, setAttributes) is given a second, brand-new page where p5 starts
the ordinary way: `take(cold=True)`, from one spare cold page the pool keeps loaded once the first such
sketch has asked for one (never a reload of the sketch's own page).

Refills wait for the pool to go idle. While any page is out (a GRPO group rendering), a page is loaded
only for a render that is waiting for one, and a finished page is silenced but closed later (at most
`size` of them wait, none when memory is short), so page loads and closes do not take CPU from the
renders; when the last page comes back, every missing page loads at once, side by side (no lock: each page finds its own renderer
process, sandbox.find_renderer), while the trainer generates and updates. `resize()` grows the pool to a
whole group, within what memory allows (`max_pages`).

The browser runs in its jail (jail.py: no network, a memory cap, a CPU share). If it dies, hangs (`kill()`:
the watchdog), or the Playwright driver itself dies, the next `take()` starts a new driver and browser.
`close()` returns only when every browser process is gone, and the pool can be started again afterwards.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import psutil
from playwright.async_api import Browser, Playwright, async_playwright

from core.render.browser import find_chromium, launch
from core.render.jail import DEFAULT_MEMORY_MB, Jail
from core.render.sandbox import HarnessFiles, WarmPage, open_warm_page
from core.render.types import BrowserUnavailable

# What one warm page costs the jail's memory cap (cgroup charge, measured 2026-12: ~72 MB with its hot WEBGL
# canvas; its renderer alone ~40 MB PSS, ~31 MB USS), rounded up; and what is kept free for the sketches
# that run (each page's JavaScript heap is capped at 512 MB, browser.py).
PAGE_MB = 80
SKETCH_RESERVE_MB = 1024
RETIRED_MEMORY_SHARE = 0.5  # past this share of the jail's cap, pages waiting to be closed are closed now


def max_pages(memory_mb: int | None = None) -> int:
    """Warm pages one browser may keep: its memory cap less the running sketches' reserve, and no more than
    a quarter of the memory the host has available now, at PAGE_MB each (at least 1)."""
    cap = (memory_mb or DEFAULT_MEMORY_MB) - SKETCH_RESERVE_MB
    host = psutil.virtual_memory().available // (4 * 1024 * 1024)
    return max(1, min(cap, host) // PAGE_MB)


@dataclass
class _Lane:
    """Pages of one kind (warm, or the cold spare) and who holds or waits for them."""

    ready: asyncio.Queue = field(default_factory=asyncio.Queue)
    owned: int = 0     # ready, out, or loading
    out: int = 0       # handed to a render, not yet given back
    waiting: int = 0   # take() calls waiting for one


class PagePool:
    """`size` harness pages on one browser; safe to use from many coroutines of one event loop."""

    def __init__(self, size: int = 2, chromium: str | None = None, hardware_webgl: bool = False,
                 prewarm: bool = True, memory_mb: int | None = None, cpus: float | None = None):
        self.memory_mb = memory_mb
        self.size = min(max(1, size), max_pages(memory_mb))
        self.prewarm = prewarm
        self.chromium = chromium
        self.hardware_webgl = hardware_webgl
        self.cpus = cpus
        self.launches = 0
        self.pages_opened = 0
        self.page_crashes = 0        # pages whose renderer process died (the memory cap's usual victims)
        self._loading = 0            # page loads in flight
        self._progress_at = 0.0      # last page opened, browser launched, or load started on an idle pool
        self.jail: Jail | None = None
        self._files = HarnessFiles()
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._warm = _Lane()
        self._cold = _Lane()
        self._cold_wanted = 0                    # cold spares to keep: 1 once a sketch has needed one
        self.pending = 0                         # renders that chose this browser and wait for take() to run
        self._renderers: set[int] = set()        # renderer processes of this pool's live pages
        self._retired: list[tuple[WarmPage, asyncio.Future]] = []  # silenced, closed once the pool is idle
        self._tasks: set[asyncio.Task] = set()   # background loads and closes
        self._launch_lock = asyncio.Lock()
        self._closing = False

    @property
    def alive(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    @property
    def _owned(self) -> int:
        return self._warm.owned

    def stalled_for(self) -> float:
        """Seconds the pool has worked without opening a page (the watchdog blames a browser only then)."""
        return asyncio.get_running_loop().time() - self._progress_at

    def _progress(self) -> None:
        self._progress_at = asyncio.get_running_loop().time()

    @property
    def ready_count(self) -> int:
        return sum(1 for item in self._warm.ready._queue if isinstance(item, WarmPage))  # noqa: SLF001

    def available(self) -> int:
        """Warm pages ready now, less the renders that chose this browser and have no page yet (the fleet
        picks a browser by it)."""
        return self.ready_count - self.pending

    @property
    def full(self) -> bool:
        """Every page the pool keeps is loaded and idle (the cold spare too, once one is wanted)."""
        cold = sum(1 for item in self._cold.ready._queue if isinstance(item, WarmPage))  # noqa: SLF001
        return self.ready_count >= self.size and cold >= self._cold_wanted

    def resize(self, size: int) -> int:
        """Keep `size` warm pages from now on (within max_pages); the size in force. A larger pool fills
        at once when idle, else when its pages come back; a smaller one closes none, it refills less."""
        self.size = min(max(1, size), max_pages(self.memory_mb))
        self._top_up()
        return self.size

    async def start(self) -> None:
        """Launch Chromium and begin loading the pages (again, after close())."""
        self._closing = False
        await self._ensure_browser()

    async def wait_ready(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Wait until `count` pages are warm (for benchmarks and tests); False on timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.ready_count < min(count, self.size):
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    def _background(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ensure_browser(self) -> Browser:
        async with self._launch_lock:
            if self.alive:
                return self._browser
            await self._drop_browser()
            if self.jail is None:
                self.jail = Jail(find_chromium(self.chromium), self.memory_mb, self.cpus)
            for attempt in range(2):
                if self._pw is None:
                    self._pw = await async_playwright().start()
                try:
                    self._browser = await asyncio.wait_for(
                        launch(self._pw, self.chromium, self.hardware_webgl, wrapper=str(self.jail.wrapper)), 60)
                    break
                except (BrowserUnavailable, TimeoutError):
                    # A dead or stuck Playwright driver fails every launch: start a new one and retry once.
                    await self._stop_driver()
                    if attempt:
                        raise
            self.launches += 1
            self._progress()
            self._top_up()
            return self._browser

    async def _drop_browser(self, killed: bool = False) -> None:
        """Forget a dead browser and every page that belonged to it (`killed`: its processes are gone
        already, so Playwright is not asked to close it: the driver sees its pipe close by itself)."""
        for lane in (self._warm, self._cold):
            while not lane.ready.empty():
                item = lane.ready.get_nowait()
                if isinstance(item, WarmPage):
                    self._forget(item)
                    self._background(item.stop())
        known = await asyncio.to_thread(self.jail.processes) if self.jail is not None else []
        if self._browser is not None:
            browser, self._browser = self._browser, None
            if not killed:
                try:
                    await asyncio.wait_for(browser.close(), 5.0)
                except Exception:
                    pass
        if self.jail is not None:
            await asyncio.to_thread(self.jail.reap, 3.0, known)

    async def _stop_driver(self) -> None:
        if self._pw is not None:
            try:
                await asyncio.wait_for(self._pw.stop(), 5.0)
            except Exception:  # a dead driver cannot be asked to stop
                pass
            self._pw = None

    async def kill(self, driver: bool = False) -> None:
        """The watchdog: kill the whole browser tree at once (a hung GPU process, a renderer that ignores
        terminateExecution), with the Playwright driver when it is suspect too (`driver`), and launch a
        new browser right away in the background (the next take() waits for it or reports why not).

        A healthy driver is kept: starting one costs as much as launching the browser. A dead one fails
        the next launch at once, and _ensure_browser then starts a new driver."""
        if self.jail is not None:
            self.jail.kill_tree()
        async with self._launch_lock:
            await self._drop_browser(killed=True)
            if driver:
                await self._stop_driver()
        if not self._closing:
            self._background(self._relaunch())

    async def _relaunch(self) -> None:
        try:
            await self._ensure_browser()
        except Exception:  # take() launches again and reports the error to the render that waits
            pass

    def _lane(self, wp: WarmPage) -> _Lane:
        """A cold spare's lane (as opposed to one of the `size` pages, cold themselves when not prewarmed)."""
        return self._cold if wp.cold and self.prewarm else self._warm

    def _forget(self, wp: WarmPage) -> None:
        self._lane(wp).owned -= 1
        self._renderers.discard(wp.renderer_pid)

    def _busy(self) -> bool:
        return self._warm.out + self._cold.out + self._warm.waiting + self._cold.waiting > 0

    def _wanted(self, lane: _Lane, keep: int) -> int:
        """Pages the lane should own now: all `keep` when no page of the pool is out (refill while the
        trainer works), else only as many as the renders holding or waiting for one."""
        return min(keep, lane.out + lane.waiting) if self._busy() else keep

    def _top_up(self) -> None:
        if not self._busy():
            retired, self._retired = self._retired, []
            for wp, silenced in retired:
                self._background(wp.stop(silenced))
        for lane, keep, spare in ((self._warm, self.size, False), (self._cold, self._cold_wanted, True)):
            while not self._closing and self.alive and lane.owned < self._wanted(lane, keep):
                lane.owned += 1
                self._background(self._spawn(self._browser, spare))

    async def _spawn(self, browser: Browser, spare: bool) -> None:
        if self._loading == 0:
            self._progress()  # a pool that was idle starts working now: its stall clock starts here
        self._loading += 1
        lane = self._cold if spare else self._warm
        try:
            wp = await open_warm_page(browser, self._files, prewarm=self.prewarm and not spare, jail=self.jail,
                                      taken=self._renderers)
        except asyncio.CancelledError:
            lane.owned -= 1
            raise
        except Exception as e:  # handed to the next take(), which relaunches or reports it
            lane.owned -= 1
            if browser is not self._browser:  # that browser was killed or closed meanwhile: not news
                self._top_up()
                return
            lane.ready.put_nowait(e)
            return
        finally:
            self._loading -= 1
        self.pages_opened += 1
        self._progress()
        wp.pool = self
        if wp.renderer_pid is not None:
            self._renderers.add(wp.renderer_pid)
        if self._closing or browser is not self._browser or not self.alive:
            self._forget(wp)
            self._background(wp.stop())
            self._top_up()  # for the browser that replaced this one, if any
        else:
            lane.ready.put_nowait(wp)

    async def take(self, cold: bool = False) -> WarmPage:
        """A harness page for one render (waits while pages load); `cold`: one where p5 has not started."""
        last_error: BaseException | None = None
        spare = cold and self.prewarm
        if spare and self._cold_wanted == 0:
            self._cold_wanted = 1
        lane = self._cold if spare else self._warm
        lane.waiting += 1
        try:
            for _attempt in range(3):
                await self._ensure_browser()
                self._top_up()
                item = await lane.ready.get()
                if isinstance(item, WarmPage):
                    if item.usable() and self.alive:
                        lane.out += 1
                        item.handed = True
                        return item
                    self._discard(item)
                    continue
                # A page failed to load on a live browser (e.g. its load was interrupted): load a
                # replacement and try again, so one bad load never leaves the pool short for good.
                last_error = item
        finally:
            lane.waiting -= 1
        raise BrowserUnavailable(f"chromium keeps failing to open harness pages: {last_error}")

    def give_back(self, wp: WarmPage) -> None:
        """After a render: close the page's whole context in the background; refill once the pool is idle."""
        wp.used = True
        if wp.handed:
            wp.handed = False
            self._lane(wp).out -= 1
        self._discard(wp)

    def _discard(self, wp: WarmPage) -> None:
        """Close a page for good and load a replacement (now, or when the pool goes idle). While other
        renders run, a page whose sketch answered and went quiet by itself has its scripts switched off now
        and its context closed when the pool is idle: closing takes the browser process's time the running
        renders need. Any other (stopped, timed out, cancelled, crashed) closes at once: whatever work it
        queued (in the GPU process too) ends with its context."""
        self._forget(wp)
        if wp.settled and self._busy() and not self._closing:
            silenced = asyncio.ensure_future(wp.silence())
            self._tasks.add(silenced)
            silenced.add_done_callback(self._tasks.discard)
            self._retired.append((wp, silenced))
            self._bound_retired()
        else:
            self._background(wp.stop())
        self._top_up()

    def _bound_retired(self) -> None:
        """A steady stream of renders (a folder, a pool, a held-out set) keeps the pool busy for good: retired
        pages are closed oldest first beyond `size` of them, and all at once when the jail's memory is half
        used, so waiting pages (each still holding its sketch's heap) never push live renders over the cap."""
        used = self.jail.memory_used() if self.jail is not None else None
        crowded = used is not None and used > self.jail.memory_bytes * RETIRED_MEMORY_SHARE
        keep = 0 if crowded else self.size
        while len(self._retired) > keep:
            wp, silenced = self._retired.pop(0)
            self._background(wp.stop(silenced))

    async def close(self) -> None:
        """Close every page, the browser and the Playwright driver; no Chromium is left running."""
        self._closing = True
        for task in list(self._tasks):
            if not task.done():
                task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        retired, self._retired = self._retired, []
        await asyncio.gather(*(wp.stop(silenced) for wp, silenced in retired), return_exceptions=True)
        await self._drop_browser()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._stop_driver()
        self._cold_wanted = 0
        self._warm, self._cold = _Lane(), _Lane()  # fresh queues: a later start() may run on another loop
        self._renderers.clear()
        self._launch_lock = asyncio.Lock()
        if self.jail is not None:
            await asyncio.to_thread(self.jail.remove)
            self.jail = None
