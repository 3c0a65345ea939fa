const sun = {
  x: 120, y: -150, r: 60,
  draw() {
    brush.fill("#f5d300", 80);
    brush.circle(this.x, this.y, this.r);
  },
  grow(k) { this.r *= k; return this.r; },
};
const scene = {items: [sun], render() { this.items.forEach((it) => it.draw()); }};
function setup() { createCanvas(600, 600, WEBGL); }
function draw() {
  sun.grow(1.1);
  scene.render();
  brush.set("HB", "#555", 1);
  brush.line(-300, 100, 300, 100);
  noLoop();
}
