"""Writer → reader on ONE page slot: nothing a sketch writes, at any moment, reaches the next sketch.

The writer stores state everywhere a page can (window.name, storage, cookies, IndexedDB, CacheStorage,
OPFS, history), again from a `pagehide` handler and from a setInterval that keeps writing after its
render; the reader fails loudly if it finds any of it, and its picture must equal its render alone.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))
from sketches import NORMAL, assert_normal, pixel_diff  # noqa: E402

from core.render import Renderer  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WRITER = """
function writeEverything(tag) {
  try { window.name = "leak-" + tag; } catch (e) {}
  try { localStorage.setItem("leak", tag); sessionStorage.setItem("leak", tag); } catch (e) {}
  try { document.cookie = "leak=" + tag + "; max-age=3600"; } catch (e) {}
  try { indexedDB.open("leak-" + tag); } catch (e) {}
  try { caches.open("leak").then((c) => c.put("/leak", new Response(tag))).catch(() => {}); } catch (e) {}
  try {
    navigator.storage.getDirectory().then((d) => d.getFileHandle("leak-" + tag, { create: true })).catch(() => {});
  } catch (e) {}
}
async function setup() {
  createCanvas(512, 512, WEBGL);
  background(255, 0, 0);
  rect(0, 0, 20, 20);  // not one flat colour, or the writer itself would be `blank`
  writeEverything("setup");
  history.pushState({}, "", "#leak");
  history.pushState({}, "", "#leak2");
  addEventListener("pagehide", () => writeEverything("pagehide"));
  addEventListener("beforeunload", () => writeEverything("beforeunload"));
  setInterval(() => writeEverything("interval"), 0);
  await new Promise((r) => setTimeout(r, 300));
}
"""

READER = """
async function findLeaks() {
  const leaks = [];
  if (window.name) leaks.push("window.name=" + window.name);
  if (localStorage.length) leaks.push("localStorage");
  if (sessionStorage.length) leaks.push("sessionStorage");
  if (document.cookie) leaks.push("cookie " + document.cookie);
  if (history.length > 2) leaks.push("history.length=" + history.length);  // a fresh page: about:blank + harness
  if (location.hash) leaks.push("hash");
  try { if ((await indexedDB.databases()).length) leaks.push("IndexedDB"); } catch (e) {}
  try { if ((await caches.keys()).length) leaks.push("CacheStorage"); } catch (e) {}
  try {
    const dir = await navigator.storage.getDirectory();
    for await (const name of dir.keys()) { leaks.push("OPFS " + name); break; }
  } catch (e) {}
  return leaks;
}
""" + NORMAL.replace("function setup() {", """async function setup() {
  const leaks = await findLeaks();
  if (leaks.length) throw new Error("leaked: " + leaks.join(", "));""")


def test_writer_leaves_nothing_for_the_reader():
    async def main():
        async with Renderer(pool_size=1) as r:
            alone = await r.render(READER, timeout=60, use_cache=False)
            written = await r.render(WRITER, timeout=60, use_cache=False)
            await asyncio.sleep(1.0)  # the writer's interval and unload handlers would run now
            after = await r.render(READER, timeout=60, use_cache=False)
            return alone, written, after

    alone, written, after = asyncio.run(main())
    assert alone.ok, alone.error
    assert written.ok, written.error
    assert after.ok, after.error
    assert_normal(after.png)
    assert pixel_diff(alone.png, after.png) < 50


def test_the_reader_is_not_vacuous(renderer):
    """Leaks inside one render are reported, so a clean reader above means nothing crossed."""
    # IndexedDB.open is asynchronous and not awaited by the writer: on a busy machine the database can
    # appear after the writer's 300 ms, so the reader looks again for up to 10 s before it reports.
    code = WRITER.replace("async function setup() {", "async function setup_writer() {") + READER.replace(
        "const leaks = await findLeaks();",
        "await setup_writer();\n  let leaks = await findLeaks();\n"
        "  for (let i = 0; i < 100 && !leaks.includes(\"IndexedDB\"); i++) {\n"
        "    await new Promise((r) => setTimeout(r, 100));\n    leaks = await findLeaks();\n  }")
    result = renderer.render(code, timeout=60, use_cache=False)
    assert not result.ok and "leaked:" in result.error.message, result.error
    for what in ("window.name", "localStorage", "sessionStorage", "cookie", "history.length", "IndexedDB"):
        assert what in result.error.message, result.error.message
