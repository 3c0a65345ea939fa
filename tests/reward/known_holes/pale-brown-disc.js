// brown textured disc alpha 100
// prompt: draw a brown fish in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8); brush.fill("#7a5230", 100); brush.circle(0, 0, 72);
}
