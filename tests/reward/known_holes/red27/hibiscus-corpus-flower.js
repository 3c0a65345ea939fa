// attack (red27): the corpus's simple four-disc flower in peach, doubled in size, with a leaf, for the hibiscus starter's prompt
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("marker", "#3f7d3a", 3);
  brush.line(0, -40, 0, 220);
  brush.noStroke();
  brush.fill("#3f7d3a", 200);
  brush.polygon([[0, 120], [80, 60], [100, 90]]);
  brush.fill("#f8a67c", 210);
  brush.circle(60, -90, 60); brush.circle(-60, -90, 60); brush.circle(0, -30, 60); brush.circle(0, -150, 60);
  brush.fill("#f2c014", 210);
  brush.circle(0, -90, 22);
  brush.set("pen", "#1f5fbf", 1);
  brush.line(0, -90, 40, -130); brush.line(0, -90, -40, -130); brush.line(0, -90, 40, -50); brush.line(0, -90, -40, -50);
}
