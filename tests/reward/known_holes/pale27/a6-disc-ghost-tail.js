// a pale blue disc with a near-invisible tail (alpha 12): the outline would be a fish, the eye sees a disc
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#1f5fbf", 100); brush.circle(130, -10, 72);
  brush.fill("#1f5fbf", 12); brush.polygon([[193, -10], [265, -64], [265, 44]]);
}
