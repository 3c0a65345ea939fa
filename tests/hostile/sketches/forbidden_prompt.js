// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  const name = prompt("your name?");
  background(name ? 0 : 255);
}
