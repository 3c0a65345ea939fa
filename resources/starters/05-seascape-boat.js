// title: Sailing boat at sea
// prompt: draw a seascape with a small sailing boat in watercolour and ink
// brushes: watercolour fill, rotring, cpencil, waves field

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f5f1e8");
  brush.scaleBrushes(2);
  brush.noStroke();

  // Sky and sea washes.
  brush.fillTexture(0.4, 0.2);
  brush.fillBleed(0.2, "out");
  brush.fill("#a7cbe4", 160);
  brush.rect(-270, -270, 540, 290);
  brush.fillBleed(0.1, "out");
  brush.fill("#2f6f8f", 200);
  brush.rect(-270, 10, 540, 270);
  brush.fill("#5a9bb0", 120);
  brush.rect(-270, 0, 540, 60);

  // A few soft grey-blue clouds.
  brush.fillBleed(0.3, "out");
  for (let i = 0; i < 3; i++) {
    brush.fill("#c9d6e3", 150);
    brush.rect(random(-240, 120), random(-220, -110), random(80, 140), random(16, 26));
  }

  // Wave strokes following the "waves" vector field.
  brush.field("waves");
  for (let i = 0; i < 70; i++) {
    const y = random(20, 250);
    brush.set(random(["rotring", "cpencil"]), random(["#1d4b63", "#e8f3f6", "#3b7d96"]), random(0.6, 1.2));
    brush.flowLine(random(-270, 230), y, map(y, 20, 250, 40, 120), 0);
  }
  brush.noField();

  // The boat: hull, mast and two sails, outlined in ink.
  const bx = random(-80, 40), by = 40;
  brush.set("rotring", "#1f1a17", 1.2);
  brush.fillBleed(0.05);
  brush.fill("#9b3b2a", 230);
  brush.polygon([[bx - 70, by], [bx + 75, by], [bx + 55, by + 24], [bx - 52, by + 24]]);
  brush.noFill();
  brush.line(bx, by, bx, by - 150);
  // Sails: an opaque wash so the sky does not show through the canvas.
  brush.wash("#fbf5e6", 255);
  brush.polygon([[bx + 4, by - 145], [bx + 4, by - 8], [bx + 70, by - 8]]);
  brush.polygon([[bx - 4, by - 120], [bx - 4, by - 8], [bx - 55, by - 8]]);
  brush.noWash();

  // Gulls.
  brush.noFill();
  for (let i = 0; i < 3; i++) {
    const x = random(60, 220), y = random(-220, -140);
    brush.set("pen", "#333", 0.7);
    brush.spline([[x - 8, y - 3], [x - 3, y - 2], [x, y], [x + 3, y - 2], [x + 8, y - 3]], 0.6);
  }
  noLoop();
}
