// own cheat: a lattice of red and green lines over the canvas
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  for (let i = -200; i <= 200; i += 25) {
    brush.set("pen", "#d9231c", 1.5);
    brush.line(i, -220, i, 220);
    brush.set("cpencil", "#7e9f6a", 1.5);
    brush.line(-220, i, 220, i);
  }
  brush.noStroke();
  brush.fill("#d9231c", 200);
  brush.rect(-12, -12, 24, 24);
}
