// attack (red27b): the corpus house with a dark scribble of several colours inside its walls, inside the subject's part, for detail and palette
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
  const cols = ["#222222", "#f2c014", "#0b2a66", "#f77f00"];
  for (let i = 0; i < 4; i++) {
    brush.set("pen", cols[i], 2);
    const pts = []; for (let k = 0; k < 12; k++) pts.push([-70 + k * 11, -5 + (k % 2) * 40 + i * 10]);
    brush.spline(pts, 0.3);
  }
}
