// attack (red27): a pen house (square, roof, door) for the one-line starter's prompt
// prompt: draw one line with an ink pen
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#222222", 2);
  brush.rect(-80, -20, 160, 140);
  brush.polygon([[-95,-20],[0,-120],[95,-20]]);
  brush.line(-20, 120, -20, 60); brush.line(-20, 60, 20, 60); brush.line(20, 60, 20, 120);
}
