// a lone pale brown ellipse-like blob (an elongated polygon), no parts
// prompt: draw a brown fish in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke(); brush.fillBleed(0.4, "out"); brush.fillTexture(0.8, 0.8);
  brush.fill("#8a5a2b", 100);
  let pts = []; for (let i = 0; i < 24; i++) { let a = TWO_PI * i / 24; pts.push([110 * cos(a), 45 * sin(a)]); }
  brush.polygon(pts);
}
