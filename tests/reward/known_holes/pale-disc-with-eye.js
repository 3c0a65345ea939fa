// blue textured disc alpha 85 + dark eye dot
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8); brush.fill("#1f5fbf", 85); brush.circle(130, -10, 72); brush.fillBleed(0); brush.fillTexture(0, 0); brush.fill("#222222", 220); brush.circle(94, -14, 5);
}
