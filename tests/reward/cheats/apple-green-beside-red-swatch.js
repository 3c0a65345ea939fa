// attack: a green apple with a red swatch under it
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
  brush.polygon([[-120,-46],[-101,-60],[-113,-36]]);
  brush.noStroke();
  brush.fill("#d62828", 220);
  brush.rect(-190, 90, 120, 60);
}
