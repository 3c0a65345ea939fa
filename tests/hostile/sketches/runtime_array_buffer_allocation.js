// expect: runtime line=8
// Typed arrays live outside the JS heap: allocation fails with a RangeError before the page dies. That is
// the sketch's own exception (it could catch it, or throw the same text itself): `runtime`, not `memory`,
// which only the browser's crash or the cgroup's out-of-memory count can say.
const kept = [];
function setup() {
  createCanvas(512, 512, WEBGL);
  for (;;) kept.push(new Float64Array(256 * 1024 * 1024));
}
