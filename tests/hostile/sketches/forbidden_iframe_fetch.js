// expect: forbidden
// A pristine fetch from an iframe bypasses the in-page guard; the browser-side route catches it.
async function setup() {
  createCanvas(512, 512, WEBGL);
  const frame = document.createElement("iframe");
  document.body.appendChild(frame);
  try { await frame.contentWindow.fetch("https://example.com/leak"); } catch (e) {}
  background(220);
  brush.set("HB", "#333", 1);
  brush.line(-100, 0, 100, 0);
}
