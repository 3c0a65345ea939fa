// title: A single ink line
// prompt: draw one line with an ink pen
// brushes: pen

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(3);
  brush.set("pen", "#1d2a44", 2);
  brush.line(-180, 60, 180, -60);
  noLoop();
}
