/*
 * Brushwork: runs first in EVERY frame of a harness page (the harness and any iframe a sketch makes),
 * before that frame's own scripts. Nothing the sketch logs or throws may cost the browser's driver or
 * Python more than a few KB: everything that crosses the DevTools protocol is capped here, in the page,
 * before it is serialised.
 *
 * - Console: capped for the whole render, not per frame: the top frame owns the budget (MAX_MESSAGES
 *   calls, then one "dropped" note) and every same-origin frame draws on it through a non-configurable
 *   property of the top window that no sketch can replace. A frame that cannot reach the top (an opaque
 *   origin) keeps a budget of its own, and Python stops listening past the same total
 *   (core/render/sandbox.py). Each argument becomes a short string built here (an object's preview, an
 *   error's name and message, a function's name), so no object, Symbol or BigInt reaches the protocol.
 * - Exceptions: Error.prepareStackTrace is locked to V8's own format with the first line capped, so an
 *   error's description (what DevTools sends) stays small; an uncaught exception or rejection whose
 *   payload this file cannot bound (a huge string, an overwritten `stack`, a BigInt, any other object)
 *   is cancelled before the browser reports it and a capped Error is thrown in its place. Only the first
 *   MAX_EXCEPTIONS exceptions of a render are reported at all (Python reads the first).
 * - Workers are refused (a sketch has no use for them, and their requests and console would escape the
 *   page's own checks); dialog messages are clipped.
 * - The top frame hands the harness (harness.js, which runs next) a way to read one stack frame's script
 *   URL from V8's call sites, unforgeable by any script; it is removed before the sketch exists.
 */
