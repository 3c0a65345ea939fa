// own cheat: short strokes in the prompt's colours, all leaning the same way (random strokes that a
// coherence reading alone would pass: they agree with their neighbours, and still draw nothing)
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  const inks = ["#f39a5b", "#ffb58a", "#e8743b", "#4f7f3a"];
  for (let i = 0; i < 260; i++) {
    const x = randomGaussian(0, 80), y = randomGaussian(0, 80), l = random(8, 20);
    brush.set(random(["marker", "cpencil", "2B"]), random(inks), 1.5);
    brush.line(x, y, x + l * 0.7, y - l * 0.7);
  }
  brush.noStroke();
  brush.fill("#f39a5b", 140);
  brush.circle(0, 0, 26);
}
