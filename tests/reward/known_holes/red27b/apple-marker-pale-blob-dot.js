// attack (red27b): a pale red wash with a detached pale dot on a bold marker prompt: the dot opens the outline-parts gate
// prompt: draw a red apple in the centre in marker
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#d62828", 90);
  brush.circle(0, 20, 80);
  brush.circle(30, -80, 20);
}
