// attack (red27b): the corpus house and, far from it, marker loops in blue, black and orange that sink the recogniser's confidence so the page's detail and palette count
// prompt: draw a blue house in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.rect(-80, -20, 160, 140);
  brush.fill("#7a5230", 200);
  brush.polygon([[-95,-20],[0,-120],[95,-20]]);
  brush.rect(-20, 50, 40, 70);
  const cols = ["#1f5fbf", "#222222", "#f77f00", "#1f5fbf", "#222222", "#1f5fbf"];
  for (let i = 0; i < 6; i++) {
    const x = i % 2 ? 200 : -200, y = -180 + i * 70;
    brush.set("marker", cols[i], 2);
    brush.spline([[x - 30, y], [x - 10, y + 20], [x + 10, y - 15], [x + 30, y + 10]], 0.5);
  }
}
