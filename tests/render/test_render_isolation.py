"""Nothing leaks from one sketch to the next, even when the same page renders both."""
from __future__ import annotations

import asyncio

from sketches import NORMAL, assert_normal

from core.render import Renderer

POLLUTER = NORMAL.replace("function setup() {", """
var leakedVar = 1;
window.leakedProp = 2;
globalThis.leakedGlobal = 3;
Array.prototype.leakedMethod = function () {};
localStorage.setItem("leaked", "4");
sessionStorage.setItem("leaked", "5");
document.cookie = "leaked=6";
brush.leaked = 7;
function setup() {""")

INSPECTOR = NORMAL.replace("function setup() {", """
function setup() {
  const leaks = [];
  if (typeof leakedVar !== "undefined") leaks.push("var");
  if ("leakedProp" in window) leaks.push("window property");
  if (typeof leakedGlobal !== "undefined") leaks.push("globalThis property");
  if ([].leakedMethod) leaks.push("prototype");
  if (localStorage.getItem("leaked")) leaks.push("localStorage");
  if (sessionStorage.getItem("leaked")) leaks.push("sessionStorage");
  if (document.cookie.includes("leaked")) leaks.push("cookie");
  if (brush.leaked) leaks.push("brush object");
  if (leaks.length) throw new Error("leaked: " + leaks.join(", "));""")


def test_no_leak_between_renders_on_one_page():
    async def main():
        async with Renderer(pool_size=1) as r:  # one page: the second sketch reuses the first one's page
            first = await r.render(POLLUTER, use_cache=False)
            second = await r.render(INSPECTOR, use_cache=False)
            return first, second, r.browser_launches

    first, second, launches = asyncio.run(main())
    assert first.ok, first.error
    assert second.ok, second.error
    assert_normal(second.png)
    assert launches == 1


def test_inspector_sees_its_own_pollution(renderer):
    """The inspector is not vacuous: pollution in the same sketch is reported."""
    code = POLLUTER.replace("function setup() {", "function setup_unused() {") + INSPECTOR
    result = renderer.render(code, use_cache=False)
    assert not result.ok and result.error.kind == "runtime"
    assert "leaked: var, window property, globalThis property, prototype, localStorage, sessionStorage, cookie, brush object" in result.error.message
