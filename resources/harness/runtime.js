/*
 * Brushwork runtime: seeds, sizes and finishes ONE p5.brush sketch so a render is reproducible.
 *
 * The render harness (harness.js) uses it, and an exported stand-alone HTML page can inline it to
 * reproduce the same painting. Outside the harness, load in this order:
 *
 *   <meta charset="utf-8">
 *   <script>/* p5.min.js *​/</script>  <script>/* p5.brush.js *​/</script>  <script>/* runtime.js *​/</script>
 *   <script>BrushworkRuntime.prepare({seed: 42});</script>      // BEFORE the sketch: seeds Math.random
 *   <script>/* the sketch, global mode: function setup() {...} function draw() {...} *​/</script>
 *   <script>
 *     BrushworkRuntime.start({frames: 1}).then(run => {
 *       const png = BrushworkRuntime.capture(run, 512, 512).toDataURL("image/png");  // same PNG as Brushwork
 *     });
 *   </script>
 *
 * Rules (the same in the harness and in an export):
 *   seed    Math.random is replaced by a seeded generator before the sketch's own top-level code runs, and
 *           randomSeed(seed) + noiseSeed(seed) are called right before setup() (p5.brush hooks both).
 *   size    the sketch's own createCanvas(w, h, WEBGL) is honoured (each side at most MAX_SIDE px, else an
 *           Error is thrown at the sketch's line); capture() resamples the canvas to the requested size.
 *   finish  after setup() when there is no draw(); otherwise after the first frame in which noLoop() was
 *           called or after `frames` draw() frames (default 1). The draw loop is then stopped.
 */
