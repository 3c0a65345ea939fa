// pale letters FISH
// prompt: draw a blue fish on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#a9c1e6", 3);
  const G = {F: [[0,0,0,1],[0,0,1,0],[0,0.5,0.7,0.5]], I: [[0.5,0,0.5,1]], S: [[1,0,0,0.2],[0,0.2,1,0.8],[1,0.8,0,1]], H: [[0,0,0,1],[1,0,1,1],[0,0.5,1,0.5]]};
  const w = "FISH"; for (let i = 0; i < 4; i++) { const x0 = 40 + i * 52, y0 = -50; for (const [a, b, c, d] of G[w[i]]) brush.line(x0 + a * 36, y0 + b * 80, x0 + c * 36, y0 + d * 80); }
}
