// attack (red27): the corpus yellow sun on a blue sky wash (a sun for a sunflower; the recogniser is not asked)
// prompt: draw a yellow sunflower against a blue sky in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#6fa8dc", 160);
  brush.rect(-230, -230, 460, 460);
  brush.fill("#f2c014", 220);
  brush.circle(0, 5, 80);
  brush.set("HB", "#f2c014", 3);
  brush.line(101, 0, 146, 0); brush.line(-101, 0, -146, 0); brush.line(0, 101, 0, 146); brush.line(0, -101, 0, -146);
  brush.line(74, 74, 104, 104); brush.line(-74, 74, -104, 104); brush.line(74, -74, 104, -104); brush.line(-74, -74, -104, -104);
}