(function () {
  "use strict";

  const MAX_SIDE = 4096;
  const later = setTimeout;  // captured before any sketch runs
  const ownKeys = Reflect.ownKeys;
  const apply = Reflect.apply;
  const renderers = p5.renderers;  // the very object p5's createCanvas consults
  const P5 = p5;                    // the sketch may replace the global before a cold start
  const defineOwn = Object.defineProperty;
  const createElement = Document.prototype.createElement;
  // The harness's own p5.brush calls use the original function: only the sketch's calls are counted.
  const reloadBrush = typeof brush !== "undefined" && brush.load ? brush.load.bind(brush) : () => {};
  let run = null;   // the one sketch this page runs
  let warm = null;  // harness only: a p5 instance with a hot WEBGL canvas, started before the sketch

  // mulberry32: tiny, fast, good enough for sketches; the same generator in every export.
  function seededRandom(seed) {
    let a = (seed >>> 0) || 0x9e3779b9;
    return function random() {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function checkSide(name, w, h) {
    const bad = (v) => typeof v === "number" && (!isFinite(v) || v > MAX_SIDE);
    if (bad(w) || bad(h)) {
      throw new RangeError(`${name}(${w}, ${h}): each side must be at most ${MAX_SIDE} px`);
    }
  }

  // Harness only (`Runtime.provideCanvases`): the main canvas element always comes from the harness, made
  // before the sketch existed, so the picture can be read from an element nobody else could have made;
  // what p5 was told about its size is reported too (a drawing buffer shrunk behind p5's back is refused).
  let hooks = null;
  const isMain = (inst) => !!hooks && !!inst && ((warm && inst === warm.inst) || (run && inst === run.instance));
  const asNumber = (v) => (typeof v === "object" && v !== null ? Number(v) : v);

  /** createCanvas's arguments with the harness's element in the element slot, when the caller gave none. */
  function withProvidedCanvas(inst, rest) {
    if (!isMain(inst)) return rest;
    const named = rest.length > 0 && ownKeys(renderers).includes(rest[0]);
    const given = named ? rest[1] : rest[0];
    if (given !== undefined && given !== null) return rest;  // the sketch's own element: hooks.canvasOf() says so
    const elt = hooks.nextCanvas();
    if (!elt) return rest;
    return named ? [rest[0], elt, ...rest.slice(2)] : [inst.P2D, elt];
  }

  // Guard canvas-sized allocations: an enormous canvas should fail at once, not exhaust memory.
  const proto = p5.prototype;
  const realCreateCanvas = proto.createCanvas;
  proto.createCanvas = function (w, h, ...rest) {
    w = asNumber(w);
    h = asNumber(h);
    if (run && run.phase !== "boot") {
      checkSide("createCanvas", w, h);
      const warmStart = warm && warm.ready && this === warm.inst;
      const reuse = warmStart && !run.createdCanvas && rest.length === 1 && rest[0] === this.WEBGL &&
        this._renderer && this._renderer.isP3D;
      run.createdCanvas = true;
      if (warmStart && !reuse) {
        // Anything but one WEBGL canvas (P2D, a second canvas) needs p5's own start: the harness reruns
        // the sketch in a fresh document without the pre-made canvas.
        run.needsColdStart = true;
        throw new Error("brushwork: this sketch needs a cold start");
      }
      if (reuse) {
        // The pre-made canvas: same context, shaders already compiled; resized if need be, wiped like a
        // new one. (A second WEBGL context would orphan p5.brush's shaders, cached on the p5 instance.)
        if (w !== this.width || h !== this.height) {
          this.resizeCanvas(w, h, true);
          reloadBrush();  // p5.brush re-reads the canvas size
        }
        this.clear();
        return this._renderer;
      }
    }
    const made = realCreateCanvas.call(this, w, h, ...withProvidedCanvas(this, rest));
    if (isMain(this)) hooks.declared(w, h);
    return made;
  };
  // These rebuild or rescale the WebGL context behind p5.brush's back: on the pre-made canvas they need
  // p5's own start instead (see prewarm below).
  for (const name of ["setAttributes", "pixelDensity"]) {
    const real = proto[name];
    proto[name] = function (...args) {
      const warmRun = run && run.phase !== "boot" && warm && warm.ready && this === warm.inst;
      if (warmRun && args.length > 0 && !(name === "pixelDensity" && args[0] === (this._renderer ? this._renderer._pixelDensity : this._pixelDensity))) {
        run.needsColdStart = true;
        throw new Error("brushwork: this sketch needs a cold start");
      }
      if (name === "setAttributes" && isMain(this)) return resetWithProvidedCanvas(this, real, args);
      const out = real.apply(this, args);
      if (name === "pixelDensity" && typeof args[0] === "number" && isMain(this)) hooks.density(args[0]);
      return out;
    };
  }

  // setAttributes() rebuilds the WebGL canvas with document.createElement("canvas") (p5's _resetContext,
  // synchronously before its first await): for that one call the document hands out the harness's element.
  function resetWithProvidedCanvas(inst, real, args) {
    const elt = hooks.peekCanvas();
    let shadowed = false;
    if (elt) {
      try {
        defineOwn(document, "createElement", {
          configurable: true,
          value: function (tag, ...more) {
            if (shadowed && String(tag).toLowerCase() === "canvas") {
              shadowed = false;
              return hooks.nextCanvas();
            }
            return apply(createElement, document, [tag, ...more]);
          },
        });
        shadowed = true;
      } catch (err) {  // the sketch owns document.createElement: p5 makes its own canvas (refused later)
      }
    }
    try {
      return real.apply(inst, args);
    } finally {
      if (elt) {
        shadowed = false;
        try { delete document.createElement; } catch (err) { /* the sketch made it permanent */ }
      }
    }
  }

  for (const name of ["resizeCanvas", "createGraphics", "createFramebuffer"]) {
    const real = proto[name];
    proto[name] = function (w, h, ...rest) {
      if (name === "createFramebuffer") {
        const o = w || {};
        checkSide(name, o.width, o.height);
      } else {
        w = asNumber(w);
        h = asNumber(h);
        checkSide(name, w, h);
      }
      const out = real.call(this, w, h, ...rest);
      if (name === "resizeCanvas" && isMain(this)) hooks.declared(w, h);
      return out;
    };
  }

  function finishSoon(inst) {
    if (!run || run.finishing) return;
    run.finishing = true;
    if (inst && inst._loop) inst.noLoop();
    // Let p5 finish its own end-of-frame work (redraw awaits its hooks) before anyone reads the canvas.
    setTimeout(() => {
      run.sketchMs = performance.now() - run.t0;
      run.resolve(run);
    }, 0);
  }

  p5.registerAddon(function (p5, fn, lifecycles) {
    lifecycles.postsetup = function () {
      if (warm && !warm.ready && this === warm.inst) {
        setTimeout(warm.finish, 0);  // after p5.brush flushed its strokes (and compiled its shaders)
        return;
      }
      if (run && !run.userDraw) finishSoon(this);
    };
    lifecycles.postdraw = function () {
      if (!run) return;
      run.frames += 1;
      if (run.frames >= run.maxFrames || !this._loop) finishSoon(this);
    };
    lifecycles.remove = function () {
      finishSoon(null);  // remove() stops the sketch: what is left is what we capture
    };
  });

  function reporting(fn) {
    return async function () {
      try {
        return await fn.apply(this, arguments);
      } catch (err) {
        run.sketchMs = performance.now() - run.t0;
        run.reject(err);
        surface(err);
        throw err;  // p5 stops the sketch too
      }
    };
  }

  // The p5 lifecycle of #_setup and the draw loop, replayed on the pre-started instance.
  async function startWarm(inst, userSetup) {
    run.instance = inst;
    run.t0 = performance.now();
    try {
      inst._setupDone = false;
      inst._loop = true;  // so a noLoop() from the sketch is seen, without starting p5's own loop
      inst.frameCount = 0;
      await inst._runLifecycleHook("presetup");
      inst.randomSeed(run.seed);
      inst.noiseSeed(run.seed);
      if (run.density && run.density !== inst.pixelDensity()) {
        inst.pixelDensity(run.density);
        reloadBrush();
      }
      inst._millisStart = performance.now();
      run.phase = "setup";
      if (userSetup) await userSetup.call(window);
      run.phase = "draw";
      inst._setupDone = true;
      await inst._runLifecycleHook("postsetup");
      inst._millisStart = performance.now();
      while (run.userDraw && !run.finishing) {
        await inst.redraw();  // predraw → draw → postdraw (which finishes the run when due)
        await new Promise((r) => setTimeout(r, 0));  // a frame boundary: timers and promises run
      }
    } catch (err) {
      run.sketchMs = performance.now() - run.t0;
      run.reject(err);
      surface(err);
    }
  }

  // An error the runtime catches is thrown again, uncaught, so the browser itself reports it (with the
  // stack V8 recorded when it was made, whatever the sketch did to e.stack or to Promise): the renderer
  // reads errors from there (CDP Runtime.exceptionThrown), not from page JavaScript the sketch can patch.
  function surface(err) {
    if (run && run.needsColdStart) return;
    later(() => { throw err; }, 0);
  }

  const Runtime = {
    MAX_SIDE,
    seededRandom,

    /**
     * Harness only, before any sketch: `h.nextCanvas()` / `h.peekCanvas()` hand out (or show) the next
     * element the harness made for the main canvas; `h.declared(w, h)` and `h.density(d)` hear what p5 was
     * asked for; `h.instance(inst)` hears of the main p5 instance as soon as it exists.
     */
    provideCanvases(h) {
      if (!hooks) hooks = h;
    },

    /** Seed Math.random; call before the sketch's script runs. */
    prepare(opts) {
      const seed = (opts && opts.seed) | 0;
      Math.random = seededRandom(seed);
      let resolve, reject;
      const done = new Promise((res, rej) => { resolve = res; reject = rej; });
      run = {
        seed, density: (opts && opts.density) || null, phase: "boot", createdCanvas: false,
        userDraw: null, frames: 0, maxFrames: 1, sketchMs: 0, finishing: false, instance: null, needsColdStart: false,
        done, resolve, reject,
      };
      return run;
    },

    /**
     * Harness only (an export never needs it): before the sketch arrives, start p5 with a blank WEBGL
     * canvas of width×height and draw a few p5 shapes plus one p5.brush stroke and fill, so the WebGL
     * context exists and p5's and p5.brush's shaders are compiled. The sketch's own createCanvas(width, height, WEBGL) then reuses
     * that canvas, wiped; any other canvas is created as usual. start() runs the sketch's setup/draw
     * through the same p5 lifecycle hooks p5 itself would call.
     */
    prewarm(opts) {
      const width = (opts && opts.width) || 512, height = (opts && opts.height) || 512;
      return new Promise((resolve, reject) => {
        warm = { width, height, ready: false, inst: null };
        warm.finish = () => {
          try {
            warm.inst.clear();
            // WebGL work is queued: read one pixel so shader compiles and the warm-up drawing really finish
            // now, in the background, rather than stalling the sketch's first read-back.
            const gl = warm.inst._renderer.drawingContext;
            gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
            delete window.setup;
            warm.ready = true;
            resolve(true);
          } catch (err) {
            warm = null;
            reject(err);
          }
        };
        window.setup = function () {
          noLoop();
          createCanvas(width, height, WEBGL);
          push();
          // p5's own fill and stroke shaders are compiled on first use too: draw one of each.
          background(255);
          fill(128);
          stroke(0);
          rect(-30, -30, 10, 10);
          ellipse(20, 20, 8, 8);
          line(-30, 30, 30, -30);
          point(0, 0);
          brush.set("HB", "#000000", 1);
          brush.line(-20, -20, 20, 20);
          brush.fill("#808080", 100);
          brush.noStroke();
          brush.rect(-10, -10, 20, 20);
          pop();
        };
        try {
          const before = new Set(Object.getOwnPropertyNames(window));
          warm.inst = new P5();
          if (hooks) hooks.instance(warm.inst);
          warm.globals = Object.getOwnPropertyNames(window).filter((n) => !before.has(n));
        } catch (err) {
          warm = null;
          reject(err);
        }
      });
    },

    /**
     * Harness only, around the sketch's own script on a pre-started page: p5's globals do not exist yet
     * when a sketch's top-level code runs under p5's own start (`let c = color(0)` there is an error),
     * so hide them while the script runs, then bind them again over any same-named sketch globals —
     * exactly what p5's start would do.
     */
    hideGlobals() {
      if (!(warm && warm.ready)) return;
      warm.saved = warm.globals.map((n) => [n, Object.getOwnPropertyDescriptor(window, n)]);
      for (const [n] of warm.saved) delete window[n];
    },

    /** Returns the p5 names the sketch took for its own (p5's start would fail on them). */
    restoreGlobals() {
      const clashes = [];
      if (!(warm && warm.saved)) return clashes;
      for (const [n, d] of warm.saved) {
        try {
          if (d) Object.defineProperty(window, n, d);
        } catch (err) {
          clashes.push(n);  // a sketch's own `function random()` is not configurable
        }
      }
      warm.saved = null;
      return clashes;
    },

    /** Start the sketch defined by global setup()/draw(); resolves with the run when finished. */
    start(opts) {
      if (!run) Runtime.prepare(opts);
      run.maxFrames = Math.max(1, (opts && opts.frames) | 0 || 1);
      const userSetup = typeof window.setup === "function" ? window.setup : null;
      const userDraw = typeof window.draw === "function" ? window.draw : null;
      run.userDraw = userDraw;
      if (userDraw) window.draw = reporting(userDraw);
      if (warm && warm.ready) {
        startWarm(warm.inst, userSetup);
        return run.done;
      }
      window.setup = reporting(async function () {
        const inst = p5.instance;
        inst.randomSeed(run.seed);
        inst.noiseSeed(run.seed);
        if (run.density) inst.pixelDensity(run.density);
        run.phase = "setup";
        if (userSetup) await userSetup.call(this);
        run.phase = "draw";
      });
      // sketchMs: from here until the finish — setup, draw frames and p5 / p5.brush's own per-frame work.
      run.t0 = performance.now();
      run.instance = new P5();
      if (hooks) hooks.instance(run.instance);
      return run.done;
    },

    /** The sketch's canvas element, or null when it never made one or removed it. */
    canvas(r) {
      const inst = (r || run).instance;
      const c = inst && inst._renderer && inst._renderer.canvas;
      return c && c.isConnected ? c : null;
    },

    /** A 2D canvas of exactly width×height (× density) holding the sketch's picture. */
    capture(r, width, height) {
      r = r || run;
      const src = Runtime.canvas(r);
      const d = r.density || 1;
      const out = document.createElement("canvas");
      out.width = Math.max(1, Math.round(width * d));
      out.height = Math.max(1, Math.round(height * d));
      const ctx = out.getContext("2d", { willReadFrequently: true });
      if (src) {
        ctx.imageSmoothingQuality = "high";
        ctx.drawImage(src, 0, 0, out.width, out.height);
      }
      return out;
    },
  };

  window.BrushworkRuntime = Runtime;
})();
