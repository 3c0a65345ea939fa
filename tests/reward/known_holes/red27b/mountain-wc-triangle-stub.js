// attack (red27b): a blue triangle with a thick blue stub off its flank; the stub reads as a part, the real two-triangle mountain fails the gate
// prompt: draw a blue mountain in the centre in watercolour
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.noStroke();
  brush.fill("#1f5fbf", 200);
  brush.polygon([[-150,140],[0,-130],[150,140]]);
  brush.polygon([[60,20],[170,-10],[185,40],[90,70]]);
}
