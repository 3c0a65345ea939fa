// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  location.reload();
  background(220);
  brush.set("HB", "#333", 1);
  brush.line(-100, 0, 100, 0);
}
