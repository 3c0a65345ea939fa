// own cheat: a regular grid of red dots on a green rectangle
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#a9bf5e", 200);
  brush.rect(-230, -60, 460, 290);
  brush.fill("#9cc3e0", 150);
  brush.rect(-230, -230, 460, 160);
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 4; j++) {
      brush.fill("#d9231c", 240);
      brush.circle(-190 + i * 76, -20 + j * 70, 18);
    }
  }
  brush.set("pen", "#3f5f1f", 1);
  brush.line(-230, 235, 230, 235);
}
