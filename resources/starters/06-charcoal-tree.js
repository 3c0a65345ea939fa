// title: Tree in charcoal
// prompt: draw a lone bare tree in charcoal
// brushes: charcoal, 2B pencil, hatching

// Branches split in two or three, thinner each time, with a little randomness.
function branch(x, y, angle, len, w, depth) {
  const x2 = x + len * Math.cos(angle), y2 = y + len * Math.sin(angle);
  brush.set(w > 0.5 ? "charcoal" : "2B", "#1c1a18", max(w, 0.35));
  brush.spline([[x, y], [(x + x2) / 2 + random(-5, 5), (y + y2) / 2 + random(-5, 5)], [x2, y2]], 0.6);
  if (depth === 0) return;
  const n = depth > 4 ? 2 : random([2, 2, 3]);
  for (let i = 0; i < n; i++) {
    const spread = map(i, 0, n - 1, -0.45, 0.45) + random(-0.2, 0.2);
    branch(x2, y2, angle + spread, len * random(0.7, 0.82), w * 0.7, depth - 1);
  }
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#eeeae1");
  brush.scaleBrushes(2.2);

  // Ground: a hatched shadow and loose charcoal strokes.
  brush.noStroke();
  brush.hatch(5, 0.05, { rand: 0.3 });
  brush.hatchStyle("charcoal", "#3a3733", 0.5);
  brush.polygon([[-150, 178], [190, 172], [170, 196], [-120, 202]]);
  brush.noHatch();
  for (let i = 0; i < 12; i++) {
    brush.set("charcoal", "#2d2a27", random(0.6, 1.2));
    const x = random(-250, 200), y = 182 + random(-4, 12);
    brush.line(x, y, x + random(40, 110), y + random(-2, 2));
  }

  // Trunk: a few strokes that narrow upward, then the crown.
  for (let i = 0; i < 5; i++) {
    const off = map(i, 0, 4, -12, 12);
    brush.set("charcoal", "#171513", 1.6);
    brush.spline([[off * 1.4, 184], [off * 0.8 + random(-2, 2), 120], [off * 0.4, 60]], 0.5);
  }
  branch(-6, 62, -PI / 2 - 0.45, 70, 1.6, 6);
  branch(6, 62, -PI / 2 + 0.45, 70, 1.6, 6);
  branch(0, 90, -PI / 2 + random(-0.1, 0.1), 60, 1.2, 5);

  // Tufts of grass.
  for (let i = 0; i < 40; i++) {
    const x = random(-240, 240), y = 188 + random(0, 60);
    brush.set("2B", "#3b3835", 0.8);
    brush.line(x, y, x + random(-5, 5), y - random(6, 16));
  }
  noLoop();
}
