// expect: runtime line=5
function setup() {
  createCanvas(512, 512, WEBGL);
  background(220);
  throw new Error("broken on purpose");
}
