// faithful: a blue boat on the right in pale, soft watercolour (bleed 0.4, alpha 60-80), two sails, sea
// prompt: draw a blue boat on the right in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fillBleed(0.4, "out");
  brush.fill("#6fa8dc", 70);
  brush.rect(-256, 60, 512, 200);
  brush.fill("#1f5fbf", 80);
  brush.polygon([[20,40],[240,40],[200,90],[60,90]]);
  brush.fill("#1f5fbf", 60);
  brush.polygon([[138,-130],[138,20],[230,20]]);
  brush.polygon([[122,-110],[122,20],[50,20]]);
  brush.set("HB", "#7a5230", 1);
  brush.line(130, 40, 130, -140);
}
