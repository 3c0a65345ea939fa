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
  const forbidden = [];
  let failure = null;   // first error wins
  let phase = "idle";
  let failed;           // resolves when the sketch fails
  const failedPromise = new Promise((res) => { failed = res; });

  class ForbiddenError extends Error {}

  function forbid(what) {
    forbidden.push(what);
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
  // A console flood would cost Python one browser event per call: pass on the first MAX_CONSOLE only.
  const MAX_CONSOLE = 200;
  let consoleCalls = 0;
  for (const name of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) {
    const real = console[name].bind(console);
    console[name] = (...args) => {
      consoleCalls += 1;
      if (consoleCalls <= MAX_CONSOLE) real(...args);
      else if (consoleCalls === MAX_CONSOLE + 1) real("… more console output dropped");
    };
  }
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
  function isFlat(canvas) {
    const px = new Uint32Array(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    const first = px[0];
    for (let i = 1; i < px.length; i++) if (px[i] !== first) return null;
    const b = new Uint8Array(new Uint32Array([first]).buffer);
    return `rgba(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]})`;
  }

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
    let png = null;
    if (!outcome) {
      const out = R.capture(run, opts.width, opts.height);
      const flat = isFlat(out);
      if (flat) outcome = blank(`the canvas is one flat colour ${flat}`);
      else png = out.toDataURL("image/png");
    }
    base.harnessMs = performance.now() - t0 - run.sketchMs;
    return { ...base, ok: !outcome, error: outcome, png };
  }

  async function prewarm(opts) {
    try {
      return await window.BrushworkRuntime.prewarm(opts);
    } catch (err) {
      return false;  // the sketch then starts p5 the ordinary way
    }
  }

  Object.defineProperty(window, "__brushwork", { value: Object.freeze({ render, prewarm }), writable: false, configurable: false });
  window.__brushworkReady = true;
})();
