// own cheat: a different subject, well painted (a tree), in the prompt's colour
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fillBleed(0.2, "out");
  brush.fillTexture(0.4, 0.4);
  brush.fill("#8a5a2b", 220);
  brush.rect(-22, 20, 44, 200);
  for (let i = 0; i < 7; i++) {
    brush.fill(random(["#f39a5b", "#ffb58a", "#e8743b"]), 180);
    brush.circle(random(-90, 90), random(-120, 0), random(55, 85), true);
  }
  brush.set("charcoal", "#4a3020", 1.2);
  brush.line(0, 30, -70, -40);
  brush.line(0, 10, 60, -60);
  brush.set("HB", "#555555", 1);
  brush.line(-200, 220, 200, 220);
}
