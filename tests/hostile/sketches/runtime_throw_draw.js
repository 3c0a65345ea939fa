// expect: runtime line=7
function setup() {
  createCanvas(512, 512, WEBGL);
}
function draw() {
  background(220);
  null.paint();
}
