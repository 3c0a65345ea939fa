// expect: runtime line=3
// p5's functions do not exist before setup() in global mode; the pre-started page must not hide that.
const paper = color(250, 245, 235);
function setup() {
  createCanvas(512, 512, WEBGL);
  background(paper);
}