(function () {
  "use strict";
  const apply = Reflect.apply;
  const defineProp = Object.defineProperty;
  const getDesc = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf;
  const later = setTimeout;
  const NativeError = Error;
  const captureStackTrace = Error.captureStackTrace;
  const errorToString = Error.prototype.toString;
  const objectToString = Object.prototype.toString;
  const slice = String.prototype.slice;
  const symbolDescription = getDesc(Symbol.prototype, "description").get;
  const functionName = (f) => { try { const d = getDesc(f, "name"); return d && typeof d.value === "string" ? d.value : ""; } catch (e) { return ""; } };
  const MAX_MESSAGES = 200, MAX_CHARS = 500, MAX_ERROR_CHARS = 2000, MAX_EXCEPTIONS = 5;
  const BIG = 10n ** 300n;
  const isTop = window.top === window;

  const clip = (s, n) => (s.length > n ? apply(slice, s, [0, n]) + "…" : s);

  // -- call sites and capped stacks ------------------------------------------------------------------
  let rawSites = false;  // true only inside fileOfCaller(): prepareStackTrace hands back V8's call sites
  let siteToString = null, siteFileName = null;
  function prepare(err, sites) {
    if (rawSites) return sites;
    let head;
    try {
      head = apply(errorToString, err, []);
    } catch (e) {
      head = "Error";
    }
    let out = typeof head === "string" ? clip(head, MAX_ERROR_CHARS) : "Error";
    if (siteToString === null) return out;
    for (let i = 0; i < sites.length; i++) out += "\n    at " + apply(siteToString, sites[i], []);
    return out;
  }
  defineProp(NativeError, "prepareStackTrace", { value: prepare, writable: false, configurable: false });
  rawSites = true;
  try {
    const probe = {};
    captureStackTrace(probe);
    const site = probe.stack[0];
    siteToString = getProto(site).toString;
    siteFileName = getProto(site).getFileName;
  } finally {
    rawSites = false;
  }

  /** The script URL (V8's script name, not a //# sourceURL) of the function that called `below`. */
  function fileOfCaller(below) {
    const holder = {};
    rawSites = true;
    try {
      captureStackTrace(holder, below);
      const sites = holder.stack;
      return sites && sites.length ? apply(siteFileName, sites[0], []) : null;
    } catch (e) {
      return null;
    } finally {
      rawSites = false;
    }
  }
  if (isTop) defineProp(window, "__brushworkCallerFile", { value: fileOfCaller, configurable: true });

  // -- render-wide budgets (the top frame owns them) --------------------------------------------------
  function budget(key, max) {
    try {
      if (!isTop && typeof window.top[key] === "function") return window.top[key];
    } catch (err) {  // cross-origin (opaque) frame: a budget of its own below
    }
    let calls = 0;
    const take = () => { calls += 1; return calls <= max ? 1 : calls === max + 1 ? 0 : -1; };
    if (isTop) defineProp(window, key, { value: take, writable: false, configurable: false, enumerable: false });
    return take;
  }
  const takeMessage = budget("__brushworkConsoleBudget", MAX_MESSAGES);
  const takeException = budget("__brushworkExceptionBudget", MAX_EXCEPTIONS);

  // -- short descriptions of anything --------------------------------------------------------------
  function errorText(v) {
    try {
      const s = apply(errorToString, v, []);
      return typeof s === "string" ? s : "Error";
    } catch (e) {
      return "Error";
    }
  }

  function describe(v, depth) {
    const t = typeof v;
    if (t === "string") return clip(v, MAX_CHARS);
    if (t === "number" || t === "boolean" || v === undefined || v === null) return String(v);
    if (t === "bigint") return v < BIG && v > -BIG ? String(v) + "n" : "a BigInt of over 300 digits";
    if (t === "symbol") return "Symbol(" + clip(String(apply(symbolDescription, v, []) ?? ""), 100) + ")";
    if (t === "function") return "function " + clip(functionName(v), 100);
    try {
      if (apply(objectToString, v, []) === "[object Error]") return clip(errorText(v), MAX_CHARS);
      if (depth > 1) return Array.isArray(v) ? "[…]" : "{…}";
      const parts = [];
      let n = 0, more = false;
      if (Array.isArray(v)) {
        const len = v.length;
        for (let i = 0; i < len; i++) {
          if (n++ >= 20) { more = true; break; }
          parts[parts.length] = describe(v[i], depth + 1);
        }
        return clip("[" + parts.join(", ") + (more ? ", …" : "") + "]", MAX_CHARS);
      }
      for (const k in v) {
        if (n++ >= 10) { more = true; break; }
        parts[parts.length] = clip(k, 60) + ": " + describe(v[k], depth + 1);
      }
      return clip("{" + parts.join(", ") + (more ? ", …" : "") + "}", MAX_CHARS);
    } catch (e) {
      return "[object]";
    }
  }

  // -- the console -------------------------------------------------------------------------------
  for (const name of ["log", "info", "warn", "error", "debug", "trace", "dir", "dirxml", "table", "group",
                      "groupCollapsed", "count", "timeLog", "assert"]) {
    const real = console[name];
    if (typeof real !== "function") continue;
    console[name] = function (...args) {
      const verdict = takeMessage();
      if (verdict === 1) {
        const shown = [];
        for (let i = 0; i < args.length && i < 8; i++) shown[i] = describe(args[i], 0);
        return apply(real, console, shown);
      }
      if (verdict === 0) return apply(real, console, ["… more console output dropped"]);
    };
  }

  // -- exceptions ------------------------------------------------------------------------------------
  const nativeStack = (() => { try { return getDesc(new NativeError("x"), "stack"); } catch (e) { return null; } })();

  /** V8 describes an error as `ClassName: message` + its stack's frames, reading `message` itself: it
   *  must be a short string found without running any getter (own, or inherited from a prototype). */
  function shortMessage(v) {
    let o = v;
    for (let depth = 0; o !== null && depth < 32; depth++) {
      const d = getDesc(o, "message");
      if (d) return "value" in d && (d.value === undefined || (typeof d.value === "string" && d.value.length <= MAX_ERROR_CHARS));
      o = getProto(o);
    }
    return true;
  }

  /** null when the browser may report `v` as it is (its description is known to be small); else the
   *  text of the capped Error to report instead. */
  function replacementFor(v) {
    const t = typeof v;
    if (v === undefined || v === null || t === "number" || t === "boolean") return null;
    if (t === "string") return v.length > MAX_ERROR_CHARS ? "uncaught " + clip(v, MAX_ERROR_CHARS) : null;
    if (t === "bigint" || t === "symbol" || t === "function") return "uncaught " + describe(v, 2);
    try {
      // A native Error whose `stack` is still V8's own: its description is that stack, which the locked
      // prepareStackTrace above keeps short unless the sketch stored a long one through the setter.
      const d = getDesc(v, "stack");
      if (!shortMessage(v)) return "uncaught " + describe(v, 1);
      if (d && nativeStack && d.get === nativeStack.get && d.set === nativeStack.set) {
        const stack = apply(d.get, v, []);
        if (typeof stack === "string" && stack.length <= MAX_ERROR_CHARS * 2) return null;
      } else if (d && "value" in d && typeof d.value === "string" && d.value.length <= MAX_ERROR_CHARS * 2 &&
                 apply(objectToString, v, []) === "[object Error]") {
        return null;
      }
      return "uncaught " + describe(v, 1);
    } catch (e) {
      return "uncaught exception";
    }
  }

  function cap(event, value) {
    if (!event.isTrusted) return;
    const verdict = takeException();
    const instead = verdict === 1 ? replacementFor(value) : null;
    if (verdict !== 1 || instead !== null) event.preventDefault();  // the browser does not report it
    if (instead !== null) later(() => { throw new NativeError(clip(instead, MAX_ERROR_CHARS)); }, 0);
  }
  addEventListener("error", (e) => cap(e, e.error !== undefined ? e.error : e.message), true);
  addEventListener("unhandledrejection", (e) => cap(e, e.reason), true);

  // -- workers and dialogs -------------------------------------------------------------------------
  for (const name of ["Worker", "SharedWorker"]) {
    if (typeof window[name] !== "function") continue;
    window[name] = function () { throw new NativeError(`forbidden: the sketch tried to start a ${name}`); };
  }
  for (const name of ["alert", "confirm", "prompt"]) {
    const real = window[name];
    if (typeof real !== "function") continue;
    window[name] = function (message) { return apply(real, window, [describe(message, 2)]); };
  }
})();
