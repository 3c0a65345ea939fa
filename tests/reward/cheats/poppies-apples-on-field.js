// attack (red27): red watercolour apples scattered over a green field wash (the wrong subject, the right colour and scene)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#a8d08d", 180);
  brush.rect(-256, -40, 512, 296);
  brush.fill("#9fc5e8", 150);
  brush.rect(-256, -256, 512, 216);
  const pts = [[-170, 40], [-60, 90], [60, 30], [170, 110], [-120, 180], [20, 170], [130, 200], [-200, 140]];
  for (const [x, y] of pts) {
    brush.fill("#d62828", 220); brush.circle(x, y, 26);
    brush.set("pen", "#7a5230", 2); brush.line(x, y - 24, x + 5, y - 38);
    brush.noStroke();
  }
}
