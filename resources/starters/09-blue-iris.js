// title: Blue iris
// prompt: draw a blue iris with sword leaves in watercolour
// brushes: watercolour fill, crayon, pen, marker

// A petal outline from (cx, cy) toward angle a: narrow claw, broad blade.
function petal(cx, cy, a, len, w) {
  const c = Math.cos(a), s = Math.sin(a);
  const at = (u, v) => [cx + u * c - v * s, cy + u * s + v * c];
  return [at(0, 0), at(len * 0.3, w * 0.6), at(len * 0.7, w), at(len, w * 0.2), at(len, -w * 0.2),
    at(len * 0.7, -w), at(len * 0.3, -w * 0.6)];
}

function shape(pts, curve) {
  brush.beginShape(curve);
  for (const p of pts) brush.vertex(p[0], p[1]);
  brush.endShape(true);
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f5f2ea");
  brush.scaleBrushes(2);
  const cx = random(-15, 15), cy = -60;

  // Sword-shaped leaves rising from the ground.
  brush.noStroke();
  brush.fillTexture(0.3, 0.4);
  for (let i = 0; i < 4; i++) {
    const bx = cx + map(i, 0, 3, -70, 70) + random(-10, 10), lean = map(i, 0, 3, -70, 70) + random(-20, 20);
    brush.fillBleed(0.08, "out");
    brush.fill(random(["#4f7d3b", "#3c6a33", "#5f8f44"]), 220);
    shape([[bx - 12, 270], [bx + lean * 0.4 - 10, 150], [bx + lean, random(30, 70)], [bx + lean * 0.4 + 8, 150], [bx + 12, 270]], 0.3);
  }
  brush.noFill();
  brush.set("marker", "#3c6a33", 2);
  brush.line(cx, cy + 60, cx + 4, 270);
  brush.noStroke();

  // Three upright standards, violet-blue, curving inward at the top.
  for (const a of [-PI / 2, -PI / 2 - 0.45, -PI / 2 + 0.45]) {
    brush.fillBleed(0.12, "out");
    brush.fill("#6c5fd0", 235);
    shape(petal(cx, cy + 12, a + random(-0.05, 0.05), 125, 34), 0.6);
  }

  // Three drooping falls, deep blue, each with a yellow beard and fine dark veins.
  for (const a of [PI / 2, PI / 2 + 1.05, PI / 2 - 1.05]) {
    const fa = a + random(-0.08, 0.08);
    brush.fillBleed(0.1, "out");
    brush.fill("#2f3fb0", 240);
    shape(petal(cx, cy, fa, 135, 46), 0.6);
    brush.fill("#23308f", 150);
    shape(petal(cx, cy, fa, 90, 24), 0.6);
    brush.noFill();
    brush.set("crayon", "#f3c623", 1.1);
    brush.line(cx + 10 * Math.cos(fa), cy + 10 * Math.sin(fa), cx + 65 * Math.cos(fa), cy + 65 * Math.sin(fa));
    for (let v = -2; v <= 2; v++) {
      const va = fa + v * 0.11;
      brush.set("pen", "#18206a", 0.35);
      brush.line(cx + 45 * Math.cos(va), cy + 45 * Math.sin(va), cx + 100 * Math.cos(va), cy + 100 * Math.sin(va));
    }
    brush.noStroke();
  }
  noLoop();
}
