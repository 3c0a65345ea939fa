// expect: blank
function setup() {
  console.log("forgot the canvas");
}
