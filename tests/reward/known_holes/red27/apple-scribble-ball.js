// attack (red27): the apple's body a tight red spiral scribble (one spline), corpus stem and leaf
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  const pts = [];
  for (let i = 0; i <= 120; i++) { const a = i * 0.55, r = 48 - i * 0.33; pts.push([-130 + r * Math.cos(a), 7 + r * Math.sin(a)]); }
  brush.set("pen", "#d62828", 2);
  brush.spline(pts, 0.5);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
}
