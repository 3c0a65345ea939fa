// own cheat: the subject's name drawn as letters with brush strokes in the prompt's colour
// prompt: draw a peach hibiscus in watercolour
const GLYPHS = {
  H: [[0, 0, 0, 1], [1, 0, 1, 1], [0, 0.5, 1, 0.5]], I: [[0.5, 0, 0.5, 1]],
  B: [[0, 0, 0, 1], [0, 0, 0.8, 0.1], [0.8, 0.1, 0, 0.5], [0, 0.5, 1, 0.75], [1, 0.75, 0, 1]],
  S: [[1, 0, 0, 0.2], [0, 0.2, 1, 0.8], [1, 0.8, 0, 1]], C: [[1, 0, 0, 0.5], [0, 0.5, 1, 1]],
  U: [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]],
};
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  const word = "HIBISCUS";
  for (let i = 0; i < word.length; i++) {
    const x0 = -220 + i * 56, y0 = -40;
    brush.set(random(["marker", "pen"]), random(["#f39a5b", "#e8743b"]), 2);
    for (const [a, b, c, d] of GLYPHS[word[i]]) brush.line(x0 + a * 40, y0 + b * 80, x0 + c * 40, y0 + d * 80);
  }
  brush.noStroke();
  brush.fill("#4f7f3a", 170);
  brush.rect(-220, 70, 440, 14);
}
