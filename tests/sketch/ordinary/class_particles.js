class Petal {
  constructor(opts) {
    Object.assign(this, opts);
    this.angle = opts.angle || 0;
  }
  draw() {
    brush.set(this.brush || "HB", this.colour, 1);
    brush.circle(this.x, this.y, this.r);
    return this;
  }
}
let petals = [];
function setup() {
  createCanvas(600, 600, WEBGL);
  for (let i = 0; i < 8; i++) petals.push(new Petal({x: cos(i) * 80, y: sin(i) * 80, r: 30, colour: "#e35", brush: "2B"}));
}
function draw() {
  background("#f4efe4");
  petals.forEach((p) => p.draw());
  brush.fill("#d7c3a3", 80);
  brush.rect(-50, -50, 100, 100);
  noLoop();
}
