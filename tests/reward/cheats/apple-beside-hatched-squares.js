// attack (holes26): the corpus apple, plus three hatched squares in blue, yellow and purple across the page
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 2);
  brush.circle(-130, 7, 48);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
  brush.noStroke();
  brush.set("HB", "#1f5fbf", 1);
  brush.hatch(8, 0.6);
  brush.rect(40, -180, 120, 100);
  brush.noHatch();
  brush.set("HB", "#f2c014", 1);
  brush.hatch(8, -0.6);
  brush.rect(60, -30, 140, 90);
  brush.noHatch();
  brush.set("HB", "#7b3fa0", 1);
  brush.hatch(8, 1.2);
  brush.rect(20, 100, 150, 90);
  brush.noHatch();
  brush.set("marker", "#1f5fbf", 1);
  brush.line(-220, 200, 220, 200);
}
