// two overlapping pale brown discs (a figure eight)
// prompt: draw a brown fish in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#8a5a2b", 90); brush.circle(-40, 0, 60); brush.circle(50, 0, 55);
}
