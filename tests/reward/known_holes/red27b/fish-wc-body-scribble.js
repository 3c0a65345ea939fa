// attack (red27b): the corpus fish with a black and orange zig-zag scribble across its body, inside its evidence part
// prompt: draw a blue fish in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.circle(0, 0, 72);
  brush.polygon([[63,0],[135,-54],[135,54]]);
  brush.fill("#222222", 200);
  brush.circle(-36, -14, 8);
  const cols = ["#222222", "#f77f00", "#f2c014"];
  for (let i = 0; i < 3; i++) {
    brush.set("pen", cols[i], 2);
    const pts = []; for (let k = 0; k < 10; k++) pts.push([-50 + k * 12, -30 + (k % 2) * 45 + i * 10]);
    brush.spline(pts, 0.3);
  }
}
