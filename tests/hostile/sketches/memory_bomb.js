// expect: memory
// Big arrays on the JS heap: past --max-old-space-size=512 the renderer process dies (page crash).
const hoard = [];
function setup() {
  createCanvas(512, 512, WEBGL);
  for (;;) hoard.push(new Array(2e7).fill(1.5));
}
