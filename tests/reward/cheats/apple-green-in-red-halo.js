// attack (red27): a green pen apple sitting on a larger red watercolour disc (the prompt colour as a halo behind a wrong-coloured subject)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#d62828", 200);
  brush.circle(-130, 7, 62);
  brush.set("pen", "#2a9d4f", 2);
  brush.circle(-130, 7, 40);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
}
