// title: Mountains at dusk
// prompt: draw a mountain landscape at dusk in watercolour
// brushes: watercolour fill, pen

// A ridge line from noise, closed at the bottom of the canvas.
function ridge(yBase, amp, rough, offset, bottom) {
  const pts = [[-270, bottom]];
  for (let x = -270; x <= 270; x += 20) {
    const n = noise(x * rough + offset) + 0.25 * noise(x * rough * 4 + offset);
    pts.push([x, yBase - amp * n]);
  }
  pts.push([270, bottom]);
  return pts;
}

function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7eee2");
  brush.scaleBrushes(2);
  brush.noStroke();

  // Sky: a smooth gradient in plain p5 (cheap), violet overhead to orange at the horizon.
  noStroke();
  // The lower stops sit behind the mountains and darken them.
  const stops = [color("#7a68a8"), color("#d98b9a"), color("#f7b36f"), color("#fbd39a"), color("#7d6690"), color("#3b3358")];
  for (let y = -256; y < 256; y += 4) {
    const t = map(y, -256, 256, 0, stops.length - 1);
    const i = min(floor(t), stops.length - 2);
    fill(lerpColor(stops[i], stops[i + 1], t - i));
    rect(-256, y, 512, 5);
  }


  // A low sun.
  const sx = random(-120, 120);
  brush.fillBleed(0.05);
  brush.fill("#fff0a8", 255);
  brush.circle(sx, -100, 26);

  // Ranges from far and hazy to near and dark.
  const ranges = [["#a883ad", -30, 80], ["#6f5690", 40, 120], ["#40376e", 120, 130], ["#1f1c3a", 200, 110]];
  ranges.forEach(([c, y, amp], i) => {
    const pts = ridge(y, amp, 0.005 + i * 0.002, i * 7 + random(50), 270);
    brush.fillBleed(0.06, "out");
    brush.fillTexture(0.2, 0.6);
    brush.fill(c, 250);
    brush.polygon(pts);
  });
  brush.noFill();

  // A few birds heading home.
  for (let i = 0; i < 5; i++) {
    const x = random(-180, 180), y = random(-220, -130), s = random(5, 9);
    brush.set("pen", "#2a2340", 0.8);
    brush.spline([[x - s, y - s / 2], [x - s / 3, y - s / 3], [x, y]], 0.7);
    brush.spline([[x, y], [x + s / 3, y - s / 3], [x + s, y - s / 2]], 0.7);
  }
  noLoop();
}
