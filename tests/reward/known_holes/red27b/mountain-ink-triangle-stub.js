// attack (red27b): a red ink triangle with a stub off its flank for a part, against the real ink mountain (triangle and snow cap)
// prompt: draw a red mountain in the centre in ink
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f4efe4");
  brush.scaleBrushes(2);
  brush.set("pen", "#d62828", 2);
  brush.polygon([[-150,140],[0,-130],[150,140]]);
  brush.polygon([[60,20],[170,-10],[185,40],[90,70]]);
}
