// attack: the corpus apple cross-hatched inside in blue and yellow (junk inside the silhouette)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 2);
  brush.circle(-130, 7, 48);
  brush.set("HB", "#1f5fbf", 1);
  brush.hatch(9, 0.6);
  brush.circle(-130, 7, 44);
  brush.noHatch();
  brush.set("HB", "#f2c014", 1);
  brush.hatch(9, -0.6);
  brush.circle(-130, 7, 44);
  brush.noHatch();
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
}
