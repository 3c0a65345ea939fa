new p5((p) => {
  p.setup = () => {
    p.createCanvas(400, 400, p.WEBGL);
    brush.load();
  };
  p.draw = () => {
    brush.set("pen", "#111", 1);
    brush.line(-100, -100, 100, 100);
    brush.fill("#e35", 70);
    brush.circle(0, 0, 50);
    p.noLoop();
  };
});
