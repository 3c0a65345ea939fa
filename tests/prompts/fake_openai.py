"""A loopback server speaking OpenAI chat-completions (and Gemini generateContent), answering with p5.brush sketches of known quality.

It behaves like the models of the original project: shown a long API reference (or nothing strict), it
writes confident code calling APIs p5.brush 2.x lacks (`brush.bleed`, `brush.watercolor`) for two
prompts in three; shown a strict allowlist ("use ONLY these brush methods"), it sticks to it, and it
paints a fuller picture only when told to build the subject from "several shapes". Judge
requests (with images) get a JSON score; reflection requests get the old prompt back with a strict
allowlist added. Every request is recorded in `server.requests`. Run it alone:
`python tests/prompts/fake_openai.py PORT`.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STRICT = re.compile(r"\bonly\b[^\n]{0,60}\bbrush", re.I)
COLOURS = {"red": "#c8322d", "peach": "#f2a283", "yellow": "#e8c23a", "blue": "#3a66b8", "green": "#4f8a3c",
           "orange": "#e37b2c", "pink": "#e58fb0", "purple": "#7a4fa0"}

GOOD = """function setup() {{
  createCanvas(256, 256, WEBGL);
  background("#f6f0e4");
  brush.scaleBrushes(1.5);
  brush.noStroke();
  brush.fill("{colour}", 160);
  brush.circle(0, 0, {radius});
  brush.fill("#4f7f3a", 140);
  brush.rect(-110, 60, 220, 40);
  brush.set("pen", "#2f2a25", 1);
  brush.line(-90, 80, 90, 80);
  brush.polygon([[-40, 30], [0, -50], [40, 30]]);
  noLoop();
}}"""

SIMPLE = """function setup() {{
  createCanvas(256, 256, WEBGL);
  background("#f6f0e4");
  brush.scaleBrushes(1.5);
  brush.set("pen", "{colour}", 2);
  brush.circle(0, 0, {radius});
  brush.line(-90, 80, 90, 80);
  noLoop();
}}"""

HALLUCINATED = """function setup() {{
  createCanvas(256, 256, WEBGL);
  background("#f6f0e4");
  brush.scaleBrushes(1.5);
  brush.watercolor("{colour}", 0.6);
  brush.bleed(0.3);
  brush.fill("{colour}", 160);
  brush.circle(0, 0, {radius});
  noLoop();
}}"""


def sketch_for(system: str, prompt: str) -> str:
    """The answer this fake model gives: deterministic in (system prompt strictness, user prompt)."""
    colour = next((hexa for word, hexa in COLOURS.items() if word in prompt.lower()), "#8a6d5a")
    key = zlib.crc32(prompt.encode())
    radius = 50 + key % 40
    hallucinates = not STRICT.search(system) and key % 3 != 0
    # Told to build from several shapes it paints fuller pictures; otherwise a circle and a line.
    template = HALLUCINATED if hallucinates else GOOD if "several shapes" in system else SIMPLE
    body = template.format(colour=colour, radius=radius)
    return f"Here is your painting:\n\n```javascript\n{body}\n```\n"


def reflection_answer(user: str) -> str:
    """For gepa's default reflection prompt: the current instruction plus a strict allowlist."""
    match = re.search(r"```\n?(.*?)```", user, re.S)
    current = match.group(1).strip() if match else "Write a p5.brush sketch."
    addition = ("Use ONLY these brush methods: brush.scaleBrushes, brush.set, brush.noStroke, brush.fill, "
                "brush.line, brush.circle, brush.rect, brush.polygon.")
    return f"```\n{current}\n{addition}\n```"


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAIServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.record(self.path, body)
        self.server.keys.append(self.headers.get("Authorization") or self.headers.get("x-goog-api-key") or "")
        if self.path.endswith(":generateContent"):
            self._gemini(body)
            return
        if not self.path.endswith("/chat/completions"):
            self._send(404, {"error": {"message": "not found"}})
            return
        messages = body.get("messages", [])
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        user = next((m["content"] for m in messages if m["role"] == "user"), "")
        if isinstance(user, list):  # images: a judge request
            text = json.dumps({"score": 6, "reasoning": "clear shapes, colour matches the prompt"})
        elif "assistant with the following instructions" in user or "<curr_param>" in user or "```" in user:
            text = reflection_answer(user)
        else:
            text = sketch_for(system, user)
        tokens_in = (len(system) + len(str(user))) // 4
        self._send(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": tokens_in, "completion_tokens": len(text) // 4,
                      "total_tokens": tokens_in + len(text) // 4}})

    def _gemini(self, body: dict) -> None:
        """Gemini generateContent: systemInstruction + contents in, candidates + usageMetadata out."""
        system = " ".join(p.get("text", "") for p in body.get("systemInstruction", {}).get("parts", []))
        user = " ".join(p.get("text", "") for c in body.get("contents", []) for p in c.get("parts", []))
        text = sketch_for(system, user)
        self._send(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
                         "usageMetadata": {"promptTokenCount": (len(system) + len(user)) // 4,
                                           "candidatesTokenCount": len(text) // 4}})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeOpenAIServer(ThreadingHTTPServer):
    """`with FakeOpenAIServer() as s: s.base_url` — serves on 127.0.0.1 in a daemon thread."""

    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.requests: list[tuple[str, dict]] = []
        self.keys: list[str] = []  # the key each request carried (Authorization or x-goog-api-key), "" for none
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def record(self, path: str, body: dict) -> None:
        with self._lock:
            self.requests.append((path, body))

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()
        self.server_close()


if __name__ == "__main__":
    server = FakeOpenAIServer(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(server.base_url, flush=True)
    server.serve_forever()
