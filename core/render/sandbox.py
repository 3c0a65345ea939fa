"""One sandboxed, pre-loaded harness page for ONE sketch: its own browser context, routes and CDP probes.

Every render gets a page in a browser context of its own that is discarded right after (never wiped and
reused), so nothing a sketch writes — storage, cookies, caches, window.name, history, timers or unload
handlers — can reach the next one. Before closing, script execution is switched off and the running
script terminated, so no `pagehide` / `unload` handler runs. The harness is served from memory by
`context.route`; any other request is aborted and, once the harness is sealed, recorded as a `forbidden`
attempt, as are requests, WebSockets and WebTransports seen by CDP Network events (browser side, not
page JavaScript). No WebSocket route is installed: its binding is reachable from the page and crashes
Playwright's driver; the network namespace (jail.py) refuses WebSockets anyway. The page's CSP refuses a
dynamic import() of a data: or blob: module; the browser's own report of it (CDP `Audits`) is a
`forbidden` attempt too. Exceptions arrive through CDP `Runtime.exceptionThrown`; frames.js caps every
console and exception payload in the page before it is serialised, and refuses workers. A page can tell
how much CPU its main thread has used (CDP `Performance`), the sketch clock's floor (clock.py).
"""
from __future__ import annotations

import asyncio
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, CDPSession, Page, Route

from core.paths import RESOURCES, p5_brush_js, p5_js
from core.render.capture import MAX_REFUSALS, adopt_canvases, is_harness_signal, open_world
from core.render.clock import cpu_time

HARNESS_DIR = RESOURCES / "harness"
ORIGIN = "http://harness.localhost"
HARNESS_URL = f"{ORIGIN}/harness.html"
READY_TIMEOUT_S = 60.0    # loading p5 + prewarm takes ~1 s idle, tens of seconds on a machine others crowd
MAX_CONSOLE = 200          # messages kept per render (as in frames.js); a console flood must not eat memory
MAX_CONSOLE_CHARS = 500


def _harness_files() -> dict[str, tuple[Path, str]]:
    js = "text/javascript; charset=utf-8"
    return {
        # UTF-8 matters: p5 2.x holds a Unicode regular expression that fails to parse otherwise.
        "/harness.html": (HARNESS_DIR / "harness.html", "text/html; charset=utf-8"),
        "/harness.js": (HARNESS_DIR / "harness.js", js),
        "/runtime.js": (HARNESS_DIR / "runtime.js", js),
        "/lib/p5.min.js": (p5_js(), js),
        "/lib/p5.brush.js": (p5_brush_js(), js),
    }


