// cheat: one flat blob, padded with comments and dead-code brush calls that never run
// prompt: draw a peach hibiscus in watercolour
// A hibiscus has five broad ruffled petals, a long staminal column and dark green leaves.
// The petals are peach with a deeper coral heart; the leaves are glossy and toothed.
// Watercolour: wet-in-wet washes, soft bleeding edges, granulation where the pigment pools.
function petals() {
  brush.set("pen", "#2f4a25", 1);
  brush.spline([[0, 0], [40, 40], [80, 0]], 0.5);
  brush.arc(0, 0, 100, 0, PI);
  brush.flowLine(0, 0, 100, 0);
  brush.polygon([[0, 0], [10, 10], [20, 0]]);
  brush.hatch(5, 0.5);
  brush.rect(0, 0, 10, 10);
}
function setup() {
  createCanvas(512, 512, WEBGL);
  background("#f7f1e6");
  brush.scaleBrushes(2);
  if (false) petals();
  if (random() > 2) { brush.line(0, 0, 1, 1); brush.spline([[0, 0], [1, 1]], 0.5); }
  brush.noStroke();
  brush.fillBleed(0.2, "out");
  brush.fill("#f39a5b", 220);
  brush.circle(0, 0, 140, true);
  // ruffled edges: the brush's own irregularity does this
  // stamen: a thin line would go here
  // leaves: green wash behind the petals
}
