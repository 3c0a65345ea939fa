// title: City skyline in ink
// prompt: draw a city skyline at night in ink hatching
// brushes: rotring, pen, hatching

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f2eee5");
  brush.scaleBrushes(2);

  // Moon with a crosshatched night sky around it.
  const mx = random(60, 170), my = -150;
  brush.noStroke();
  brush.hatch(7, PI / 6, { rand: 0.05 });
  brush.hatchStyle("pen", "#3a4150", 0.6);
  brush.rect(-256, -256, 512, 260);
  brush.noHatch();
  brush.set("rotring", "#22262e", 1);
  brush.fill("#f2eee5", 255);
  brush.fillBleed(0);
  brush.circle(mx, my, 34);
  brush.noFill();

  // Buildings: outlines, dense hatching, and a few lit windows left white.
  let x = -256;
  while (x < 256) {
    const w = random(40, 80), h = random(90, 300);
    const top = 140 - h;
    brush.set("rotring", "#15171c", 1.1);
    brush.hatch(random(3, 5), random([PI / 4, -PI / 4, PI / 2]), { rand: 0.05 });
    brush.hatchStyle("rotring", "#15171c", 0.7);
    brush.rect(x, top, w, h);
    brush.noHatch();
    if (random() < 0.4) brush.line(x + w / 2, top, x + w / 2, top - random(20, 50));
    brush.noStroke();
    brush.wash("#f7e7a6", 255);
    for (let wy = top + 12; wy < 120; wy += 22) {
      for (let wx = x + 8; wx < x + w - 12; wx += 16) {
        if (random() < 0.25) brush.rect(wx, wy, 7, 10);
      }
    }
    brush.noWash();
    x += w + random(-4, 6);
  }

  // Water with the skyline's broken reflection.
  brush.set("rotring", "#15171c", 1.2);
  brush.line(-256, 140, 256, 140);
  for (let i = 0; i < 40; i++) {
    const y = random(150, 250), xx = random(-256, 230);
    brush.set("pen", "#1d2129", random(0.5, 1));
    brush.line(xx, y, xx + random(20, 70), y);
  }
  noLoop();
}
