let seed = 1;
function setup() {
  createCanvas(400, 400, WEBGL);
  setTimeout(() => redraw(), 100);
  setInterval(redraw, 1000);
}
function draw() {
  randomSeed(seed);
  brush.set("marker", "#d7263d", 1);
  brush.circle(random(-100, 100), random(-100, 100), 50);
  brush.fill("#fff", 40);
  brush.rect(-20, -20, 40, 40);
}
function mousePressed(event) {
  seed += 1;
  if (event && event.button === 0) redraw();
}
function keyPressed(e) {
  if (e.key === "s") saveCanvas("sketch", "png");
  if (typeof brush === "undefined") return false;
}
function windowResized() { resizeCanvas(windowWidth, windowHeight); }
