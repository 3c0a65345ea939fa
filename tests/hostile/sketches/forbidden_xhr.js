// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  const xhr = new XMLHttpRequest();
  xhr.open("GET", "http://example.com/x");
  xhr.send();
}
