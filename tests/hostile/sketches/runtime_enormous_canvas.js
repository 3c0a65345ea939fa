// expect: runtime line=3
function setup() {
  createCanvas(100000, 100000, WEBGL);
  background(220);
}
