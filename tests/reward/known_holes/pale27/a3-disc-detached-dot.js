// a blue disc with a detached dot of the same paint beside it (a lone blob plus a crumb)
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#1f5fbf", 110); brush.circle(110, -10, 72); brush.circle(215, -10, 20);
}
