// attack (red27b): the corpus fish with short strokes of four colours touching its rim, so they join its ink part and count as its evidence
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
  const cols = ["#f77f00", "#f2c014", "#222222", "#d62828", "#2a9d4f"];
  for (let i = 0; i < 20; i++) {
    const a = Math.PI * 0.5 + i * Math.PI / 19;
    brush.set("marker", cols[i % cols.length], 2);
    brush.line(66 * Math.cos(a), 66 * Math.sin(a), 96 * Math.cos(a), 96 * Math.sin(a));
  }
}
