/*
 * Brushwork render harness: runs one untrusted sketch in this page and reports a result.
 *
 * The page is loaded ahead of time (p5, p5.brush and runtime.js already parsed) and used for exactly one
 * sketch, so nothing leaks between renders. Python calls `__brushwork.render(options)` once; the sketch
 * is injected as its own <script> named sketch.js so errors carry the user's line and column.
 * Network, navigation, popups and dialogs are refused here (fast, precise messages) and again by the
 * browser-side routes in core/render/sandbox.py (the backstop for anything this file cannot see).
 */
(function () {
  "use strict";

  const SKETCH_URL = "sketch.js";
  // Captured before any sketch runs: a sketch may patch the globals, never these references.
  const apply = Reflect.apply;
  const setAttr = Element.prototype.setAttribute;
  const removeNode = Element.prototype.remove;
  const getById = Document.prototype.getElementById;
  const ownKeys = Object.keys;
  const defineProp = Object.defineProperty;
  const forbidden = [];
  let failure = null;   // first error wins
  let phase = "idle";
  let failed;           // resolves when the sketch fails
  const failedPromise = new Promise((res) => { failed = res; });

  class ForbiddenError extends Error {}

  let record = null;  // the node brush calls are counted on (see seal): Python reads refusals there too

  function forbid(what) {
    forbidden[forbidden.length] = what;  // not push(): Array.prototype.push may be the sketch's
    if (record) apply(setAttr, record, [`forbidden-${forbidden.length}`, "" + what]);
    throw new ForbiddenError(`forbidden: the sketch tried ${what}`);
  }

  const isLocal = (url) => /^(data|blob):/i.test(String(url));

  // -- the sandbox's in-page half ------------------------------------------------------------------
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...a) => forbid(`${name}(${a.length ? JSON.stringify(String(a[0]).slice(0, 60)) : ""})`);
  }
  window.open = (url) => forbid(`window.open(${JSON.stringify(String(url ?? "")).slice(0, 80)})`);
  for (const name of ["write", "writeln", "open"]) {
    document[name] = () => forbid(`document.${name}()`);
  }
  window.close = () => forbid("window.close()");
  // The console is capped for the whole render by frames.js (it runs first in every frame).
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === "string" ? input : (input && input.url) || String(input);
    if (!isLocal(url)) forbid(`fetch(${JSON.stringify(url).slice(0, 120)})`);
    return realFetch(input, init);
  };
  const realXhrOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (!isLocal(url)) forbid(`XMLHttpRequest ${method} ${String(url).slice(0, 120)}`);
    return realXhrOpen.call(this, method, url, ...rest);
  };
  window.WebSocket = function (url) { forbid(`a WebSocket to ${String(url).slice(0, 120)}`); };
  window.EventSource = function (url) { forbid(`an EventSource to ${String(url).slice(0, 120)}`); };
  navigator.sendBeacon = (url) => forbid(`navigator.sendBeacon(${String(url).slice(0, 120)})`);
  const imgSrc = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    get() { return imgSrc.get.call(this); },
    set(url) {
      if (!isLocal(url)) forbid(`to load an image from ${String(url).slice(0, 120)}`);
      imgSrc.set.call(this, url);
    },
    configurable: false,
  });

  // -- errors ------------------------------------------------------------------------------------------
  function position(err, fallbackLine, fallbackCol) {
    const stack = err && typeof err.stack === "string" ? err.stack : "";
    const m = stack.match(/sketch\.js:(\d+):(\d+)/);
    if (m) return { line: +m[1], column: +m[2] };
    if (fallbackLine) return { line: fallbackLine, column: fallbackCol || null };
    return { line: null, column: null };
  }

  function kindOf(err) {
    if (err instanceof ForbiddenError) return "forbidden";
    if (phase === "inject" && err instanceof SyntaxError) return "syntax";
    const msg = String(err && err.message);
    if (err instanceof RangeError && /allocation failed|Invalid (typed )?array length|Invalid string length|out of memory/i.test(msg)) {
      return "memory";
    }
    return "runtime";
  }

  function fail(err, line, col) {
    if (failure) return;
    const isError = err instanceof Error;
    const where = position(err, line, col);
    const name = isError ? err.name : "Error";
    let message = isError ? err.message : `uncaught ${String(err)}`;
    // A syntax error surfaces through our appendChild call; the user does not care about that part.
    message = message.replace(/^Failed to execute 'appendChild' on 'Node': /, "");
    message = String(message).slice(0, 2000);
    failure = { kind: kindOf(err), message: `${name}: ${message}`, line: where.line, column: where.column };
    failed(failure);
  }

  window.addEventListener("error", (e) => {
    const inSketch = e.filename && e.filename.endsWith(SKETCH_URL);
    fail(e.error || new Error(e.message), inSketch || phase === "inject" ? e.lineno : null, e.colno);
  });
  window.addEventListener("unhandledrejection", (e) => fail(e.reason));

  // -- the one render ----------------------------------------------------------------------------------
  function blank(message) {
    return { kind: "blank", message, line: null, column: null };
  }

  async function render(opts) {
    const t0 = performance.now();
    const R = window.BrushworkRuntime;
    const run = R.prepare({ seed: opts.seed, density: opts.density });
    phase = "inject";
    const script = document.createElement("script");
    script.textContent = `${opts.code}\n//# sourceURL=${SKETCH_URL}`;
    R.hideGlobals();
    try {
      document.head.appendChild(script);  // runs synchronously; errors arrive via the "error" event
    } finally {
      const clashes = R.restoreGlobals();
      if (clashes.length) fail(new TypeError(`the sketch defines ${clashes[0]}, which is a p5 name: rename it`));
    }
    phase = "run";
    let started = null;
    if (!failure) {
      try {
        started = R.start({ frames: opts.frames });
      } catch (err) {  // p5 could not even start, e.g. the sketch took the name of a p5 function
        const clash = /Cannot redefine property: (\S+)/.exec(String(err && err.message));
        fail(clash ? new TypeError(`the sketch defines ${clash[1]}, which is a p5 name: rename it`) : err);
      }
    }
    let outcome = failure;
    if (!outcome) {
      outcome = await Promise.race([started.then(() => null, (err) => { fail(err); return failure; }), failedPromise]);
    }
    if (run.needsColdStart && !forbidden.length) return { ok: false, retryCold: true, error: null, png: null };
    const base = { forbidden, sketchMs: run.sketchMs, harnessMs: 0, png: null };
    const webglComplaint = /p5\.brush (requires a WEBGL canvas|could not resolve an active WEBGL sketch)/;
    if (outcome && outcome.kind === "runtime" && webglComplaint.test(outcome.message)) {
      // p5.brush's own end-of-setup hook complains when there is no WEBGL canvas; say it plainly.
      outcome = run.createdCanvas
        ? { ...outcome, message: "p5.brush needs a WEBGL canvas: createCanvas(w, h, WEBGL)" }
        : blank("the sketch never called createCanvas(w, h, WEBGL)");
    }
    if (forbidden.length) outcome = { kind: "forbidden", message: `the sketch tried ${forbidden.join("; ")}`, line: null, column: null };
    if (!outcome && !run.createdCanvas) outcome = blank("the sketch never called createCanvas(w, h, WEBGL)");
    if (!outcome && !R.canvas(run)) outcome = blank("the sketch removed its canvas");
    // The picture is read by Python from an isolated world (core/render/capture.py), never from here.
    base.harnessMs = performance.now() - t0 - run.sketchMs;
    return { ...base, ok: !outcome, error: outcome };
  }

  // -- run-time brush calls ------------------------------------------------------------------------------
  // Before the sketch exists, every method of the real brush object is wrapped so each call is counted on
  // a node only this closure and Python's isolated world hold (the node is taken out of the document
  // here, so the sketch can neither read nor forge it). Counts use captured references only.
  function seal() {
    const node = apply(getById, document, ["__brushwork_calls"]);
    if (!node) return false;
    apply(removeNode, node, []);
    record = node;
    const counts = Object.create(null);
    const real = window.brush;
    for (const name of ownKeys(real)) {
      const fn = real[name];
      if (typeof fn !== "function" || /^[A-Z]/.test(name)) continue;  // classes (Plot, Polygon) are not calls
      const wrapped = function () {
        const n = (counts[name] || 0) + 1;
        counts[name] = n;
        apply(setAttr, node, [name, "" + n]);
        return apply(fn, this, arguments);
      };
      defineProp(real, name, { value: wrapped, writable: true, configurable: true, enumerable: true });
    }
    return true;
  }

  async function prewarm(opts) {
    try {
      return await window.BrushworkRuntime.prewarm(opts);
    } catch (err) {
      return false;  // the sketch then starts p5 the ordinary way
    }
  }

  Object.defineProperty(window, "__brushwork", { value: Object.freeze({ render, prewarm, seal }), writable: false, configurable: false });
  window.__brushworkReady = true;
})();
