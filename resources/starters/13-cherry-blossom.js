// title: Cherry blossom branch
// prompt: draw pink cherry blossoms on a branch in watercolour
// brushes: watercolour fill, charcoal, 2B pencil, pen, hand field

// A branch as a curving spline that forks into twigs; collects points where blossoms can sit.
function twig(x, y, angle, len, w, depth, spots) {
  const pts = [[x, y]];
  let px = x, py = y, a = angle;
  for (let i = 0; i < 5; i++) {
    a += random(-0.22, 0.22);
    px += (len / 5) * Math.cos(a);
    py += (len / 5) * Math.sin(a);
    pts.push([px, py]);
    if (depth < 2 || i > 2) spots.push([px, py]);
  }
  brush.set(depth > 1 ? "charcoal" : "2B", "#2e1f1a", w);
  brush.spline(pts, 0.7);
  if (depth === 0) return;
  for (let i = 1; i < pts.length - 1; i++) {
    const side = i % 2 ? -1 : 1;
    twig(pts[i][0], pts[i][1], a + side * random(0.5, 0.8), len * 0.42, w * 0.55, depth - 1, spots);
  }
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f2ec");
  brush.scaleBrushes(2.2);
  brush.noFill();
  brush.wiggle(1.2);

  // The branch reaches in from the lower left toward the upper right.
  const spots = [];
  twig(-270, 170, -0.55, 430, 2.4, 2, spots);
  brush.noField();

  // Blossoms: clusters of pale pink cups with a deeper pink heart and a few stamens.
  brush.noStroke();
  for (let i = 0; i < 34; i++) {
    const [sx, sy] = random(spots);
    const x = sx + random(-12, 12), y = sy + random(-12, 12), r = random(15, 21);
    if (abs(x) > 245 || abs(y) > 245) continue;
    brush.fillBleed(0.12, "out");
    brush.fillTexture(0.4, 0.9);
    brush.fill(random(["#f5a9c0", "#f29ab4", "#f8bccd"]), 245);
    brush.circle(x, y, r, 0.8);
    brush.noFill();
    brush.set("charcoal", "#c2456e", 0.6);
    brush.circle(x, y, r * 0.22);
    for (let k = 0; k < 4; k++) {
      const a = random(TWO_PI);
      brush.set("pen", "#9c3558", 0.3);
      brush.line(x, y, x + r * 0.45 * Math.cos(a), y + r * 0.45 * Math.sin(a));
    }
    brush.noStroke();
  }

  // Loose petals drifting down.
  for (let i = 0; i < 8; i++) {
    brush.set("marker", "#ec86a6", 2);
    const x = random(-60, 230), y = random(120, 240);
    brush.line(x, y, x + random(5, 9), y + random(-3, 3));
  }
  noLoop();
}
