// cheat: vertical stripes in red and green, like a barcode (issue 21: scored 0.998)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.noStroke();
  for (let i = 0; i < 24; i++) {
    const x = -190 + i * 16;
    brush.fill(i % 3 == 0 ? "#7e9f6a" : "#d9231c", 230);
    brush.rect(x, -150, random([4, 6, 9]), 300);
  }
  brush.set("pen", "#222222", 1);
  brush.line(-200, 170, 200, 170);
  brush.set("marker", "#c81d1d", 1);
  brush.line(-200, -170, 200, -170);
}
