// attack (red27): the house drawn with native p5 strokes (rect/triangle outlines), one brush line for the gate
// prompt: draw a large blue house in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  noFill();
  stroke("#1f5fbf");
  strokeWeight(5);
  rect(-108, -27, 216, 189);
  stroke("#7a5230");
  triangle(-123, -27, 0, -172, 123, -27);
  rect(-27, 68, 54, 94);
  brush.set("HB", "#1f5fbf", 2);
  brush.line(-140, 170, 140, 170);
}
