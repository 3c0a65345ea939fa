// expect: blank
function setup() {
  createCanvas(512, 512, WEBGL);
  background(220);
  document.querySelector("canvas").remove();
}