class HarnessFiles:
    """The harness's files, read from disk once and served from memory to every page."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.frames_js = (HARNESS_DIR / "frames.js").read_text()
        for url_path, (path, ctype) in _harness_files().items():
            if not path.exists():
                raise FileNotFoundError(f"harness file missing: {path} (run `npm ci` in resources/)")
            self.files[url_path] = (path.read_bytes(), ctype)


@dataclass
class WarmPage:
    """A harness page ready for one sketch, plus everything it reported so far."""

    context: BrowserContext
    page: Page | None = None
    cdp: CDPSession | None = None
    console: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    crashed: bool = False
    sealed: bool = False       # harness loaded: from now on every request is the sketch's doing
    closed: bool = False
    busy: bool = False         # a script may still be running (timeout, cancel): terminate before closing
    used: bool = False         # a sketch ran here: the page is closed, never handed out again
    handed: bool = False       # handed to a render by the pool and not yet given back
    pool: Any = None           # the PagePool (browser) the page belongs to
    settled: bool = False      # the sketch answered and went quiet by itself: closing it may wait (pages.py)
    world: int | None = None   # isolated world's execution context (capture.py)
    recording: bool = False    # exceptions count from the sketch's injection on
    exceptions: list[dict] = field(default_factory=list)
    exception_seen: asyncio.Event = field(default_factory=asyncio.Event)
    renderer_pid: int | None = None     # its renderer process, when it could be told apart (clock.py)
    hold: asyncio.Future | None = None  # the watchdog's health probe still uses this page: close after it
    cold: bool = False         # p5 not started ahead of time: the sketch's own start makes its canvas
    cpu_start: float | None = None  # the main thread's CPU seconds when this render began (clock floor)

    def note_crash(self) -> None:
        self.crashed = True
        if self.pool is not None:
            self.pool.page_crashes += 1

    def usable(self) -> bool:
        return not (self.crashed or self.closed or self.used)

    async def terminate(self) -> None:
        """Stop whatever script the page is running (a no-op when idle)."""
        if self.busy and self.cdp is not None and not self.crashed:
            try:
                await asyncio.wait_for(self.cdp.send("Runtime.terminateExecution"), 1.0)
            except Exception:  # already gone, or nothing was running
                pass
        self.busy = False

    def note_console(self, text: str) -> bool:
        """Keep one console line; False once the render's total is reached (stop listening then)."""
        if "GL Driver Message" in text:  # SwiftShader performance chatter, not the sketch's output
            return True
        if len(self.console) < MAX_CONSOLE + 1:  # frames.js's own "dropped" note is the last one kept
            self.console.append(text[:MAX_CONSOLE_CHARS])
            return True
        if len(self.console) == MAX_CONSOLE + 1:
            self.console.append("… (more console output dropped)")
        return False

    def forbid(self, what: str) -> None:
        if self.sealed and len(self.forbidden) < MAX_REFUSALS and what not in self.forbidden:
            self.forbidden.append(what[:200])

    async def main_thread_s(self, timeout: float = 1.0) -> float | None:
        """CPU seconds the page's main thread has run (Blink's own count, CDP `Performance`): the sketch's
        JavaScript runs there, so its time is never charged less than this. None when it cannot answer."""
        if self.cdp is None or self.crashed:
            return None
        try:
            reply = await asyncio.wait_for(self.cdp.send("Performance.getMetrics"), timeout)
        except Exception:
            return None
        for metric in reply.get("metrics", []):
            if metric.get("name") == "ThreadTime":
                return float(metric["value"])
        return None

    def note_exception(self, params: dict) -> None:
        details = params.get("exceptionDetails") or {}
        if self.recording and not is_harness_signal(details):
            self.exceptions.append(details)
            self.exception_seen.set()

    def note_network(self, what: str, url: str) -> None:
        if not url.startswith(ORIGIN + "/") and not url.startswith(("data:", "blob:", "about:")):
            self.forbid(f"{what} to {url[:120]}")

    async def freeze(self) -> None:
        """No script of this page runs again (unload and pagehide handlers, timers included)."""
        if self.cdp is None or self.crashed:
            return
        try:
            await asyncio.wait_for(self.cdp.send("Emulation.setScriptExecutionDisabled", {"value": True}), 1.0)
        except Exception:  # busy or gone: terminate() and closing still follow
            pass

    async def silence(self) -> None:
        """Stop any running script and switch scripts off for good (after the watchdog's probe, if any)."""
        if self.hold is not None:
            await asyncio.wait({self.hold}, timeout=10)
        await self.terminate()
        await self.freeze()

    async def stop(self, silenced: asyncio.Future | None = None) -> None:
        """Stop any running script, switch scripts off, then close the context (and its renderer).
        `silenced`: silence() already under way (a close put off until the pool is idle)."""
        if self.closed:
            return
        self.closed = True
        if silenced is not None:
            await asyncio.wait({silenced})
        else:
            await self.silence()
        try:
            await asyncio.wait_for(self.context.close(), 5.0)
        except Exception:
            pass


