// attack (red27b): a blue disc and a detached blue dot; the dot is an outline part, so the gate opens where the real watercolour apple fails it
// prompt: draw a blue apple in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.circle(0, 20, 80);
  brush.circle(30, -80, 22);
}
