// attack (red27): the apple's body a native p5 ellipse outline (no brush), brush only for the stem and leaf
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  noFill();
  stroke("#d62828");
  strokeWeight(4);
  ellipse(-130, 7, 96, 96);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
}
