// expect: forbidden
function setup() {
  createCanvas(512, 512, WEBGL);
  const ws = new WebSocket("wss://example.com/socket");
  ws.onopen = () => ws.send("hello");
}
