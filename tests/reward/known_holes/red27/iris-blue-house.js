// attack (red27): a blue watercolour house with green blades beside it (a wrong subject in the prompt's colour; iris is not in the recogniser's vocabulary)
// prompt: draw a blue iris with sword leaves in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.rect(-80, -20, 160, 140);
  brush.fill("#7a5230", 200);
  brush.polygon([[-95,-20],[0,-120],[95,-20]]);
  brush.rect(-20, 50, 40, 70);
  brush.set("marker", "#3f7d3a", 2);
  brush.line(-120, 170, -110, 0); brush.line(-135, 170, -150, 20); brush.line(120, 170, 112, 10); brush.line(135, 170, 150, 30);
}
