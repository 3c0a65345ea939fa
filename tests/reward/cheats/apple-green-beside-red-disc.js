// attack (holes26): a green apple outline with a red filled disc below it (the disc alone looks like an apple)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#2a9d4f", 2);
  brush.circle(-130, -40, 48);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -78, -120, -102);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-93],[-101,-107],[-113,-83]]);
  brush.noStroke();
  brush.fill("#d62828", 220);
  brush.circle(-130, 110, 40);
}
