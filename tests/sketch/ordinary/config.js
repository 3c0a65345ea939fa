const palette = {sky: "#8fb8de", sea: "#1e5aa8", sand: "#e8d5a3"};
const styles = [{brush: "2B", colour: palette.sea, weight: 1.2}, {brush: "charcoal", colour: "#333", weight: 2}];
function applyStyle(style) {
  brush.set(style.brush, style.colour, style.weight);
}
function band(y, colour) {
  brush.noStroke();
  brush.fill(colour, 70);
  brush.rect(-300, y, 600, 60);
}
function setup() {
  createCanvas(600, 600, WEBGL);
  brush.scaleBrushes(1.5);
}
function draw() {
  Object.keys(palette).forEach((name, i) => band(-200 + i * 80, palette[name]));
  for (const [name, colour] of Object.entries(palette)) console.log(name, colour);
  for (const s of styles) { applyStyle(s); brush.line(-100, 0, 100, 0); }
  noLoop();
}
