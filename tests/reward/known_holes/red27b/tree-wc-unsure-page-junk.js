// attack (red27b): the corpus tree, which the recogniser is unsure of, plus scattered coloured scribbles far from it: the page's share of the blend pays for them
// prompt: draw a blue tree in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#7a5230", 200);
  brush.rect(-15, 20, 30, 150);
  brush.fill("#1f5fbf", 200);
  brush.circle(0, -40, 90);
  const cols = ["#1f5fbf", "#222222", "#f77f00", "#1f5fbf", "#7b3fa0", "#1f5fbf"];
  for (let i = 0; i < 6; i++) {
    const x = i % 2 ? 200 : -200, y = -180 + i * 70;
    brush.set("marker", cols[i], 2);
    brush.spline([[x - 30, y], [x - 10, y + 20], [x + 10, y - 15], [x + 30, y + 10]], 0.5);
  }
}
