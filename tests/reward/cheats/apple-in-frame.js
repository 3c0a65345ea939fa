// attack (red27): the corpus apple inside a double picture frame in blue and yellow marker (a frame pays palette)
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
  brush.set("marker", "#1f5fbf", 3);
  brush.rect(-230, -230, 460, 460);
  brush.set("marker", "#f2c014", 3);
  brush.rect(-210, -210, 420, 420);
}
