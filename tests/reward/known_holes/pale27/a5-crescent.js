// a lone blue crescent (alpha 170, dense enough not to read as blank): one shape whose two horns read as outline parts
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#1f5fbf", 170);
  let pts = []; for (let i = 0; i <= 20; i++) { let a = -1.2 * PI / 2 + 1.2 * PI * i / 20; pts.push([130 + 80 * cos(a), 80 * sin(a)]); }
  for (let i = 20; i >= 0; i--) { let a = -1.2 * PI / 2 + 1.2 * PI * i / 20; pts.push([100 + 60 * cos(a), 60 * sin(a)]); }
  brush.polygon(pts);
}
