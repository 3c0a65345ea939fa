// title: Starry night
// prompt: draw a swirling night sky with stars over dark hills
// brushes: cpencil, spray, wash, charcoal, curved field, hatching

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#14204a");
  brush.scaleBrushes(2);

  // Swirling sky: coloured-pencil strokes bent by the "curved" field.
  brush.field("curved");
  for (let i = 0; i < 200; i++) {
    const x = random(-280, 260), y = random(-270, 160);
    brush.set("cpencil", random(["#2f4f9a", "#4a6fc0", "#8fb1e8", "#1f3575", "#c9d9f2"]), random(1, 2));
    brush.flowLine(x, y, random(40, 110), 0);
  }
  brush.noField();

  // Stars: a halo of spray around a small disc hatched in yellow marker.
  brush.noFill();
  for (let i = 0; i < 10; i++) {
    const x = random(-230, 230), y = random(-230, 40), r = random(4, 8);
    brush.set("spray", "#f7e27a", 1.1);
    brush.circle(x, y, r * 2);
    brush.set("marker", "#fff1a8", 1.2);
    brush.circle(x, y, r * 0.35);
  }

  // The moon: rings of light around a washed disc with hatched shading. An opaque wash keeps the
  // yellow clean on the dark sky (a transparent watercolour glaze over navy would turn green).
  for (let k = 0; k < 3; k++) {
    brush.set("cpencil", "#f2d66b", 1.2);
    brush.circle(170, -180, 42 + k * 12);
  }
  brush.noStroke();
  brush.wash("#f9d65c", 255);
  brush.circle(170, -180, 30);
  brush.noWash();
  brush.hatch(4, -PI / 5, { rand: 0.2 });
  brush.hatchStyle("cpencil", "#e0a93a", 1);
  brush.circle(176, -176, 22);

  // Dark hills, hatched in near-black charcoal.
  brush.hatch(3, 0.15, { rand: 0.2 });
  brush.hatchStyle("charcoal", "#070b18", 1.5);
  brush.polygon([[-270, 260], [-270, 150], [-180, 120], [-100, 125], [0, 150], [90, 130], [180, 100], [270, 125], [270, 260]]);

  // A cypress flame in the foreground.
  const cyp = [];
  for (let i = 0; i <= 12; i++) {
    const t = i / 12;
    cyp.push([-160 - 36 * Math.sin(PI * t) ** 0.7 * (1 - 0.5 * t) + random(-4, 4), lerp(260, -120, t)]);
  }
  for (let i = 11; i > 0; i--) {
    const t = i / 12;
    cyp.push([-160 + 36 * Math.sin(PI * t) ** 0.7 * (1 - 0.5 * t) + random(-4, 4), lerp(260, -120, t)]);
  }
  brush.hatch(2.5, PI / 2.3, { rand: 0.2 });
  brush.hatchStyle("charcoal", "#0b1d12", 1.4);
  brush.polygon(cyp);
  brush.noHatch();
  brush.set("charcoal", "#102a18", 1.2);
  brush.polygon(cyp);
  noLoop();
}
