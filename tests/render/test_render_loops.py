"""The renderer outside plain asyncio.run: under qasync's Qt event loop, and without a browser."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from core.render import Renderer, SyncRenderer
from core.render.types import BrowserUnavailable

REPO = Path(__file__).resolve().parents[2]

QASYNC_SCRIPT = """
import asyncio, json, os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication
import qasync
from core.render import Renderer

OK = "function setup(){ createCanvas(64, 64, WEBGL); background(0); fill(255); rect(0, 0, 9, 9); }"
LOOP = "function setup(){ createCanvas(64, 64, WEBGL); while (true) {} }"

async def main():
    async with Renderer(pool_size=1) as r:
        first = await r.render(OK, size=64, use_cache=False)
        task = asyncio.ensure_future(r.render(LOOP, timeout=30))
        await asyncio.sleep(0.5)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        after = await r.render(OK, size=64, use_cache=False)
        return [first.ok, task.cancelled(), after.ok]

app = QCoreApplication.instance() or QCoreApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
with loop:
    print(json.dumps(loop.run_until_complete(main())), flush=True)
"""


def test_renders_and_cancels_under_a_qasync_loop():
    out = subprocess.run([sys.executable, "-c", QASYNC_SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120)
    lines = [line for line in out.stdout.splitlines() if line.startswith("[")]
    assert lines, out.stderr[-2000:]
    assert json.loads(lines[-1]) == [True, True, True]


def test_missing_chromium_is_a_browser_error():
    async def main():
        async with Renderer(pool_size=1, chromium="/nonexistent/chromium") as r:
            return await r.render("function setup() {}")

    try:
        asyncio.run(main())
        raise AssertionError("start() should have raised")
    except BrowserUnavailable as e:
        assert "apt-get install chromium" in str(e)

    async def lazy():
        r = Renderer(pool_size=1, chromium="/nonexistent/chromium")
        try:
            return await r.render("function setup() {}")  # render() reports it instead of raising
        finally:
            await r.close()

    result = asyncio.run(lazy())
    assert not result.ok and result.error.kind == "browser"
    assert "chromium not found" in result.error.message


def test_sync_renderer_reports_missing_chromium():
    r = SyncRenderer(pool_size=1, chromium="/nonexistent/chromium")
    try:
        result = r.render("function setup() {}")
        assert result.error.kind == "browser"
    finally:
        r.close()
