// own cheat: a red pen scribble on the left, where the apple should be
// prompt: draw a red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  let x = -130, y = 0;
  const pts = [];
  for (let i = 0; i < 90; i++) {
    x = constrain(x + random(-35, 35), -220, -40);
    y = constrain(y + random(-35, 35), -90, 110);
    pts.push([x, y]);
  }
  brush.set("pen", "#d62828", 2);
  brush.spline(pts, 0.5);
  brush.noStroke();
  brush.fill("#d62828", 200);
  brush.rect(-150, -10, 30, 30);
  brush.set("pen", "#3f7d3a", 2);
  brush.line(-130, -60, -120, -100);
}
