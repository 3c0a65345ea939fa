// title: Peach hibiscus
// prompt: draw a peach hibiscus in watercolour
// brushes: watercolour fill, cpencil, pen

// A petal as a closed outline: narrow at the heart, broad and ruffled at the tip.
function petal(angle, len, halfWidth) {
  const pts = [[0, 0]];
  for (let i = 0; i <= 12; i++) {
    const a = map(i, 0, 12, -halfWidth, halfWidth);
    const r = len * (0.86 + 0.14 * Math.cos(a * 6)) + random(-6, 6);
    pts.push([r * Math.cos(angle + a), r * Math.sin(angle + a)]);
  }
  return pts;
}

function shape(pts, curve) {
  brush.beginShape(curve);
  for (const p of pts) brush.vertex(p[0], p[1]);
  brush.endShape(true);
}

// A pointed leaf outline from radius r0 to r1 along direction a.
function leaf(a, r0, r1, w) {
  const c = Math.cos(a), s = Math.sin(a);
  const at = (r, side) => [r * c - side * s, r * s + side * c];
  const pts = [];
  for (let i = 0; i <= 8; i++) pts.push(at(lerp(r0, r1, i / 8), w * Math.sin((PI * i) / 8) ** 0.8));
  for (let i = 7; i > 0; i--) pts.push(at(lerp(r0, r1, i / 8), -w * Math.sin((PI * i) / 8) ** 0.8));
  return pts;
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2.2);
  translate(0, 10);
  const base = random(TWO_PI);

  // Leaves peek out between the petals.
  brush.noStroke();
  brush.fillTexture(0.5, 0.5);
  for (let i = 0; i < 3; i++) {
    const a = base + PI / 5 + (i * TWO_PI) / 3 + random(-0.2, 0.2);
    brush.fillBleed(0.2, "out");
    brush.fill(random(["#4f7f3a", "#5d8c41", "#3f6e35"]), 200);
    const pts = leaf(a, 120, random(245, 262), 40);
    shape(pts, 0.3);
    brush.set("pen", "#2f4a25", 0.7);
    brush.line(pts[0][0], pts[0][1], pts[8][0] * 0.95, pts[8][1] * 0.95);
    brush.noStroke();
  }

  // Five broad peach petals, a pale wash and then a warmer glaze.
  for (let i = 0; i < 5; i++) {
    const a = base + (i * TWO_PI) / 5 + random(-0.1, 0.1);
    brush.fillBleed(0.25, "out");
    brush.fillTexture(0.6, 0.6);
    brush.fill("#f8a67c", 235);
    shape(petal(a, 170, 0.6), 0.6);
  }
  for (let i = 0; i < 5; i++) {
    const a = base + (i * TWO_PI) / 5 + random(-0.1, 0.1);
    brush.fillBleed(0.1, "out");
    brush.fill("#ee8660", 150);
    shape(petal(a, 95, 0.45), 0.6);
  }

  // The deep red heart.
  brush.fillBleed(0.3, "out");
  brush.fill("#b52b2b", 230);
  brush.circle(0, 0, 34, 0.6);

  // Veins drawn from the heart.
  brush.noFill();
  for (let i = 0; i < 25; i++) {
    const a = base + (i * TWO_PI) / 25 + random(-0.05, 0.05);
    brush.set("cpencil", "#b33c30", 1);
    brush.line(22 * Math.cos(a), 22 * Math.sin(a), random(70, 115) * Math.cos(a), random(70, 115) * Math.sin(a));
  }

  // The stamen column with yellow pollen at its tip.
  const sa = base + PI / 5 + PI / 3;
  const ex = 115 * Math.cos(sa), ey = 115 * Math.sin(sa);
  brush.set("pen", "#c9645a", 3);
  brush.line(0, 0, ex, ey);
  brush.noStroke();
  brush.fillBleed(0.05);
  brush.fill("#f0b419", 255);
  for (let i = 0; i < 10; i++) {
    const t = random(0.8, 1.05);
    brush.circle(ex * t + random(-8, 8), ey * t + random(-8, 8), random(4, 6));
  }
  noLoop();
}
