// expect: timeout
function setup() {
  createCanvas(512, 512, WEBGL);
  Promise.resolve().then(() => { for (;;) {} });
}
