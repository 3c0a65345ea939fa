// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  window.location.href = "https://example.com/";
  background(220);
  brush.set("HB", "#333", 1);
  brush.line(-100, 0, 100, 0);
}
