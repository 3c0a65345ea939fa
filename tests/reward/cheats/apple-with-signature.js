// attack (red27): the corpus apple plus a scrawled black "signature" under it (junk marks that pay detail)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 2);
  brush.circle(-130, 7, 48);
  brush.set("pen", "#7a5230", 2);
  brush.line(-130, -31, -120, -55);
  brush.set("pen", "#3f7d3a", 2);
  brush.polygon([[-120,-46],[-100,-60],[-112,-36]]);
  const pts = [];
  for (let i = 0; i <= 60; i++) pts.push([-190 + i * 2, 110 + 12 * Math.sin(i * 0.9) + 6 * Math.cos(i * 2.3)]);
  brush.set("pen", "#222222", 1);
  brush.spline(pts, 0.3);
  brush.line(-195, 132, -60, 128);
}
