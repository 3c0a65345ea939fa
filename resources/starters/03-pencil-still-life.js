// title: Pencil still life
// prompt: draw a still life of a bottle, an apple and a bowl in pencil
// brushes: 2B pencil, HB pencil, 2H hatching

function outline(pts, curve) {
  brush.beginShape(curve);
  for (const p of pts) brush.vertex(p[0], p[1]);
  brush.endShape(true);
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f3efe6");
  brush.scaleBrushes(2.4);

  // Table edge and a light tone on the back wall.
  brush.set("HB", "#3a3733", 1);
  brush.line(-250, 90, 250, 86);
  brush.noStroke();
  brush.hatch(9, PI / 4, { rand: 0.1 });
  brush.hatchStyle("2H", "#6f6a62", 0.8);
  brush.polygon([[-250, -250], [250, -250], [250, 86], [-250, 90]]);
  brush.noHatch();

  // Bottle on the left: its shadow side is hatched densely.
  const bx = -120;
  const bottle = [[bx - 14, -190], [bx + 14, -190], [bx + 14, -120], [bx + 45, -70], [bx + 45, 100],
    [bx - 45, 100], [bx - 45, -70], [bx - 14, -120]];
  // An opaque wash in the paper colour clears the wall's hatching behind the bottle.
  brush.wash("#f3efe6", 255);
  brush.polygon(bottle);
  brush.noWash();
  brush.set("2B", "#262422", 1.3);
  outline(bottle, 0.3);
  brush.noStroke();
  brush.hatch(4, -PI / 3, { rand: 0.15 });
  brush.hatchStyle("HB", "#3b3834", 0.8);
  brush.polygon([[bx + 12, -115], [bx + 42, -68], [bx + 42, 98], [bx + 15, 98], [bx + 18, -60]]);
  brush.noHatch();

  // Bowl at the back right: rim ellipse and a rounded body.
  const cx = 95, cy = 40;
  const rim = [], body = [];
  for (let i = 0; i < 16; i++) {
    const a = (i / 16) * TWO_PI;
    rim.push([cx + 95 * Math.cos(a), cy - 30 + 22 * Math.sin(a)]);
  }
  for (let i = 0; i <= 10; i++) {
    const a = (i / 10) * PI;
    body.push([cx + 95 * Math.cos(a), cy - 30 + 70 * Math.sin(a)]);
  }
  brush.noStroke();
  brush.wash("#f3efe6", 255);
  brush.polygon(body.concat(rim.slice(9, 16)));
  brush.noWash();
  brush.set("2B", "#2b2926", 1.2);
  outline(rim, 0.6);
  brush.spline(body, 0.6);
  brush.noStroke();
  brush.hatch(5, PI / 2.6, { rand: 0.1, gradient: 0.3 });
  brush.hatchStyle("HB", "#4a4640", 0.7);
  brush.polygon(body.slice(0, 6).concat([[cx + 60, cy - 20]]));
  brush.noHatch();

  // Apple in front, shaded on the right, with its stem and cast shadow.
  const ax = 40, ay = 110;
  const apple = [];
  for (let i = 0; i < 14; i++) {
    const a = (i / 14) * TWO_PI;
    const dip = 1 - 0.12 * Math.exp(-((a - 1.5 * PI) ** 2) * 6);
    apple.push([ax + 52 * Math.cos(a) * dip, ay + 46 * Math.sin(a) * dip]);
  }
  brush.noStroke();
  brush.wash("#f3efe6", 255);
  brush.polygon(apple);
  brush.noWash();
  brush.hatch(6, PI / 5, { rand: 0.2 });
  brush.hatchStyle("2H", "#555049", 0.9);
  brush.polygon([[ax + 20, ay + 45], [ax + 110, ay + 40], [ax + 90, ay + 60], [ax + 10, ay + 62]]);
  brush.hatch(4, -PI / 4, { rand: 0.15 });
  brush.hatchStyle("HB", "#3d3935", 0.8);
  outline(apple.slice(11).concat(apple.slice(0, 5)).concat([[ax + 15, ay]]), 0.5);
  brush.noHatch();
  brush.set("2B", "#201e1c", 1.3);
  outline(apple, 0.6);
  brush.set("2B", "#201e1c", 1.6);
  brush.spline([[ax - 2, ay - 40], [ax + 3, ay - 55], [ax + 10, ay - 66]], 0.6);
  noLoop();
}
