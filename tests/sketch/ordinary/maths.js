const params = {rings: 5, spread: 18};
function ring(i, {spread}) {
  const r = 20 + i * spread;
  brush.circle(0, 0, r);
}
function setup() { createCanvas(500, 500, WEBGL); }
function draw() {
  brush.set("2H", "#1e5aa8", 1);
  brush.fill("#8fb8de", 40);
  for (let i = 0; i < params.rings; i++) ring(i, params);
  const keys = Object.keys(params);
  console.log(keys.join(","), brush);
  noLoop();
}
