// attack (red27b): the corpus sun with a ring of orange, red and brown dabs laid on its rays' tips, joined to it, for palette
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
  const cols = ["#f77f00", "#d62828", "#8a5a2b", "#222222"];
  for (let i = 0; i < 8; i++) { const [c, s] = d[i]; brush.fill(cols[i % 4], 220); brush.circle(132 * c, 132 * s, 12); }
}
