// expect: timeout
function setup() {
  createCanvas(512, 512, WEBGL);
  setTimeout(() => { while (true) {} }, 0);
}
function draw() {
  background(200);
}
