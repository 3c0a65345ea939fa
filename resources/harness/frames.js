/*
 * Brushwork: runs first in EVERY frame of a harness page (the harness and any iframe a sketch makes),
 * before that frame's own scripts. The console is capped for the whole render, not per frame: the top
 * frame owns the budget (MAX_MESSAGES calls, then one "dropped" note) and every same-origin frame draws
 * on it through a non-configurable property of the top window that no sketch can replace. A frame that
 * cannot reach the top (an opaque origin) keeps a budget of its own, and Python stops listening past
 * the same total (core/render/sandbox.py). Messages are clipped in length and argument count before they
 * cost the browser, Playwright or Python anything. Workers are refused (a sketch has no use for them,
 * and their requests and console would escape the page's own checks).
 */
(function () {
  "use strict";
  const apply = Reflect.apply;
  const MAX_MESSAGES = 200, MAX_CHARS = 500;
  const KEY = "__brushworkConsoleBudget";
  // take(): 1 = print this call, 0 = print the one "dropped" note instead, -1 = print nothing
  let take = null;
  try {
    if (window.top !== window && typeof window.top[KEY] === "function") take = window.top[KEY];
  } catch (err) {  // cross-origin (opaque) frame: a budget of its own below
  }
  if (!take) {
    let calls = 0;
    take = () => { calls += 1; return calls <= MAX_MESSAGES ? 1 : calls === MAX_MESSAGES + 1 ? 0 : -1; };
    if (window.top === window) {
      Object.defineProperty(window, KEY, { value: take, writable: false, configurable: false, enumerable: false });
    }
  }
  const clip = (a) => (typeof a === "string" && a.length > MAX_CHARS ? a.slice(0, MAX_CHARS) + "…" : a);
  for (const name of ["log", "info", "warn", "error", "debug", "trace", "dir", "dirxml", "table", "group",
                      "groupCollapsed", "count", "timeLog", "assert"]) {
    const real = console[name];
    if (typeof real !== "function") continue;
    console[name] = function (...args) {
      const verdict = take();
      if (verdict === 1) return apply(real, console, args.slice(0, 8).map(clip));
      if (verdict === 0) return apply(real, console, ["… more console output dropped"]);
    };
  }
  for (const name of ["Worker", "SharedWorker"]) {
    if (typeof window[name] !== "function") continue;
    window[name] = function () { throw new Error(`forbidden: the sketch tried to start a ${name}`); };
  }
})();
