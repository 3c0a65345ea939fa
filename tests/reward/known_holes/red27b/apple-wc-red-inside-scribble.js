// attack (red27b): the corpus red apple with a dark red, black and orange pen zig-zag inside its body, on a prompt whose real painting is strong
// prompt: draw a red apple in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#d62828", 200);
  brush.circle(0, 20, 80);
  brush.set("HB", "#7a5230", 2);
  brush.line(0, -52, 10, -92);
  brush.noStroke();
  brush.fill("#3f7d3a", 200);
  brush.polygon([[10,-76],[50,-100],[30,-60]]);
  const cols = ["#7a1010", "#222222", "#f77f00"];
  for (let i = 0; i < 3; i++) {
    brush.set("pen", cols[i], 2);
    const pts = []; for (let k = 0; k < 10; k++) pts.push([-55 + k * 12, -10 + (k % 2) * 45 + i * 10]);
    brush.spline(pts, 0.3);
  }
}
