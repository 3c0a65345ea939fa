// attack (red27): the corpus apple plus a broad red marker smear under it, touching it (the prompt colour off the subject, joined to it)
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
  brush.set("marker", "#d62828", 4);
  brush.line(-200, 58, -60, 58);
  brush.line(-190, 66, -70, 66);
  brush.line(-180, 74, -80, 74);
}
