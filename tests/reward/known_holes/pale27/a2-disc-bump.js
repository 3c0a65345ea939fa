// a lone brown disc with a bump: a small disc (a third of its radius) overlapping its rim
// prompt: draw a brown fish in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#8a5a2b", 100); brush.circle(0, 0, 72); brush.circle(70, -20, 26);
}
