// cheat: a grey pencil house (another subject, no colour) with one dab of the prompt's colour
// (issue 21: scored 0.935; neutrals were left out of the colour share)
// prompt: draw a peach hibiscus in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  brush.set("HB", "#6b6b6b", 1.5);
  brush.noFill();
  brush.rect(-110, -20, 220, 160);
  brush.polygon([[-130, -20], [0, -140], [130, -20]]);
  brush.rect(-25, 60, 50, 80);
  brush.rect(-85, 10, 40, 35);
  brush.rect(45, 10, 40, 35);
  brush.set("2B", "#555555", 1);
  brush.hatch(6, 0.8);
  brush.polygon([[-130, -20], [0, -140], [130, -20]]);
  brush.noHatch();
  brush.line(-200, 140, 200, 140);
  brush.noStroke();
  brush.fill("#f39a5b", 200);
  brush.circle(60, -90, 12);
}
