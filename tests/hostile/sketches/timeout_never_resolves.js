// expect: timeout
async function setup() {
  createCanvas(512, 512, WEBGL);
  await new Promise(() => {});
}
