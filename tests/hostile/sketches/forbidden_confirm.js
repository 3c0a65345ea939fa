// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  if (confirm("draw?")) background(0);
}
