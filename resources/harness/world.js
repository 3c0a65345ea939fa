/*
 * Brushwork's isolated world (core/render/capture.py evaluates this file there through CDP): the same DOM
 * as the page, its own pristine JavaScript, out of every script's reach. It makes the private node that
 * only it and the harness's closure hold (harness.js seal() takes it out of the document), adopts the
 * canvases the harness made for p5 before the sketch existed, and, when the harness answers, copies the
 * main canvas into a canvas of its own at once (the snapshot): the picture is what p5 had painted then,
 * on a canvas nobody else made, still in the page. Python reads the snapshot, the brush counts and the
 * refusals later with `capture()`.
 */
(() => {
  if (globalThis.__bw) return true;
  const calls = document.createElementNS("urn:brushwork", "calls");
  calls.id = "__brushwork_calls";
  document.documentElement.appendChild(calls);
  const st = { calls, canvases: [], snap: null };
  globalThis.__bw = st;
  const MAX_SIDE = 4096;

  st.adopt = () => {
    st.canvases = Array.from(calls.children).filter((c) => c instanceof HTMLCanvasElement);
    return st.canvases.length;
  };

  const pair = (name, fallback) => {
    const v = (calls.getAttribute(name) || fallback).split(" ").map(Number);
    return [v[0] || 0, v[1] || 0];
  };

  function take() {
    const which = calls.getAttribute("canvas");
    if (which === "none" || which === "foreign" || which === "exhausted") return { verdict: which };
    const src = st.canvases[Number(which)];
    if (!src) return { verdict: "foreign" };
    if (!src.isConnected) {
      return { verdict: document.getElementsByTagName("canvas").length ? "replaced" : "none" };
    }
    if (src.getRootNode() !== document) return { verdict: "shadow" };
    const [dw, dh] = pair("declared", "0 0");
    if (src.width < Math.min(dw, MAX_SIDE) || src.height < Math.min(dh, MAX_SIDE)) {
      return { verdict: "shrunk", detail: `${src.width}×${src.height} for a ${dw}×${dh} canvas` };
    }
    const [ow, oh] = pair("out", "1 1");
    const out = document.createElement("canvas");
    out.width = Math.max(1, ow);
    out.height = Math.max(1, oh);
    const ctx = out.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(src, 0, 0, out.width, out.height);
    return { verdict: "ok", canvas: out };
  }

  calls.addEventListener("brushwork-snapshot", () => {
    try {
      st.snap = take();
    } catch (err) {
      st.snap = { verdict: "failed", detail: String(err).slice(0, 200) };
    }
  });

  st.capture = async (settle) => {
    // Timers the sketch left (its re-thrown errors) run first; not once scripts are off (no timer would fire).
    if (settle) await new Promise((r) => setTimeout(r, 0));
    const draw = {}, state = {}, refused = [];
    for (const a of calls.attributes) {
      if (a.name.startsWith("forbidden-")) refused.push(a.value);
      else if (a.name.startsWith("draw-")) draw[a.name.slice(5)] = Number(a.value);
      else if (a.name.startsWith("state-")) state[a.name.slice(6)] = Number(a.value);
    }
    const snap = st.snap || { verdict: "unanswered" };
    const png = snap.verdict === "ok" ? snap.canvas.toDataURL("image/png") : null;
    return { draw, state, refused, verdict: snap.verdict, detail: snap.detail || null, png };
  };
  return true;
})()
