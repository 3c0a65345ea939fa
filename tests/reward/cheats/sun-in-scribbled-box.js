// attack (holes26): a small yellow sun inside a big hatched grey box: the box holds the detail and palette
// prompt: draw a yellow sun in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("2B", "#3a3a3a", 1);
  brush.hatch(7, 0.5);
  brush.rect(-200, -200, 400, 400);
  brush.noHatch();
  brush.set("HB", "#1f5fbf", 1);
  brush.hatch(12, -0.5);
  brush.rect(-200, -200, 400, 400);
  brush.noHatch();
  brush.noStroke();
  brush.fill("#f2c014", 230);
  brush.circle(0, 5, 50);
  brush.set("HB", "#f2c014", 2);
  brush.line(70, 0, 95, 0); brush.line(-70, 0, -95, 0); brush.line(0, 70, 0, 95); brush.line(0, -70, 0, -95);
}