async def open_warm_page(browser: Browser, files: HarnessFiles, *, ready_timeout: float = READY_TIMEOUT_S,
                         prewarm: bool = True, jail=None, taken: Collection[int] = ()) -> WarmPage:
    """A new context + page with the harness loaded and sealed, and its renderer process found through `jail`
    among those no other live page holds (`taken`). Pages load side by side: nothing here is serialised."""
    context = await browser.new_context(
        viewport={"width": 800, "height": 600}, service_workers="block", accept_downloads=False
    )
    wp = WarmPage(context=context)
    try:
        await context.add_init_script(files.frames_js)
        await _install_routes(wp, files)
        await _open_page(wp, ready_timeout, prewarm)
        if jail is not None:
            wp.renderer_pid = await find_renderer(wp, jail, taken)
        return wp
    except BaseException:
        await wp.stop()
        raise


async def _open_page(wp: WarmPage, ready_timeout: float, prewarm: bool) -> None:
    context = wp.context
    page = wp.page = await context.new_page()

    def on_console(msg) -> None:
        # Past the render's total (frames from an opaque origin keep budgets of their own), stop listening:
        # Playwright then stops sending this page's console to Python at all.
        if not wp.note_console(f"{msg.type}: {msg.text}"):
            page.remove_listener("console", on_console)

    page.on("console", on_console)
    page.on("dialog", lambda d: _refuse_dialog(wp, d))
    page.on("crash", lambda _p: wp.note_crash())
    context.on("page", lambda p: _refuse_popup(wp, p))
    # Opened before any sketch runs: a busy page still answers Runtime.terminateExecution.
    cdp = wp.cdp = await context.new_cdp_session(page)
    cdp.on("Runtime.exceptionThrown", wp.note_exception)
    cdp.on("Network.requestWillBeSent",
           lambda p: wp.note_network(f"a network request ({p.get('type', '?')})", p["request"]["url"]))
    cdp.on("Network.webSocketCreated", lambda p: wp.note_network("a WebSocket", p.get("url", "")))
    cdp.on("Network.webTransportCreated", lambda p: wp.note_network("a WebTransport", p.get("url", "")))
    cdp.on("Audits.issueAdded", lambda p: _note_issue(wp, p))
    await cdp.send("Runtime.enable")
    await cdp.send("Network.enable")
    await cdp.send("Audits.enable")  # the browser's own word on a script the page's CSP refused
    await cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    await load_harness(wp, ready_timeout=ready_timeout, prewarm=prewarm)


async def load_harness(wp: WarmPage, *, ready_timeout: float = READY_TIMEOUT_S, prewarm: bool = True) -> None:
    """Give the page a fresh harness document, an isolated world and a wrapped brush; ready for one sketch."""
    await wp.terminate()
    wp.sealed = wp.recording = False
    wp.console.clear()
    wp.forbidden.clear()
    await wp.page.goto(HARNESS_URL, wait_until="load", timeout=ready_timeout * 1000)
    if not await wp.page.evaluate("window.__brushworkReady === true && typeof p5 === 'function' && !!window.brush"):
        raise RuntimeError("the harness page loaded but p5 / p5.brush did not start")
    # Sealed before p5 starts: every canvas p5 makes for its main canvas, the pre-made one included, is one
    # the harness made and the isolated world holds (capture.py).
    wp.world = await asyncio.wait_for(open_world(wp.cdp), ready_timeout)
    if not await wp.page.evaluate("() => window.__brushwork.seal()"):
        raise RuntimeError("the harness could not set up brush call counting")
    if not await asyncio.wait_for(adopt_canvases(wp.cdp, wp.world), ready_timeout):
        raise RuntimeError("the isolated world found no canvases to watch")
    wp.cold = not prewarm
    if prewarm:  # a hot 512×512 WEBGL canvas with p5.brush's shaders compiled (see runtime.js)
        await asyncio.wait_for(wp.page.evaluate("() => window.__brushwork.prewarm({width: 512, height: 512})"),
                               ready_timeout)
    wp.console.clear()
    wp.exceptions.clear()
    wp.exception_seen.clear()
    wp.sealed = True


MATCH_SPIN_MS = 10   # between rounds the page's main thread spins this long (wall time)
MATCH_ROUNDS = 8
MATCH_SLACK_S = 50e-6  # CDP gives Blink's clock to the microsecond


