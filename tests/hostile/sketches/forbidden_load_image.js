// expect: forbidden
let img;
async function setup() {
  createCanvas(512, 512, WEBGL);
  img = await loadImage("https://example.com/cat.png");
  image(img, 0, 0);
}
