let ready = false;
async function prepare() {
  await new Promise((resolve) => setTimeout(resolve, 10));
  ready = true;
}
function setup() {
  createCanvas(400, 400, WEBGL);
  prepare().then(() => redraw());
  noLoop();
}
function draw() {
  if (!ready) return;
  brush.set("HB", "#222", 1);
  brush.spline([[-100, 0], [0, 50], [100, 0]], 0.5);
  brush.fill("#0a4", 50);
  brush.circle(0, 0, 20);
}
