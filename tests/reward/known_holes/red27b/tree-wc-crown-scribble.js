// attack (red27b): the corpus tree with a zig-zag scribble of black, orange and yellow inside its crown, which joins the crown's evidence
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
  const cols = ["#222222", "#f77f00", "#f2c014"];
  for (let i = 0; i < 3; i++) {
    brush.set("pen", cols[i], 2);
    const pts = []; for (let k = 0; k < 10; k++) pts.push([-60 + k * 13, -80 + (k % 2) * 50 + i * 15]);
    brush.spline(pts, 0.3);
  }
}
