// attack (red27): a corpus-style lollipop tree (trunk + grey disc crown) for the bare-tree starter's prompt
// prompt: draw a lone bare tree in charcoal
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("charcoal", "#3a3a3a", 2);
  brush.rect(-15, 20, 30, 155);
  brush.circle(0, -40, 90);
  brush.line(-200, 175, 200, 175);
}
