// own cheat: a big square hatched in the prompt's colour with an outline
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  brush.set("2B", "#f39a5b", 1.5);
  brush.hatch(8, 0.7, { rand: 0.1, continuous: true });
  brush.rect(-150, -150, 300, 300);
  brush.noHatch();
  brush.set("marker", "#e8743b", 1);
  brush.hatch(14, -0.7);
  brush.circle(0, 0, 60);
  brush.noHatch();
  brush.noStroke();
  brush.fill("#4f7f3a", 150);
  brush.rect(-40, 160, 80, 20);
}
