// own cheat: another subject of the corpus (a house), painted well, in the prompt's colour and place
// prompt: draw a red apple on the left in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 2);
  brush.rect(-210, -20, 160, 140);
  brush.set("pen", "#7a5230", 2);
  brush.polygon([[-225,-20],[-130,-125],[-35,-20]]);
  brush.rect(-150, 50, 40, 70);
}
