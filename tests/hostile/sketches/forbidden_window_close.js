// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  window.close();
}
