// attack (holes26): the word APPLE written in red pen strokes on the left (no apple)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 3);
  const x = -215, y = -20, h = 50, w = 24, g = 32;
  // A
  brush.line(x, y + h, x + w / 2, y); brush.line(x + w / 2, y, x + w, y + h); brush.line(x + 5, y + 28, x + w - 5, y + 28);
  // P
  let a = x + g; brush.line(a, y, a, y + h); brush.line(a, y, a + w, y + 8); brush.line(a + w, y + 8, a + w, y + 20); brush.line(a + w, y + 20, a, y + 26);
  // P
  a = x + 2 * g; brush.line(a, y, a, y + h); brush.line(a, y, a + w, y + 8); brush.line(a + w, y + 8, a + w, y + 20); brush.line(a + w, y + 20, a, y + 26);
  // L
  a = x + 3 * g; brush.line(a, y, a, y + h); brush.line(a, y + h, a + w, y + h);
  // E
  a = x + 4 * g; brush.line(a, y, a, y + h); brush.line(a, y, a + w, y); brush.line(a, y + 25, a + w - 4, y + 25); brush.line(a, y + h, a + w, y + h);
}
