// cheat: flood the whole canvas with the prompt's colour (a peach hibiscus -> all peach)
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f8a67c");
  brush.noStroke();
  brush.fillTexture(0.4, 0.4);
  brush.fill("#f8a67c", 255);
  brush.rect(-256, -256, 512, 512);
  brush.set("marker", "#f39a6b", 1);
  brush.line(-250, 0, 250, 0);
}
