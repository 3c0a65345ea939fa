const {set, fill, circle, line} = brush;
const W = 600;
function setup() { createCanvas(W, W, WEBGL); }
function draw() {
  set("2B", `rgb(${40}, ${60}, ${90})`, 1);
  fill("#abc", 50);
  circle(0, 0, 120);
  const points = Array.from({length: 10}, (_, i) => [i * 20 - 100, sin(i) * 30]);
  for (let i = 1; i < points.length; i++) line(...points[i - 1], ...points[i]);
  noLoop();
}
