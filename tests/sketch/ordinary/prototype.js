function Leaf(x, y) {
  this.x = x;
  this.y = y;
  this.size = random(10, 30);
}
Leaf.prototype.show = function () {
  brush.set("pen", "#2a5", 1);
  brush.line(this.x, this.y, this.x + this.size, this.y - this.size);
};
const leaves = [];
function setup() {
  createCanvas(500, 500, WEBGL);
  for (let i = 0; i < 20; i++) leaves.push(new Leaf(random(-200, 200), random(-200, 200)));
}
function draw() {
  brush.fill("#88aa55", 60);
  brush.circle(0, 0, 40);
  for (const leaf of leaves) leaf.show();
  noLoop();
}
