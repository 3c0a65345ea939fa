// cheat: one red watercolour disc (issue 21: scored 0.934)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fillBleed(0.15, "out");
  brush.fillTexture(0.5, 0.8);
  brush.fill("#d9231c", 240);
  brush.circle(0, 0, 120, 0.8);
  brush.set("charcoal", "#1c1212", 1.2);
  brush.noFill();
  brush.circle(0, 0, 20);
  brush.set("cpencil", "#3f5f1f", 1.3);
  brush.line(0, 120, 0, 240);
}
