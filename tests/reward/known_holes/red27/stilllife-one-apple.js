// attack (red27): one corpus apple in grey pencil for the still-life prompt (a bottle, an apple and a bowl: two of three objects missing)
// prompt: draw a still life of a bottle, an apple and a bowl in pencil
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("HB", "#555555", 2);
  brush.circle(0, 20, 80);
  brush.line(0, -52, 10, -92);
  brush.polygon([[10,-76],[50,-100],[30,-60]]);
  brush.hatch(6, 0.8);
  brush.circle(0, 20, 70);
  brush.noHatch();
}