async def find_renderer(wp: WarmPage, jail, taken: Collection[int] = ()) -> int | None:
    """Which renderer process runs this page, told apart without stopping other pages from loading.

    The page's main thread keeps its own CPU clock (CDP `Performance` ThreadTime, Blink's count, which the
    page's JavaScript cannot touch); the kernel keeps every renderer main thread's (schedstat). For the
    page's own renderer the two differ by a constant: reading the kernel's just before and just after
    asking Blink brackets that constant, and the brackets of every round overlap. Between rounds the page
    spins, so an idle renderer's bracket moves away by what the page gained and a loading one's moves
    by what it did; rounds repeat until one candidate is left (None when none is: the clock then falls
    back to plain wall time for this page)."""
    candidates = await asyncio.to_thread(jail.page_renderers)
    spin = ("{ const t = performance.now(); "
            f"while (performance.now() - t < {MATCH_SPIN_MS}) {{}} }}")
    bounds = {pid: (-math.inf, math.inf) for pid in candidates - set(taken)}
    for done in range(MATCH_ROUNDS):
        if done:
            await wp.cdp.send("Runtime.evaluate", {"expression": spin, "contextId": wp.world})
        before = {pid: cpu_time(pid) for pid in bounds}
        page = await wp.main_thread_s(READY_TIMEOUT_S)
        after = {pid: cpu_time(pid) for pid in bounds}
        if page is None:  # the page cannot say (it crashed): no renderer to watch
            return None
        for pid, (low, high) in list(bounds.items()):
            if before[pid] is None or after[pid] is None:
                del bounds[pid]
                continue
            low, high = max(low, before[pid] - page), min(high, after[pid] - page)
            if low > high + MATCH_SLACK_S:
                del bounds[pid]
            else:
                bounds[pid] = (low, high)
        if done and len(bounds) <= 1:  # two rounds at least: one spin apart, idle renderers drop out
            break
    return next(iter(bounds)) if len(bounds) == 1 else None


async def _install_routes(wp: WarmPage, files: HarnessFiles) -> None:
    async def on_request(route: Route) -> None:
        req = route.request
        path = urlsplit(req.url).path
        if not wp.sealed and req.url.startswith(ORIGIN + "/") and path in files.files:
            body, ctype = files.files[path]
            await route.fulfill(status=200, body=body, headers={"content-type": ctype, "cache-control": "no-store"})
            return
        if req.is_navigation_request():
            wp.forbid(f"to navigate to {req.url[:120]}")
        elif path != "/favicon.ico" or not req.url.startswith(ORIGIN):
            wp.forbid(f"a network request ({req.resource_type}) to {req.url[:120]}")
        await route.abort("blockedbyclient")

    await wp.context.route("**/*", on_request)


def _note_issue(wp: WarmPage, params: dict) -> None:
    """A Content-Security-Policy refusal (a dynamic import() of a data: or blob: module, a script from
    elsewhere), reported by the browser itself."""
    issue = params.get("issue") or {}
    details = (issue.get("details") or {}).get("contentSecurityPolicyIssueDetails")
    if issue.get("code") == "ContentSecurityPolicyIssue" and details:
        where = str(details.get("blockedURL") or details.get("contentSecurityPolicyViolationType") or "?")[:60]
        wp.forbid(f"to load a script from {where} (refused by the page's content security policy)")


def _refuse_dialog(wp: WarmPage, dialog) -> None:
    wp.forbid(f"a {dialog.type} dialog")
    asyncio.ensure_future(_quietly(dialog.dismiss()))


def _refuse_popup(wp: WarmPage, page: Page) -> None:
    if page is wp.page:
        return
    wp.forbid(f"to open a popup ({page.url[:120]})")
    asyncio.ensure_future(_quietly(page.close()))


async def _quietly(awaitable) -> None:
    try:
        await awaitable
    except Exception:
        pass
