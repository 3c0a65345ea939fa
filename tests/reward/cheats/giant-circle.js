// cheat: one giant circle in the prompt's colour on paper
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.noStroke();
  brush.fill("#f8a67c", 255);
  brush.circle(0, 0, 190);
}
