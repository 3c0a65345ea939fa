// expect: timeout
function setup() {
  createCanvas(512, 512, WEBGL);
}
function draw() {
  let i = 0;
  while (true) { i++; }
}
