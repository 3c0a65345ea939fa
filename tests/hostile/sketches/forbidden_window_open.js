// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  window.open("https://example.com/", "_blank");
}
