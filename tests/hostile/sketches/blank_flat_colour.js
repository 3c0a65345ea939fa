// expect: blank
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f6f1e8");
}
