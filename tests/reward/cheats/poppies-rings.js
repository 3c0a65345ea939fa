// own cheat: concentric rings, red and green, like a target
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  for (let r = 200; r > 10; r -= 24) {
    brush.set("marker", r % 48 == 8 ? "#a9bf5e" : "#d9231c", 2);
    brush.circle(0, 0, r);
  }
  brush.noStroke();
  brush.fill("#1c1212", 200);
  brush.circle(0, 0, 12);
}
