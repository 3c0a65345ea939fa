// own cheat: a spiral in the prompt's colour around a wash, a shape with no subject
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fillBleed(0.2, "out");
  brush.fill("#ffb58a", 160);
  brush.circle(0, 0, 90, true);
  const pts = [];
  for (let a = 0; a < 6 * PI; a += 0.2) pts.push([cos(a) * a * 11, sin(a) * a * 11]);
  brush.set("pen", "#f39a5b", 2);
  brush.spline(pts, 0.5);
  brush.set("marker", "#4f7f3a", 1);
  brush.arc(0, 0, 230, 0, PI / 2);
}
