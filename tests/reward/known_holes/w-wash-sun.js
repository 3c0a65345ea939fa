// faithful: a yellow sun, its disc laid with brush.wash, a fill halo and eight marker rays
// prompt: draw a yellow sun in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.wash("#f2c014", 255);
  brush.circle(0, 0, 70);
  brush.noWash();
  brush.fill("#f7d25a", 150);
  brush.circle(0, 0, 85);
  brush.set("marker", "#f2a014", 2);
  brush.line(100, 0, 140, 0);
  brush.line(71, 71, 99, 99);
  brush.line(0, 100, 0, 140);
  brush.line(-71, 71, -99, 99);
  brush.line(-100, 0, -140, 0);
  brush.line(-71, -71, -99, -99);
  brush.line(-0, -100, -0, -140);
  brush.line(71, -71, 99, -99);
}
