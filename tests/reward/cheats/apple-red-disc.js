// own cheat: one red disc with a pen ring on the left: the apple's colour and place, no apple
// prompt: draw a red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#d62828", 200);
  brush.circle(-130, 20, 80);
  brush.set("pen", "#d62828", 2);
  brush.noFill();
  brush.circle(-130, 20, 84);
  brush.line(-200, 120, -60, 120);
}
