// a lone blue textured disc at alpha 50 (fainter than the guards): reads as a crescent when its pale side vanishes
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#1f5fbf", 50); brush.circle(130, -10, 72);
}
