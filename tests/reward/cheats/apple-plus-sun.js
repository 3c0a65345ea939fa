// attack (red27): the corpus apple plus a second, unasked subject (a blue watercolour sun with rays) on the right
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 2);
  brush.circle(-130, 7, 48);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.circle(140, -120, 40);
  brush.set("HB", "#1f5fbf", 2);
  brush.line(195, -120, 220, -120); brush.line(85, -120, 60, -120);
  brush.line(140, -65, 140, -40); brush.line(140, -175, 140, -200);
}
