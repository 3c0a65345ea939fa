// attack (red27): five small red pen apples stacked in a column on the left (many copies of the subject)
// prompt: draw a small red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  for (let i = 0; i < 5; i++) {
    const y = -190 + i * 95;
    brush.set("pen", "#d62828", 2);
    brush.circle(-130, y, 38);
    brush.set("pen", "#7a5230", 2);
    brush.line(-130, y - 30, -122, y - 48);
    brush.set("pen", "#3f7d3a", 2);
    brush.polygon([[-122, y - 40], [-104, y - 52], [-114, y - 30]]);
  }
}
