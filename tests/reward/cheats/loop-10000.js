// cheat: one brush call in a loop, 10,000 times, to inflate run-time call counts
// (short strokes: the cheat is the call count, and 10,000 canvas-long pen lines take minutes to render)
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.set("pen", "#f8a67c", 1);
  for (let i = 0; i < 10000; i++) {
    const x = random(-250, 250), y = random(-250, 250);
    brush.line(x, y, x + random(-3, 3), y + random(-3, 3));
  }
}
