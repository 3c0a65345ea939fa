var angle = 0;
let colours = ["#d7263d", "#ff8c42", "#f5d300"];
function setup() {
  createCanvas(window.innerWidth > 800 ? 800 : 600, 600, WEBGL);
  window.angleStep = 0.1;
  pixelDensity(1);
}
function draw() {
  angle += window.angleStep;
  const c = colours[frameCount % colours.length];
  brush.set("cpencil", c, 1.5);
  brush.flowLine(0, 0, 200, angle);
  brush.fill(c, 60);
  brush.circle(0, 0, 30);
  if (frameCount > 3) noLoop();
}
