// attack (red27): the corpus fish with its body a patchwork of coloured watercolour squares (the fill stays on, so the marker outline is washed orange too): junk inside the subject
// prompt: draw a orange fish on the right in marker
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  const cs = ["#f77f00", "#1f5fbf", "#f77f00", "#2a9d4f", "#f77f00", "#7b3fa0", "#f77f00", "#e86aa8", "#f77f00"];
  let k = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) { brush.fill(cs[k++], 200); brush.rect(90 + i * 28, -42 + j * 28, 26, 26); }
  brush.set("marker", "#f77f00", 2);
  brush.circle(130, 0, 72);
  brush.polygon([[193,0],[265,-54],[265,54]]);
  brush.set("marker", "#222222", 2);
  brush.circle(94, -14, 8);
}
