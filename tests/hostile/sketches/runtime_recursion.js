// expect: runtime
function deeper(n) {
  return deeper(n + 1) + 1;
}
function setup() {
  createCanvas(512, 512, WEBGL);
  deeper(0);
}
