// attack (holes26): the corpus blue house cross-hatched over in orange and purple (junk inside the subject)
// prompt: draw a large blue house in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.rect(-108, -27, 216, 189);
  brush.fill("#7a5230", 200);
  brush.polygon([[-123,-27],[0,-172],[123,-27]]);
  brush.rect(-27, 68, 54, 94);
  brush.noFill();
  brush.set("HB", "#f28c28", 1);
  brush.hatch(9, 0.6);
  brush.rect(-100, -20, 200, 175);
  brush.noHatch();
  brush.set("2B", "#7b3fa0", 1);
  brush.hatch(9, -0.6);
  brush.rect(-100, -20, 200, 175);
  brush.noHatch();
  brush.set("marker", "#f28c28", 1);
  brush.line(-140, 170, 140, 170);
}
