// expect: forbidden
// A pristine alert from an iframe bypasses the in-page guard; the browser-side dialog guard catches it.
function setup() {
  createCanvas(512, 512, WEBGL);
  const frame = document.createElement("iframe");
  document.body.appendChild(frame);
  frame.contentWindow.alert("escaped?");
  background(220);
  brush.set("HB", "#333", 1);
  brush.line(-100, 0, 100, 0);
}
