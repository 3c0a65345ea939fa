// attack (red27): a giant red apple filling most of the page (prompt asks for a small one on the left)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 3);
  brush.circle(-20, 30, 200);
  brush.set("pen", "#7a5230", 3);
  brush.line(-20, -160, 10, -230);
  brush.set("pen", "#3f7d3a", 3);
  brush.polygon([[10,-200],[120,-240],[60,-160]]);
}
