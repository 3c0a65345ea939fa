// expect: runtime line=5
function setup() {
  createCanvas(512, 512, WEBGL);
  brush.set("HB", "#333", 1);
  brush.bleed(0.3);
  brush.line(-100, 0, 100, 0);
}
