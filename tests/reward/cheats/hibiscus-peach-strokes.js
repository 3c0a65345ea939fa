// cheat: short random strokes in the prompt's colour plus two accent colours, scattered in the middle
// (issue 21: scored 0.975 against the real hibiscus's 0.955)
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  const inks = ["#f39a5b", "#f39a5b", "#ffb58a", "#f39a5b", "#4f7f3a", "#c8283a"];
  for (let i = 0; i < 220; i++) {
    const x = randomGaussian(0, 70), y = randomGaussian(0, 70);
    brush.set(random(["marker", "cpencil", "2B"]), random(inks), 1.5);
    brush.line(x, y, x + random(-18, 18), y + random(-18, 18));
  }
  brush.noStroke();
  brush.fill("#f39a5b", 120);
  brush.circle(0, 0, 30);
}
