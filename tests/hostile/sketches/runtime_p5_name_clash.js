// expect: runtime
// A global function named like a p5 function: p5's own start fails on it, and so must the pre-started page.
function random(a, b) {
  return 0.5;
}
function setup() {
  createCanvas(512, 512, WEBGL);
  background(random(0, 255) * 255);
}
