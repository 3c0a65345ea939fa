// attack: no house at all: a blue hatched square with a yellow disc and a green bar
// prompt: draw a large blue house in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("2B", "#1f5fbf", 1.5);
  brush.hatch(10, 0.6);
  brush.rect(-110, -110, 220, 220);
  brush.noHatch();
  brush.noStroke();
  brush.fill("#f2c014", 200);
  brush.circle(-40, -30, 35);
  brush.fill("#2a9d4f", 180);
  brush.rect(-60, 60, 120, 25);
  brush.set("marker", "#1f5fbf", 1);
  brush.line(-130, 130, 130, 130);
}
