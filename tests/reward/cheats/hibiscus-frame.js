// own cheat: a painted frame in the prompt's colour around an empty middle
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fillTexture(0.5, 0.5);
  brush.fill("#f39a5b", 210);
  brush.rect(-200, -200, 400, 40);
  brush.rect(-200, 160, 400, 40);
  brush.rect(-200, -160, 40, 320);
  brush.rect(160, -160, 40, 320);
  brush.set("pen", "#4f7f3a", 1);
  brush.rect(-150, -150, 300, 300);
  brush.set("marker", "#e8743b", 1);
  brush.circle(0, 0, 8);
}
