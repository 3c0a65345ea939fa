// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  const img = document.createElement("img");
  img.setAttribute("src", "https://example.com/pixel.gif");
  document.body.appendChild(img);
  background(220);
  brush.set("HB", "#333", 1);
  brush.line(-100, 0, 100, 0);
}
