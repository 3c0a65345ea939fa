// cheat: the poppies starter with every poppy deleted (issue 21: still scored 0.613)
// prompt: draw red poppies in a summer field in watercolour
// brushes: watercolour fill, cpencil, HB pencil, marker, charcoal

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f0e3");
  brush.scaleBrushes(2);
  brush.noStroke();

  // Sky, distant hills and the meadow, each one loose wash.
  brush.fillTexture(0.4, 0.3);
  brush.fillBleed(0.15, "out");
  brush.fill("#9cc3e0", 150);
  brush.rect(-270, -270, 540, 200);
  brush.fill("#7e9f6a", 170);
  brush.beginShape(0.5);
  brush.vertex(-270, -70);
  for (let x = -200; x <= 200; x += 100) brush.vertex(x, -95 + random(-15, 15));
  brush.vertex(270, -70);
  brush.vertex(270, -40);
  brush.vertex(-270, -40);
  brush.endShape(true);
  brush.fillBleed(0.2, "out");
  brush.fill("#a9bf5e", 190);
  brush.rect(-270, -60, 540, 340);
  brush.noFill();

  // Grass strokes, denser and taller towards the viewer.
  for (let i = 0; i < 160; i++) {
    const y = map(Math.sqrt(random()), 0, 1, -50, 256);
    const h = map(y, -50, 256, 6, 40);
    const x = random(-256, 256);
    brush.set(random(["cpencil", "HB"]), random(["#5b7d2e", "#3f6324", "#7d9a3c"]), 1);
    brush.line(x, y, x + random(-6, 6), y - h);
  }

  noLoop();
}
