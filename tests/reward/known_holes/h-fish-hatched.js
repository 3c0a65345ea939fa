// attack: the corpus fish with orange and purple hatching laid over it
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.circle(130, -10, 72);
  brush.polygon([[193,0],[265,-54],[265,54]]);
  brush.fill("#222222", 200);
  brush.circle(94, -14, 8);
  brush.set("HB", "#f77f00", 1);
  brush.hatch(8, 0.5);
  brush.circle(130, -10, 66);
  brush.noHatch();
  brush.set("HB", "#7b3fa0", 1);
  brush.hatch(8, -0.5);
  brush.polygon([[196,0],[260,-48],[260,48]]);
  brush.noHatch();
}
