// title: Bowl of lemons in pastel
// prompt: draw a bowl of lemons in soft pastel
// brushes: pastel, crayon, mass

// A lemon: an ellipse with pointed ends, turned by angle a.
function lemon(x, y, rx, ry, a) {
  const pts = [];
  for (let i = 0; i < 16; i++) {
    const t = (i / 16) * TWO_PI;
    const tip = 1 + 0.22 * Math.abs(Math.cos(t)) ** 8;
    const u = rx * tip * Math.cos(t), v = ry * Math.sin(t);
    pts.push([x + u * Math.cos(a) - v * Math.sin(a), y + u * Math.sin(a) + v * Math.cos(a)]);
  }
  return pts;
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#ede4d3");
  brush.scaleBrushes(2);

  // Warm wall and a blue-grey cloth, blocked in with pastel strokes.
  for (let y = -250; y < 60; y += 14) {
    brush.set("pastel", random(["#d9b98f", "#cfae85", "#e2c9a3"]), 2);
    brush.line(-260, y + random(-4, 4), 260, y + random(-4, 4));
  }
  for (let y = 70; y < 260; y += 12) {
    brush.set("pastel", random(["#7f93a8", "#6d8198", "#93a7ba"]), 2);
    brush.line(-260, y + random(-4, 4), 260, y + random(-4, 4));
  }

  // Shadow under the bowl.
  for (let i = 0; i < 6; i++) {
    brush.set("pastel", "#4c5a6b", 1.5);
    brush.line(-150 + i * 10, 158 + i * 3, 180 - i * 8, 158 + i * 3);
  }

  // Lemons heaped above the rim, back to front.
  const lemons = [[-58, -34, -0.3], [58, -36, 0.25], [-118, 12, 0.12], [118, 10, -0.15], [0, 12, 0.02]];
  for (const [x, y, a] of lemons) {
    const pts = lemon(x + random(-5, 5), y + random(-5, 5), 56, 38, a + random(-0.1, 0.1));
    brush.noStroke();
    // A flat wash first hides whatever lies behind this lemon, then pastel on top.
    brush.wash("#f3d23a", 255);
    brush.polygon(pts);
    brush.noWash();
    brush.mass("pastel", random(["#f2cf1d", "#f5d836", "#eec10e"]), { strength: 1, precision: 0.6 });
    brush.polygon(pts);
    // Shade the underside with ochre, and a pale highlight on top.
    brush.mass("pastel", "#c8920e", { strength: 0.5, precision: 0.6 });
    brush.polygon(pts.slice(1, 8));
    brush.noMass();
    brush.set("pastel", "#fff6c4", 0.8);
    brush.line(x - 20, y - 18, x + 10, y - 22);
    // A crayon contour along the shaded lower edge separates it from its neighbours.
    brush.set("crayon", "#a87508", 0.7);
    brush.spline(pts.slice(0, 9), 0.6);
    brush.noStroke();
  }

  // The bowl in front: terracotta mass, darker underside, crayon rim.
  const body = [];
  for (let i = 0; i <= 12; i++) {
    const a = (i / 12) * PI;
    body.push([175 * Math.cos(a), 40 + 110 * Math.sin(a)]);
  }
  brush.mass("pastel", "#b5532f", { strength: 1, precision: 0.5 });
  brush.polygon(body);
  brush.polygon(body);
  brush.mass("pastel", "#7a3018", { strength: 0.7, precision: 0.5 });
  brush.polygon(body.slice(0, 8).concat([[60, 90]]));
  brush.noMass();
  brush.set("crayon", "#5e2410", 1.2);
  brush.spline(body, 0.5);
  brush.set("pastel", "#e9a57a", 1.6);
  brush.line(-175, 40, 175, 40);
  noLoop();
}
