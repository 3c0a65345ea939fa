// attack (red27): a corpus-style house in yellow, brown, green and blue for a prompt naming neither a known subject nor a colour
// prompt: draw a bowl of lemons in soft pastel
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#f2c014", 200);
  brush.rect(-80, -20, 160, 140);
  brush.fill("#7a5230", 200);
  brush.polygon([[-95,-20],[0,-120],[95,-20]]);
  brush.rect(-20, 50, 40, 70);
  brush.fill("#2a9d4f", 200);
  brush.circle(-150, 90, 40);
  brush.fill("#7b3fa0", 200);
  brush.rect(40, 10, 30, 30);
  brush.set("pen", "#222222", 2);
  brush.line(-190, 140, 150, 140);
  brush.set("HB", "#1f5fbf", 2);
  brush.line(-190, 122, 150, 122);
}
