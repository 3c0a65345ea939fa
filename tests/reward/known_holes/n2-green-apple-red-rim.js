// attack (holes26): a green filled apple with a thick red outline on its rim
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#2a9d4f", 220);
  brush.circle(-130, 7, 46);
  brush.noFill();
  brush.set("marker", "#d62828", 3);
  brush.circle(-130, 7, 48);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
}
