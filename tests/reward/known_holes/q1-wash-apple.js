// faithful: the p8-real apple with its body laid by brush.wash (a p5.brush call) instead of brush.fill
// prompt: draw a large red apple in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.wash("#d62828", 230);
  brush.polygon([[0,-70],[50,-100],[105,-70],[120,0],[95,75],[45,110],[0,100],[-45,110],[-95,75],[-120,0],[-105,-70],[-50,-100]]);
  brush.noWash();
  brush.fill("#8f1b1b", 150);
  brush.polygon([[60,-80],[105,-70],[120,0],[95,75],[45,110],[60,40],[75,-20]]);
  brush.fill("#ffffff", 200);
  brush.circle(-55, -40, 16);
  brush.set("pen", "#7a5230", 2);
  brush.line(0, -70, 10, -130);
  brush.fill("#3f7d3a", 200);
  brush.polygon([[10,-110],[60,-140],[45,-100]]);
}
