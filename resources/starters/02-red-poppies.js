// title: Red poppies in a field
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

  // Far poppies are quick marker dabs.
  for (let i = 0; i < 40; i++) {
    const y = random(-50, 60), x = random(-250, 250), r = map(y, -50, 60, 2, 7);
    brush.set("marker", random(["#d9231c", "#e2372a"]), r / 3);
    brush.line(x - r, y, x + r, y + random(-1, 1));
  }

  // Near poppies: a stem, a red watercolour cup and a dark heart.
  const flowers = [];
  for (let i = 0; i < 14; i++) {
    const y = map(random() ** 0.8, 0, 1, 70, 220);
    flowers.push([random(-230, 230), y, map(y, 70, 220, 14, 32)]);
  }
  flowers.sort((a, b) => a[1] - b[1]);
  for (const [x, y, r] of flowers) {
    brush.noFill();
    brush.set("cpencil", "#3f5f1f", 1.3);
    brush.spline([[x, y + r * 0.6], [x + random(-10, 10), y + r * 2.5], [x + random(-8, 8), y + r * 5]], 0.5);
    brush.noStroke();
    brush.fillBleed(0.12, "out");
    brush.fillTexture(0.5, 0.8);
    brush.fill(random(["#d9231c", "#e2372a", "#c81d1d"]), 240);
    brush.circle(x, y, r, 0.8);
    brush.noFill();
    brush.set("charcoal", "#1c1212", 1.2);
    brush.circle(x + random(-2, 2), y + random(-2, 2), r * 0.16);
    brush.noStroke();
  }
  noLoop();
}
