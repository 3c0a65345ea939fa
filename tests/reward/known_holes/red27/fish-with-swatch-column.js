// attack (red27): the corpus fish plus a column of colour swatches at its tail (a swatch chart beside the subject pays palette)
// prompt: draw a orange fish on the right in marker
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("marker", "#f77f00", 2);
  brush.circle(130, 0, 72);
  brush.polygon([[193,0],[265,-54],[265,54]]);
  brush.set("marker", "#222222", 2);
  brush.circle(94, -14, 8);
  brush.noStroke();
  const cs = ["#1f5fbf", "#2a9d4f", "#7b3fa0", "#e86aa8"];
  for (let i = 0; i < 4; i++) { brush.fill(cs[i], 200); brush.rect(200, -160 + i * 32, 28, 28); }
}
