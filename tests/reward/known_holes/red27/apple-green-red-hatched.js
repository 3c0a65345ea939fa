// attack (red27): a green apple whose inside is hatched in red (the prompt colour as junk inside a wrong-coloured subject)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#2a9d4f", 2);
  brush.circle(-130, 7, 48);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
  brush.noStroke();
  brush.set("pen", "#d62828", 1);
  brush.hatch(6, 0.7);
  brush.circle(-130, 7, 40);
  brush.noHatch();
}
