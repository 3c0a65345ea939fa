// a lone brown textured disc at alpha 70: its pale side fades to bare paper, and that bay reads as a part of the outline (a third of the ink)
// prompt: draw a brown fish in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  randomSeed(1); brush.seed(1);
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8); brush.fill("#7a5230", 70); brush.circle(0, 0, 72);
}
