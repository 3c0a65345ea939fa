// title: Sunflower
// prompt: draw a yellow sunflower against a blue sky in watercolour
// brushes: watercolour fill, crayon, marker

function shape(pts, curve) {
  brush.beginShape(curve);
  for (const p of pts) brush.vertex(p[0], p[1]);
  brush.endShape(true);
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f1e6");
  brush.scaleBrushes(2);
  brush.noStroke();

  // Sky wash.
  brush.fillTexture(0.5, 0.3);
  brush.fillBleed(0.3, "out");
  brush.fill("#8fbfe3", 140);
  brush.rect(-270, -270, 540, 540);

  // Stem and two leaves.
  const cx = random(-20, 20), cy = -60;
  brush.noFill();
  brush.set("marker", "#3e6b2a", 2.5);
  brush.spline([[cx, cy + 60], [cx - 10, cy + 150], [cx + 8, 270]], 0.5);
  brush.noStroke();
  brush.fillBleed(0.15, "out");
  brush.fill("#4f8a34", 220);
  shape([[cx - 4, 110], [cx - 70, 70], [cx - 140, 95], [cx - 70, 125]], 0.7);
  shape([[cx + 4, 170], [cx + 75, 135], [cx + 135, 160], [cx + 65, 190]], 0.7);

  // Two rings of yellow petals.
  for (let ring = 0; ring < 2; ring++) {
    const n = 16;
    const len = ring ? 120 : 135;
    for (let i = 0; i < n; i++) {
      const a = ((i + ring * 0.5) / n) * TWO_PI + random(-0.05, 0.05);
      const c = Math.cos(a), s = Math.sin(a), w = 0.17;
      brush.fillBleed(0.08, "out");
      brush.fillTexture(0.5, 0.6);
      brush.fill(ring ? "#f2b705" : "#f7cf2d", 230);
      shape([
        [cx + 40 * c, cy + 40 * s],
        [cx + len * 0.6 * Math.cos(a - w), cy + len * 0.6 * Math.sin(a - w)],
        [cx + len * c, cy + len * s],
        [cx + len * 0.6 * Math.cos(a + w), cy + len * 0.6 * Math.sin(a + w)],
      ], 0.6);
    }
  }

  // The seed head: a brown wash, cross-hatched dark, then seeds set on the golden angle.
  brush.fillBleed(0.1, "out");
  brush.fill("#6b3d12", 250);
  brush.circle(cx, cy, 54, 0.4);
  brush.noFill();
  brush.hatch(3, PI / 4, { rand: 0.2 });
  brush.hatchStyle("charcoal", "#3a200b", 0.6);
  brush.circle(cx, cy, 44);
  brush.hatch(3, -PI / 4, { rand: 0.2 });
  brush.circle(cx, cy, 34);
  brush.noHatch();
  for (let i = 0; i < 220; i++) {
    const r = 3.3 * Math.sqrt(i), a = i * 2.39996;
    brush.set("crayon", random(["#1e1006", "#3b2108", "#a8741f"]), 0.9);
    brush.line(cx + r * Math.cos(a), cy + r * Math.sin(a), cx + r * Math.cos(a) + 2, cy + r * Math.sin(a) + 2);
  }
  noLoop();
}
