// title: Lakeside village (heavy)
// prompt: draw a lakeside village under mountains in rich watercolour
// brushes: watercolour fill, wash, rotring, pen, cpencil, HB pencil, waves field

// The heaviest starter: many layered watercolour fills; the editor benchmark uses it.

function shape(pts, curve) {
  brush.beginShape(curve);
  for (const p of pts) brush.vertex(p[0], p[1]);
  brush.endShape(true);
}

function pine(x, y, h) {
  brush.fill(random(["#2f5d3a", "#264f33", "#3b6b41"]), 230);
  brush.polygon([[x, y - h], [x + h * 0.28, y], [x - h * 0.28, y]]);
}

function house(x, y, w, h, wall, roof) {
  // Walls are an opaque wash so the forest behind does not show through them.
  brush.set("pen", "#3a2a22", 0.6);
  brush.wash(wall, 255);
  brush.rect(x, y - h, w, h);
  brush.noWash();
  brush.fill(roof, 245);
  brush.polygon([[x - 5, y - h], [x + w / 2, y - h - w * 0.45], [x + w + 5, y - h]]);
  brush.noFill();
  brush.noStroke();
  brush.wash("#3d3026", 200);
  brush.rect(x + w * 0.35, y - h * 0.55, w * 0.25, h * 0.55);
  brush.noWash();
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f8f2e6");
  brush.scaleBrushes(2);
  brush.noStroke();

  // Sky in two washes, warm near the horizon.
  brush.fillTexture(0.4, 0.2);
  brush.fillBleed(0.2, "out");
  brush.fill("#8dbbe0", 190);
  brush.rect(-270, -270, 540, 180);
  brush.fill("#f6cf9a", 150);
  brush.rect(-270, -130, 540, 70);

  // Mountains: a blue far range and a snow-capped nearer peak.
  brush.fillBleed(0.08, "out");
  brush.fillTexture(0.5, 0.6);
  brush.fill("#7d8fc0", 240);
  shape([[-270, -30], [-190, -120], [-120, -90], [-40, -150], [40, -100], [120, -140], [200, -80], [270, -110], [270, -30]], 0.15);
  brush.fill("#4f5f92", 245);
  shape([[-150, -30], [-60, -130], [-20, -105], [30, -30]], 0.1);
  brush.noFill();
  brush.wash("#fbfbff", 240);
  brush.polygon([[-82, -108], [-60, -130], [-40, -113], [-52, -116], [-62, -106], [-70, -112]]);
  brush.noWash();

  // The far shore: a band of forest with pines.
  brush.fill("#5d8a4a", 230);
  brush.rect(-270, -45, 540, 30);
  for (let x = -260; x < 270; x += random(14, 26)) pine(x, -22 + random(-4, 4), random(30, 55));

  // A little village on the shore.
  house(40, -20, 34, 26, "#f0e2c8", "#b3452f");
  house(82, -18, 26, 22, "#e9d3b0", "#8e3a2c");
  house(-20, -20, 30, 24, "#f3e8d4", "#a34a35");

  // The lake, its reflections and ripples.
  brush.fillBleed(0.1, "out");
  brush.fillTexture(0.6, 0.4);
  brush.fill("#4f8fb3", 210);
  brush.rect(-270, -12, 540, 180);
  brush.fill("#2f5d3a", 90);
  brush.rect(-270, -12, 540, 30);
  brush.field("waves");
  for (let i = 0; i < 60; i++) {
    const y = random(0, 135);
    brush.set(random(["rotring", "cpencil"]), random(["#2c5f80", "#e9f2f6", "#7fb0cc"]), random(0.5, 1));
    brush.flowLine(random(-270, 230), y, random(30, 90), 0);
  }
  brush.noField();

  // A rowing boat.
  brush.set("pen", "#2a1c14", 0.8);
  brush.fill("#7b4a2a", 240);
  brush.polygon([[-150, 70], [-70, 70], [-85, 84], [-140, 84]]);
  brush.noFill();
  brush.line(-120, 68, -95, 95);

  // Foreground bank: grass, reeds and a few flowers.
  brush.noStroke();
  brush.fillBleed(0.15, "out");
  brush.fill("#6f9a3e", 250);
  shape([[-270, 170], [-100, 150], [60, 165], [270, 145], [270, 270], [-270, 270]], 0.4);
  for (let i = 0; i < 70; i++) {
    const x = random(-260, 260), y = random(160, 260);
    brush.set(random(["HB", "cpencil"]), random(["#3e6a2a", "#5b8a34", "#2d5020"]), 1);
    brush.line(x, y, x + random(-8, 8), y - random(15, 45));
  }
  for (let i = 0; i < 16; i++) {
    const x = random(-250, 250), y = random(185, 250), r = random(3, 5);
    brush.set("marker", random(["#e23b3b", "#f5c92c", "#ee7fb0", "#c04fd0"]), 1.2);
    brush.line(x - r, y, x + r, y);
    brush.line(x, y - r, x, y + r);
  }
  noLoop();
}
