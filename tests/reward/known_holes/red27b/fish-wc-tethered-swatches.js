// attack (red27b): the corpus fish tethered by a thin blue line to a row of colour swatches; one ink part, so the swatches are the fish's evidence
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
  brush.set("marker", "#1f5fbf", 3);
  brush.line(0, 70, 0, 150);
  brush.line(-150, 150, 150, 150);
  const cols = ["#f77f00", "#f2c014", "#222222", "#1f5fbf", "#7b3fa0", "#1f5fbf"];
  for (let i = 0; i < 6; i++) { brush.fill(cols[i], 220); brush.rect(-150 + i * 50, 150, 40, 40); }
}
