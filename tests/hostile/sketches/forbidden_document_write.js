// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  document.write("<h1>pwned</h1>");
}
