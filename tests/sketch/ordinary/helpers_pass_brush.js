function petal(b, x, y, r) {
  b.fill("#ff69b4", 90);
  b.circle(x, y, r);
}
function stem(b) {
  b.set("HB", "#2e7d32", 1);
  b.line(0, 0, 0, 200);
}
function setup() { createCanvas(400, 400, WEBGL); }
function draw() {
  stem(brush);
  for (let i = 0; i < 5; i++) petal(brush, cos(TWO_PI * i / 5) * 40, sin(TWO_PI * i / 5) * 40, 30);
  noLoop();
}
