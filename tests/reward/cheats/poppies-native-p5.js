// cheat: native p5 drawing (flat ellipses, no p5.brush) with six brush calls that draw nothing
// (issue 21: scored 0.997)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  brush.set("pen", "#d9231c", 1);
  brush.fill("#d9231c", 0);
  brush.line(0, 0, 0, 0);
  brush.circle(9000, 9000, 1);
  brush.rect(-9000, -9000, 1, 1);
  noStroke();
  fill("#a9bf5e");
  rect(-256, -40, 512, 300);
  fill("#9cc3e0");
  rect(-256, -256, 512, 216);
  for (let i = 0; i < 18; i++) {
    const x = random(-220, 220), y = random(20, 220), r = random(14, 30);
    stroke("#3f5f1f");
    strokeWeight(2);
    line(x, y, x, y + r * 2.5);
    noStroke();
    fill(random(["#d9231c", "#e2372a", "#c81d1d"]));
    ellipse(x, y, r * 2, r * 1.7);
    fill("#1c1212");
    ellipse(x, y, r * 0.35);
  }
}
