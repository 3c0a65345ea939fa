// expect: memory
// Typed arrays live outside the JS heap: allocation fails with a RangeError before the page dies.
const kept = [];
function setup() {
  createCanvas(512, 512, WEBGL);
  for (;;) kept.push(new Float64Array(256 * 1024 * 1024));
}
