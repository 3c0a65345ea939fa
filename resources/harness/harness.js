/*
 * Brushwork render harness: runs one untrusted sketch in this page and reports a result.
 *
 * The page is loaded ahead of time (p5, p5.brush and runtime.js already parsed) and used for exactly one
 * sketch, so nothing leaks between renders. Python calls `__brushwork.render(options)` once; the sketch
 * is injected as its own <script> named sketch.js so errors carry the user's line and column.
 * Network, navigation, popups and dialogs are refused here (fast, precise messages) and again by the
 * browser-side routes in core/render/sandbox.py (the backstop for anything this file cannot see).
 *
 * Truth the sketch cannot reach (see seal()): a private node only this closure and Python's isolated
 * world hold; the canvases p5 may use as its main canvas, made here before the sketch exists; brush calls
 * counted when they return normally, a drawing call only when p5.brush itself marked its canvas during
 * the call; and a snapshot of the picture taken by the isolated world the moment this harness answers.
 */
(function () {
  "use strict";

  const SKETCH_URL = "sketch.js";
  // The name goes first: V8 reads a sourceURL comment only once its parser reaches it, so a trailing one
  // is never seen by a script that fails to parse above it (its error would be placed in the harness page).
  const HEADER = `//# sourceURL=${SKETCH_URL}\n`;
  const HEADER_LINES = 1;  // lines in the sketch's script before the user's first (core/render/capture.py)
  const BRUSH_URL = new URL("lib/p5.brush.js", location.href).href;
  // Captured before any sketch runs: a sketch may patch the globals, never these references.
  const apply = Reflect.apply;
  const setAttr = Element.prototype.setAttribute;
  const removeNode = Element.prototype.remove;
  const appendNode = Node.prototype.appendChild;
  const getById = Document.prototype.getElementById;
  const createElement = Document.prototype.createElement;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const listen = EventTarget.prototype.addEventListener;
  const BareEvent = Event;
  const ownKeys = Object.keys;
  const defineProp = Object.defineProperty;
  const getDesc = Object.getOwnPropertyDescriptor;
  const floor = Math.floor;
  const WeakSetHas = WeakSet.prototype.has, WeakSetAdd = WeakSet.prototype.add;
  // frames.js (which ran first) left the one reader of V8's call sites for this file alone.
  const callerFile = window.__brushworkCallerFile;
  delete window.__brushworkCallerFile;
  const MAX_FORBIDDEN = 20;     // attempts kept (each is refused either way): a flood must not grow the answer
  const MAIN_CANVASES = 16;     // createCanvas / setAttributes calls a sketch may make on its main canvas
  const forbidden = [];
  let failure = null;   // first error wins
  let phase = "idle";
  let failed;           // resolves when the sketch fails
  const failedPromise = new Promise((res) => { failed = res; });

  class ForbiddenError extends Error {}

  let record = null;  // the private node (see seal): counts, refusals and the snapshot's orders

  function note(what) {
    const n = forbidden.length;
    if (n >= MAX_FORBIDDEN) return;
    forbidden[n] = "" + what;  // not push(): Array.prototype.push may be the sketch's
    if (record) apply(setAttr, record, [`forbidden-${n + 1}`, "" + what]);
  }

  function forbid(what) {
    note(what);
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
    if (m) return { line: +m[1] - HEADER_LINES, column: +m[2] };
    if (fallbackLine) return { line: fallbackLine - HEADER_LINES, column: fallbackCol || null };
    return { line: null, column: null };
  }

  // A sketch's own exception is `runtime` whatever it says: `memory` comes only from the browser's own
  // out-of-memory signals (a crashed page, the cgroup's OOM count), read in core/render/renderer.py.
  function kindOf(err) {
    if (err instanceof ForbiddenError) return "forbidden";
    if (phase === "inject" && err instanceof SyntaxError) return "syntax";
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
  // The page's Content-Security-Policy (harness.html) makes the browser refuse a dynamic import() of a
  // data: or blob: module, or a script from elsewhere: say so (the browser's event, listened to first).
  apply(listen, window, ["securitypolicyviolation", (e) => {
    if (e.isTrusted) note(`to load a script from ${String(e.blockedURI).slice(0, 60)} (${e.effectiveDirective})`);
  }, true]);

  // -- the one render ----------------------------------------------------------------------------------
  function blank(message) {
    return { kind: "blank", message, line: null, column: null };
  }

  let rendered = false;  // one sketch per page: a second call (the sketch's own) is refused
  async function render(opts) {
    if (rendered) forbid("to start a second render in its page");
    rendered = true;
    const t0 = performance.now();
    const R = window.BrushworkRuntime;
    density = +opts.density || 1;
    const out = [Math.max(1, Math.round(opts.width * density)), Math.max(1, Math.round(opts.height * density))];
    const run = R.prepare({ seed: opts.seed, density: opts.density });
    phase = "inject";
    const script = document.createElement("script");
    script.textContent = `${HEADER}${opts.code}`;
    R.hideGlobals();
    armed = true;
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
    if (run.needsColdStart && !forbidden.length) {
      armed = false;
      return { ok: false, retryCold: true, error: null, png: null };
    }
    snapshot(out);  // the finished picture is the canvas now: nothing drawn after this answer counts
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

  // -- the picture: canvases made here, a snapshot taken by the isolated world -----------------------
  const canvases = [];   // made in seal(), adopted by Python's isolated world before the sketch exists
  let handed = 0;        // how many of them p5 has been given
  let declared = [0, 0]; // what p5 was last asked for (createCanvas / resizeCanvas), in CSS pixels
  let density = 1;       // the render's pixel density: the drawing buffer is at least declared × this
  let mainInstance = null;

  const hooks = {
    nextCanvas() { return handed < canvases.length ? canvases[handed++] : null; },
    peekCanvas() { return handed < canvases.length ? canvases[handed] : null; },
    declared(w, h) { declared = [+w || 0, +h || 0]; },
    density() {},  // the sketch may ask p5 for more pixels, never fewer than the render's (see snapshot)
    instance(inst) { mainInstance = inst; watchInstance(inst); },
  };

  /** Which of our canvases p5 paints on now: its index, "none" (no canvas) or "foreign" (not ours). */
  function mainCanvas() {
    let c = null;
    try {
      const r = mainInstance && mainInstance._renderer;
      c = r ? r.canvas : null;
    } catch (err) {
      return "foreign";
    }
    if (c === null || c === undefined) return "none";
    for (let i = 0; i < handed; i++) if (canvases[i] === c) return "" + i;
    return handed >= canvases.length ? "exhausted" : "foreign";
  }

  /** The isolated world copies the main canvas now, synchronously, into a canvas only it holds. */
  function snapshot(out) {
    armed = false;
    if (!record) return;
    apply(setAttr, record, ["canvas", mainCanvas()]);
    apply(setAttr, record, ["declared", `${floor(declared[0] * density)} ${floor(declared[1] * density)}`]);
    apply(setAttr, record, ["out", `${out[0]} ${out[1]}`]);
    apply(dispatch, record, [new BareEvent("brushwork-snapshot")]);
  }

  // -- run-time brush calls ------------------------------------------------------------------------------
  // Every function of the real brush object, and the drawing methods of its classes, are wrapped before
  // the sketch exists. A call counts once it returned normally: a drawing call in `draw-<name>` only when
  // p5.brush's own code marked the canvas during it (a stamp or fill inside the canvas: the dirty-rect
  // bookkeeping on the instance's stroke and fill masks, `glMask` / `mask`), any other call in
  // `state-<name>`. Calls p5.brush makes to its own class methods inside a call are its business.
  const DRAWING = Object.create(null);
  for (const name of ["line", "flowLine", "rect", "circle", "arc", "spline", "polygon", "endShape", "endStroke",
                      "hatchArray", "massArray"]) DRAWING[name] = true;
  const CLASS_DRAWING = ["draw", "fill", "hatch", "mass", "wash", "show"];
  const tallies = Object.create(null);
  const calls = [];      // open brush calls, innermost last
  let depth = 0;
  let armed = false;     // only the sketch's calls count: from its injection to the harness's answer

  function tally(key) {
    const n = (tallies[key] || 0) + 1;
    tallies[key] = n;
    apply(setAttr, record, [key, "" + n]);
  }

  function counted(name, fn, drawing, outerOnly) {
    return function () {
      if (!armed || (outerOnly && depth > 0)) return apply(fn, this, arguments);
      const frame = { marked: false };
      calls[depth] = frame;
      depth += 1;
      let result;
      try {
        result = apply(fn, this, arguments);
      } finally {
        depth -= 1;
      }
      if (armed && (!drawing || frame.marked)) tally((drawing ? "draw-" : "state-") + name);
      return result;
    };
  }

  const watched = new WeakSet();
  /** A stroke or fill mask: its `dirtyRect` becomes an accessor that credits the innermost open call
   *  when p5.brush's own code (V8's call sites say which script) sets a non-empty rectangle. */
  function watchMask(mask) {
    if (mask === null || (typeof mask !== "object" && typeof mask !== "function") || apply(WeakSetHas, watched, [mask])) return;
    let value = null;
    try {
      const d = getDesc(mask, "dirtyRect");
      if (d && "value" in d) value = d.value;
    } catch (err) {
      return;
    }
    const set = function (v) {
      if (v !== null && v !== undefined && armed && depth > 0) {
        const frame = calls[depth - 1];
        if (!frame.marked && callerFile && callerFile(set) === BRUSH_URL) frame.marked = true;
      }
      value = v;
    };
    try {
      defineProp(mask, "dirtyRect", { get() { return value; }, set, enumerable: true, configurable: false });
      apply(WeakSetAdd, watched, [mask]);
    } catch (err) {  // the sketch got there first: nothing drawn through this mask is credited
    }
  }

  /** p5.brush keeps its masks on the p5 instance it draws for: see every mask it puts there. */
  function watchInstance(inst) {
    for (const key of ["glMask", "mask"]) {
      let value;
      try {
        const d = getDesc(inst, key);
        value = d && "value" in d ? d.value : undefined;
        watchMask(value);
        defineProp(inst, key, {
          get() { return value; },
          set(v) { watchMask(v); value = v; },
          enumerable: true, configurable: false,
        });
      } catch (err) {
      }
    }
  }

  function seal() {
    const node = apply(getById, document, ["__brushwork_calls"]);
    if (!node || record) return false;
    apply(removeNode, node, []);
    record = node;
    for (let i = 0; i < MAIN_CANVASES; i++) {
      const c = apply(createElement, document, ["canvas"]);
      canvases[i] = c;
      apply(appendNode, node, [c]);  // the isolated world adopts them from here (capture.py)
    }
    const real = window.brush;
    for (const name of ownKeys(real)) {
      const fn = real[name];
      if (typeof fn !== "function") continue;
      if (/^[A-Z]/.test(name)) {  // a class (Polygon, Plot): its drawing methods
        for (const method of CLASS_DRAWING) {
          const m = fn.prototype && getDesc(fn.prototype, method);
          if (m && typeof m.value === "function") {
            defineProp(fn.prototype, method, { ...m, value: counted(`${name}.${method}`, m.value, true, true) });
          }
        }
        continue;
      }
      defineProp(real, name, { value: counted(name, fn, !!DRAWING[name], false), writable: true, configurable: true, enumerable: true });
    }
    window.BrushworkRuntime.provideCanvases(hooks);
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
