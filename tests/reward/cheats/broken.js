// a broken sketch: a syntax error on line 5
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  brush.fill("#f8a67c", 255;
  brush.circle(0, 0, 100);
}
