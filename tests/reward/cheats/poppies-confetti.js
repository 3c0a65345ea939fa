// own cheat: a green wash with red dots scattered at random over it (no stems, no flowers)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#a9bf5e", 190);
  brush.rect(-270, -60, 540, 340);
  for (let i = 0; i < 150; i++) {
    brush.set("marker", random(["#d9231c", "#e2372a"]), random(0.5, 2));
    const x = random(-250, 250), y = random(-250, 250);
    brush.line(x, y, x + random(-4, 4), y + random(-4, 4));
  }
}
