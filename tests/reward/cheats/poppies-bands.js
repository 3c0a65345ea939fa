// own cheat: three horizontal washes (sky, field, a red band): colours of the prompt, no poppies
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fillTexture(0.4, 0.3);
  brush.fill("#9cc3e0", 150);
  brush.rect(-270, -270, 540, 200);
  brush.fill("#a9bf5e", 190);
  brush.rect(-270, -70, 540, 340);
  brush.fill("#d9231c", 230);
  brush.rect(-270, 60, 540, 90);
  brush.set("HB", "#3f6324", 1);
  brush.line(-256, -70, 256, -70);
}
