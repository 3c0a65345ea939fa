// attack (red27b): the corpus sun with an orange, brown and black pen zig-zag across its disc, inside its evidence part
// prompt: draw a yellow sun in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#f2c014", 200);
  brush.circle(0, 0, 70);
  brush.set("HB", "#f2c014", 2);
  const d = [[1,0],[-1,0],[0,1],[0,-1],[0.7,0.7],[-0.7,0.7],[0.7,-0.7],[-0.7,-0.7]];
  for (const [c, s] of d) brush.line(91 * c, 91 * s, 126 * c, 126 * s);
  const cols = ["#f77f00", "#8a5a2b", "#222222"];
  for (let i = 0; i < 3; i++) {
    brush.set("pen", cols[i], 2);
    const pts = []; for (let k = 0; k < 10; k++) pts.push([-50 + k * 11, -25 + (k % 2) * 40 + i * 10]);
    brush.spline(pts, 0.3);
  }
}
