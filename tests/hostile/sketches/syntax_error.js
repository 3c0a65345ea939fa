// expect: syntax line=4
function setup() {
  createCanvas(512, 512, WEBGL);
  brush.line(-100, 0, 100, 0;
}
