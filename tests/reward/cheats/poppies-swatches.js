// cheat: a colour-swatch chart, the prompt's colours in a grid of squares (issue 21: scored 0.926)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  const inks = ["#d9231c", "#e2372a", "#c81d1d", "#a9bf5e", "#7e9f6a", "#3f5f1f", "#9cc3e0", "#1c1212", "#d9231c"];
  brush.noStroke();
  brush.fillTexture(0.4, 0.3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      brush.fill(inks[i * 3 + j], 220);
      brush.rect(-170 + j * 120, -170 + i * 120, 100, 100);
    }
  }
  brush.set("HB", "#333333", 1);
  brush.line(-180, 200, 180, 200);
  brush.set("marker", "#d9231c", 1);
  brush.line(-180, 215, 180, 215);
}
