// cheat: a square of coloured noise in the prompt's palette (issue 21: scored 0.992)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(1);
  brush.noStroke();
  for (let i = 0; i < 900; i++) {
    brush.fill(random(["#d9231c", "#d9231c", "#a9bf5e", "#3f5f1f", "#e2372a"]), 255);
    brush.rect(random(-150, 140), random(-150, 140), 10, 10);
  }
  brush.set("pen", "#d9231c", 1);
  brush.line(-150, -155, 150, -155);
  brush.circle(0, 0, 2);
}
