"""One sandboxed, pre-loaded harness page: its own browser context, routes, and event capture.

Each page lives in its own BrowserContext and runs exactly one sketch per document: before the next
sketch the page is navigated to a fresh harness document (a new JavaScript realm: no window globals,
prototypes, p5 or p5.brush state survive) after the origin's storage is wiped through CDP, so a render
cannot see anything the previous one left behind. Reloading in the same renderer process is ~3× cheaper
than a new page. The harness is served from memory by `context.route`; every other request is aborted
and, once the harness is loaded ("sealed"), recorded as a `forbidden` attempt. WebSockets are refused by
`route_web_socket`, dialogs are dismissed and popups closed — each recorded the same way.
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, CDPSession, Page, Route, WebSocketRoute

from core.paths import RESOURCES, p5_brush_js, p5_js

HARNESS_DIR = RESOURCES / "harness"
ORIGIN = "http://harness.localhost"
HARNESS_URL = f"{ORIGIN}/harness.html"
MAX_CONSOLE = 200          # messages kept per render; a console flood must not eat memory
MAX_CONSOLE_CHARS = 500
MAX_USES = 100             # a page is replaced after this many sketches, bounding slow leaks in its process


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
    busy: bool = False         # a script may still be running (timeout, cancel): terminate before reuse
    uses: int = 0              # documents loaded in this page; replaced after MAX_USES

    def usable(self) -> bool:
        return not (self.crashed or self.closed) and self.uses < MAX_USES

    async def terminate(self) -> None:
        """Stop whatever script the page is running (a no-op when idle)."""
        if self.busy and self.cdp is not None and not self.crashed:
            try:
                await asyncio.wait_for(self.cdp.send("Runtime.terminateExecution"), 1.0)
            except Exception:  # already gone, or nothing was running
                pass
        self.busy = False

    def note_console(self, text: str) -> None:
        if "GL Driver Message" in text:  # SwiftShader performance chatter, not the sketch's output
            return
        if len(self.console) < MAX_CONSOLE:
            self.console.append(text[:MAX_CONSOLE_CHARS])
        elif len(self.console) == MAX_CONSOLE:
            self.console.append("… (more console output dropped)")

    def forbid(self, what: str) -> None:
        if self.sealed and what not in self.forbidden:
            self.forbidden.append(what)

    async def stop(self) -> None:
        """Stop any running script, then close the context (and its renderer process)."""
        if self.closed:
            return
        self.closed = True
        await self.terminate()
        try:
            await asyncio.wait_for(self.context.close(), 5.0)
        except Exception:
            pass


async def open_warm_page(browser: Browser, files: HarnessFiles, *, ready_timeout: float = 20.0,
                         prewarm: bool = True) -> WarmPage:
    """A new context + page with the harness loaded and sealed."""
    context = await browser.new_context(
        viewport={"width": 800, "height": 600}, service_workers="block", accept_downloads=False
    )
    wp = WarmPage(context=context)
    try:
        await _install_routes(wp, files)
        page = await context.new_page()
        wp.page = page
        page.on("console", lambda msg: wp.note_console(f"{msg.type}: {msg.text}"))
        page.on("dialog", lambda d: _refuse_dialog(wp, d))
        page.on("crash", lambda _p: setattr(wp, "crashed", True))
        context.on("page", lambda p: _refuse_popup(wp, p))
        # Opened before any sketch runs: a busy page still answers Runtime.terminateExecution.
        wp.cdp = await context.new_cdp_session(page)
        await load_harness(wp, ready_timeout=ready_timeout, prewarm=prewarm)
        return wp
    except BaseException:
        await wp.stop()
        raise


async def load_harness(wp: WarmPage, *, ready_timeout: float = 20.0, prewarm: bool = True) -> None:
    """Give the page a fresh harness document with clean storage; ready for one sketch."""
    await wp.terminate()
    wp.sealed = False
    wp.console.clear()
    wp.forbidden.clear()
    # A new document resets every JS global; storage lives on per origin, so wipe it too.
    await wp.cdp.send("Storage.clearDataForOrigin", {"origin": ORIGIN, "storageTypes": "all"})
    await wp.page.goto(HARNESS_URL, wait_until="load", timeout=ready_timeout * 1000)
    if not await wp.page.evaluate("window.__brushworkReady === true && typeof p5 === 'function' && !!window.brush"):
        raise RuntimeError("the harness page loaded but p5 / p5.brush did not start")
    if prewarm:  # a hot 512×512 WEBGL canvas with p5.brush's shaders compiled (see runtime.js)
        await asyncio.wait_for(wp.page.evaluate("() => window.__brushwork.prewarm({width: 512, height: 512})"),
                               ready_timeout)
    wp.console.clear()
    wp.uses += 1
    wp.sealed = True


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

    async def on_websocket(ws: WebSocketRoute) -> None:
        wp.forbid(f"a WebSocket to {ws.url[:120]}")
        await ws.close(code=1008, reason="forbidden")

    await wp.context.route("**/*", on_request)
    await wp.context.route_web_socket(re.compile(".*"), on_websocket)


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
